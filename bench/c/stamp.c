/*
 * stamp FILE TAG              append "TAG <ns> <pid>" at its first instruction, then sleep until a signal
 *                             (SIGTERM's default action ends it at once)
 * stamp FILE TAG cycle MS     append "S <ns> <pid>", sleep MS ms, append "E <ns> <pid>", exit 0
 *                             (a program that keeps exiting; the supervisor restarts it)
 */
#include "common.h"

int main(int argc, char **argv) {
  long long t = mono_ns();
  if (argc < 3) { fprintf(stderr, "usage: stamp FILE TAG [cycle MS]\n"); return 2; }
  int fd = open_append(argv[1]);
  if (argc >= 5 && strcmp(argv[3], "cycle") == 0) {
    record(fd, "S %lld %d", t, (int)getpid());
    sleep_ms(atol(argv[4]));
    record(fd, "E %lld %d", mono_ns(), (int)getpid());
    _exit(0);
  }
  record(fd, "%s %lld %d", argv[2], t, (int)getpid());
  for (;;) pause();
}
