/*
 * spawn(file, argv[], env[], fds[3], cwd, umask, user) -> pid
 *
 * Starts a program the way supervisord's forked child does (process.py _spawn_as_child), with
 * clone(CLONE_VM | CLONE_VFORK) instead of fork(): the child borrows tsinit's memory until its execve, so no
 * page tables are copied (libuv forks; with Node's ~40 MB mapped that is most of a spawn's cost).
 *
 *   fds    the child's fds 0, 1, 2: one of tsinit's fds each, or -1 for /dev/null. The same fd may appear
 *          twice (stderr into the stdout pipe). They are dup'ed, so the caller keeps and closes its own.
 *   cwd    null, or the directory to chdir to.
 *   umask  -1, or the umask to set.
 *   user   null, or [uid, gid, ...supplementary gids]: setgroups, setgid, setuid unless the uid is ours.
 *
 * In the child, in supervisord's order: every signal disposition back to SIG_DFL (Node ignores SIGPIPE and
 * SIGXFSZ, and an exec keeps SIG_IGN), setsid() (own session and process group, pgid = pid, as libuv's
 * `detached`), the stdio fds (blocking, as libuv leaves them), every other fd close-on-exec, the user, the
 * directory, the umask, an empty signal mask, execve. A failure there is reported as supervisord reports it:
 * `supervisor: couldn't ...` and `supervisor: child process was not spawned` on the child's fd 2, exit 127.
 * The parent only sees clone's own failures (EAGAIN, ENOMEM), thrown with `code`.
 *
 * The child runs on its own small stack and calls only async-signal-safe functions; credentials are changed
 * with raw syscalls, because glibc's setuid() would try to broadcast the change to tsinit's other threads,
 * whose memory the child shares. All signals are blocked in the calling thread around clone(), so no Node
 * handler can run in the child before it resets the dispositions.
 */
#define _GNU_SOURCE
#include "addon.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define CHILD_STACK_SIZE (64 * 1024)
#define MAX_GROUPS 1024

struct spawn_request {
  const char *file;
  char **argv;
  char **envp;
  int fds[3];
  const char *cwd;
  int umask;
  int has_user;
  uid_t uid;
  gid_t gid;
  size_t ngroups;
  gid_t groups[MAX_GROUPS];
};

/* Decimal text of n into buf (at least 24 bytes); returns the start. */
static const char *decimal(long long n, char *buf) {
  char *p = buf + 23;
  *p = '\0';
  int neg = n < 0;
  unsigned long long u = neg ? (unsigned long long)(-n) : (unsigned long long)n;
  do {
    *--p = (char)('0' + u % 10);
    u /= 10;
  } while (u != 0);
  if (neg) *--p = '-';
  return p;
}

/* Python's errno.errorcode[err], or the number as Python prints an unknown one. */
static const char *errno_text(int err, char *buf) {
  const char *code = errno_code(err);
  return code != NULL ? code : decimal(err, buf);
}

/* `supervisor: <a><b><c><d>\n` on fd 2, in one write. */
static void say(const char *a, const char *b, const char *c, const char *d) {
  const char *parts[] = {"supervisor: ", a, b, c, d, "\n"};
  struct iovec iov[6];
  int n = 0;
  for (int i = 0; i < 6; i++) {
    if (parts[i] == NULL || parts[i][0] == '\0') continue;
    iov[n].iov_base = (void *)parts[i];
    iov[n].iov_len = strlen(parts[i]);
    n++;
  }
  ssize_t ignored = writev(2, iov, n);
  (void)ignored;
}

static int set_stdio(const struct spawn_request *r) {
  /* Every source is first copied to an fd >= 3, so no dup2 below can overwrite a source still needed. */
  int tmp[3];
  for (int i = 0; i < 3; i++) {
    if (r->fds[i] >= 0) {
      tmp[i] = fcntl(r->fds[i], F_DUPFD_CLOEXEC, 3);
    } else {
      /* /dev/null lands on fd 0-2 when tsinit runs with one of them closed: move it up too. */
      tmp[i] = open("/dev/null", O_RDWR | O_CLOEXEC);
      if (tmp[i] >= 0 && tmp[i] < 3) tmp[i] = fcntl(tmp[i], F_DUPFD_CLOEXEC, 3);
    }
    if (tmp[i] < 0) return -1;
  }
  for (int i = 0; i < 3; i++) {
    if (dup2(tmp[i], i) < 0) return -1;
    int fl = fcntl(i, F_GETFL);
    if (fl >= 0 && (fl & O_NONBLOCK)) fcntl(i, F_SETFL, fl & ~O_NONBLOCK);
  }
  return 0;
}

/* supervisord's drop_privileges for the child; returns its message, "" for a bare failure, or NULL. */
static const char *set_user(const struct spawn_request *r) {
  uid_t current = getuid();
  if (current == r->uid) return NULL;
  if (current != 0) return "Can't drop privilege as nonroot user";
  if (syscall(SYS_setgroups, r->ngroups, r->groups) < 0) return "Could not set groups of effective user";
  if (syscall(SYS_setgid, r->gid) < 0) return "Could not set group id of effective user";
  if (syscall(SYS_setuid, r->uid) < 0) return ""; /* supervisord lets this one raise: only "not spawned" */
  return NULL;
}

static int child_main(void *arg) {
  const struct spawn_request *r = arg;
  char num[24];

  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int s = 1; s < NSIG; s++) {
    if (s != SIGKILL && s != SIGSTOP) sigaction(s, &dfl, NULL);
  }
  setsid();

  if (set_stdio(r) < 0) {
    say("couldn't set up the stdio of the child: ", errno_text(errno, num), NULL, NULL);
    goto fail;
  }
  syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC); /* before 5.11: tsinit's fds are CLOEXEC anyway */

  if (r->has_user) {
    const char *msg = set_user(r);
    if (msg != NULL) {
      if (msg[0] != '\0') say("couldn't setuid to ", decimal(r->uid, num), ": ", msg);
      goto fail;
    }
  }
  if (r->cwd != NULL && chdir(r->cwd) < 0) {
    say("couldn't chdir to ", r->cwd, ": ", errno_text(errno, num));
    goto fail;
  }
  if (r->umask >= 0) umask((mode_t)r->umask);

  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve(r->file, r->argv, r->envp);
  say("couldn't exec ", r->argv[0] != NULL ? r->argv[0] : r->file, ": ", errno_text(errno, num));
fail:
  say("child process was not spawned", NULL, NULL, NULL);
  _exit(127);
}

static int get_int(napi_env env, napi_value v, int32_t *out) {
  return napi_get_value_int32(env, v, out) == napi_ok ? 0 : -1;
}

/* Reads the request from JS; returns an error text for a malformed one, NULL when complete. */
static const char *read_request(napi_env env, napi_value *a, struct spawn_request *r, char **file, char **cwd) {
  napi_valuetype t;
  *file = dup_string(env, a[0]);
  r->argv = dup_string_array(env, a[1]);
  r->envp = dup_string_array(env, a[2]);
  if (*file == NULL || r->argv == NULL || r->envp == NULL) return "spawn: file, argv[] and env[] must be strings";
  r->file = *file;
  for (uint32_t i = 0; i < 3; i++) {
    napi_value el;
    int32_t fd;
    if (napi_get_element(env, a[3], i, &el) != napi_ok || get_int(env, el, &fd) < 0) return "spawn: fds must be 3 numbers";
    r->fds[i] = fd;
  }
  napi_typeof(env, a[4], &t);
  if (t != napi_null) {
    *cwd = dup_string(env, a[4]);
    if (*cwd == NULL) return "spawn: cwd must be a string or null";
  }
  r->cwd = *cwd;
  int32_t mask;
  if (get_int(env, a[5], &mask) < 0) return "spawn: umask must be a number";
  r->umask = mask;
  napi_typeof(env, a[6], &t);
  if (t != napi_null) {
    uint32_t n = 0;
    if (napi_get_array_length(env, a[6], &n) != napi_ok || n < 2 || n - 2 > MAX_GROUPS) return "spawn: user must be [uid, gid, ...groups]";
    int32_t ids[2];
    for (uint32_t i = 0; i < n; i++) {
      napi_value el;
      int32_t id;
      if (napi_get_element(env, a[6], i, &el) != napi_ok || get_int(env, el, &id) < 0 || id < 0) return "spawn: user ids must be numbers";
      if (i < 2) ids[i] = id;
      else r->groups[i - 2] = (gid_t)id;
    }
    r->has_user = 1;
    r->uid = (uid_t)ids[0];
    r->gid = (gid_t)ids[1];
    r->ngroups = n - 2;
  }
  return NULL;
}

napi_value spawn_js(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value a[7];
  napi_get_cb_info(env, info, &argc, a, NULL, NULL);
  if (argc < 7) {
    napi_throw_type_error(env, NULL, "spawn: (file, argv[], env[], fds[3], cwd, umask, user) expected");
    return NULL;
  }
  struct spawn_request *r = calloc(1, sizeof *r);
  char *file = NULL, *cwd = NULL;
  napi_value result = NULL;
  if (r == NULL) {
    throw_errno(env, "spawn", ENOMEM);
    return NULL;
  }
  const char *bad = read_request(env, a, r, &file, &cwd);
  if (bad != NULL) {
    napi_throw_type_error(env, NULL, bad);
    goto done;
  }
  void *stack = mmap(NULL, CHILD_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) {
    throw_errno(env, "spawn", errno);
    goto done;
  }
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = clone(child_main, (char *)stack + CHILD_STACK_SIZE, CLONE_VM | CLONE_VFORK | SIGCHLD, r);
  int err = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  munmap(stack, CHILD_STACK_SIZE);
  if (pid < 0) {
    throw_errno(env, "clone", err);
    goto done;
  }
  napi_create_int32(env, pid, &result);
done:
  free(file);
  free(cwd);
  free_string_array(r->argv);
  free_string_array(r->envp);
  free(r);
  return result;
}
