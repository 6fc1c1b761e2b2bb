/*
 * sink FILE EXPECT   read stdin to EOF and discard it (the container runtime's log reader).
 *                    Appends "done <ns> <bytes>" as soon as EXPECT bytes have arrived, and
 *                    "eof <ns> <bytes>" at EOF.
 */
#include "common.h"

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: sink FILE EXPECT\n"); return 2; }
  int fd = open_append(argv[1]);
  long long expect = atoll(argv[2]), total = 0;
  int done = 0;
  static char buf[1 << 20];
  for (;;) {
    ssize_t r = read(0, buf, sizeof buf);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (r == 0) break;
    total += r;
    if (!done && total >= expect) {
      record(fd, "done %lld %lld", mono_ns(), total);
      done = 1;
    }
  }
  record(fd, "eof %lld %lld", mono_ns(), total);
  return 0;
}
