/*
 * trun OUT [--pid1] -- CMD ARGS...
 * Starts CMD (a supervisor) and records, in OUT:
 *   pid <host pid of CMD>
 *   exec <CLOCK_MONOTONIC ns just before execve>
 *   exit <ns when waitpid returned> <raw wait status>
 * --pid1 runs CMD as PID 1 of a new PID + mount namespace with its own /proc, as
 * `unshare --pid --fork --mount-proc` does (a container's init). trun itself only waits.
 */
#include "common.h"
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: trun OUT [--pid1] -- CMD...\n"); return 2; }
  int out = open_append(argv[1]);
  int i = 2, pid1 = 0;
  if (strcmp(argv[i], "--pid1") == 0) { pid1 = 1; i++; }
  if (strcmp(argv[i], "--") != 0) { fprintf(stderr, "trun: expected --\n"); return 2; }
  char **cmd = argv + i + 1;
  if (pid1 && unshare(CLONE_NEWPID | CLONE_NEWNS) < 0) { perror("unshare"); return 111; }
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 111; }
  if (pid == 0) {
    if (pid1) {
      if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) { perror("mount private"); _exit(111); }
      if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) { perror("mount proc"); _exit(111); }
    }
    record(out, "exec %lld", mono_ns());
    execvp(cmd[0], cmd);
    perror(cmd[0]);
    _exit(127);
  }
  record(out, "pid %d", (int)pid);
  /* The harness signals CMD directly; trun must not die from a stray terminal signal before it. */
  signal(SIGINT, SIG_IGN);
  signal(SIGTERM, SIG_IGN);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) { perror("waitpid"); return 111; }
  }
  record(out, "exit %lld %d", mono_ns(), st);
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 128 + WTERMSIG(st);
}
