/*
 * storm FILE N [TIMEOUT_MS]
 *                run inside a PID namespace under the supervisor (PID 1): double-fork N orphans (each
 *                child forks a grandchild and exits at once, so the grandchild is reparented to PID 1),
 *                then watch PID 1's children until no orphan is left. Appends to FILE:
 *                  S <ns>            storm start
 *                  E <ns>            storm end (the last direct child reaped)
 *                  z0 <count>        orphans not yet reaped by PID 1 at the end of the storm
 *                  z50 <count>       the same, 50 ms after the end
 *                  zero <ns>         first poll (1 ms apart) that found none left
 *                  timeout <count>   none of that within TIMEOUT_MS (default 20,000)
 *                then sleeps until a signal.
 */
#include "common.h"
#include <dirent.h>
#include <sys/wait.h>

static char big[1 << 22];

/* Children of PID 1 that are orphans from this storm: every child except this program's pid; when few
 * are left, only those whose comm is "storm" (so a supervisor's other programs are not counted). */
static long count_orphans(pid_t self) {
  DIR *d = opendir("/proc/1/task");
  if (!d) return -1;
  static int pids[1 << 18];
  long n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[300];
    snprintf(path, sizeof path, "/proc/1/task/%s/children", e->d_name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    size_t len = 0;
    ssize_t r;
    while ((r = read(fd, big + len, sizeof big - 1 - len)) > 0) len += (size_t)r;
    close(fd);
    big[len] = 0;
    char *p = big;
    while (*p) {
      char *end;
      long pid = strtol(p, &end, 10);
      if (end == p) break;
      p = end;
      while (*p == ' ' || *p == '\n') p++;
      if (pid != self && n < (long)(sizeof pids / sizeof pids[0])) pids[n++] = (int)pid;
    }
  }
  closedir(d);
  if (n > 64) return n;
  long storms = 0;
  for (long i = 0; i < n; i++) {
    char path[64], buf[128];
    snprintf(path, sizeof path, "/proc/%d/stat", pids[i]);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue; /* reaped meanwhile */
    ssize_t r = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (r <= 0) continue;
    buf[r] = 0;
    if (strstr(buf, "(storm)")) storms++;
  }
  return storms;
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: storm FILE N\n"); return 2; }
  int fd = open_append(argv[1]);
  long n = atol(argv[2]);
  long long timeout_ns = (argc > 3 ? atoll(argv[3]) : 20000) * 1000000LL;
  pid_t self = getpid();
  record(fd, "S %lld", mono_ns());
  for (long i = 0; i < n; i++) {
    pid_t c = fork();
    if (c < 0) {
      if (errno == EAGAIN || errno == EINTR) { i--; sleep_ms(1); continue; }
      record(fd, "ERR fork %d", errno);
      break;
    }
    if (c == 0) {
      if (fork() == 0) _exit(0);
      _exit(0);
    }
    while (waitpid(c, NULL, 0) < 0 && errno == EINTR) {}
  }
  long long end = mono_ns();
  record(fd, "E %lld", end);
  record(fd, "z0 %ld", count_orphans(self));
  int z50 = 0, zero = 0;
  for (;;) {
    long long now = mono_ns();
    long c = count_orphans(self);
    if (!zero && c == 0) { record(fd, "zero %lld", now); zero = 1; }
    if (!z50 && now - end >= 50000000LL) { record(fd, "z50 %ld", c); z50 = 1; }
    if (zero && z50) break;
    if (now - end > timeout_ns) { record(fd, "timeout %ld", c); break; }
    sleep_ms(1);
  }
  for (;;) pause();
}
