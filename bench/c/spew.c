/*
 * spew FILE LINES [DELAY_MS]
 *     appends "R <ns>" at start, waits DELAY_MS, then writes LINES lines of 100 bytes (99 + '\n') to stdout
 *     in 65,500-byte writes; appends "S <ns>" before the first byte and "E <ns>" after the last write,
 *     then sleeps until a signal (so the supervisor is measured while its program is still there).
 */
#include "common.h"

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: spew FILE LINES\n"); return 2; }
  int fd = open_append(argv[1]);
  long long lines = atoll(argv[2]);
  enum { LINE = 100, PER = 655 }; /* 655 lines = 65,500 bytes per write */
  static char buf[LINE * PER];
  for (int i = 0; i < PER; i++) {
    memset(buf + i * LINE, 'a' + i % 26, LINE - 1);
    buf[i * LINE + LINE - 1] = '\n';
  }
  record(fd, "R %lld", mono_ns());
  if (argc > 3) sleep_ms(atol(argv[3]));
  record(fd, "S %lld", mono_ns());
  while (lines > 0) {
    long long n = lines < PER ? lines : PER;
    size_t len = (size_t)n * LINE, off = 0;
    while (off < len) {
      ssize_t w = write(1, buf + off, len - off);
      if (w < 0) {
        if (errno == EINTR) continue;
        record(fd, "ERR %d", errno);
        _exit(1);
      }
      off += (size_t)w;
    }
    lines -= n;
  }
  record(fd, "E %lld", mono_ns());
  for (;;) pause();
}
