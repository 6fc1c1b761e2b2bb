/*
 * reaper.node: the few syscalls Node has no API for (see /work/shared/node-pid1-notes.md).
 *
 *   reapExcept(managed: Int32Array) -> Int32Array [pid0, status0, pid1, status1, ..., last]
 *       Peeks at the first zombie child with waitid(P_ALL, WEXITED|WNOHANG|WNOWAIT). A zombie whose pid is
 *       not in `managed` (libuv's children) is reaped with waitpid(pid, WNOHANG) and its raw wait status is
 *       reported. The loop stops at the first zombie that IS managed (libuv reaps it; the caller retries),
 *       when no zombie is left, or after REAP_BATCH orphans. `last` is: the blocking managed pid (> 0),
 *       0 when nothing is left to reap, or -1 when the batch is full (call again).
 *       Never waitpid(-1): that would steal exit statuses from libuv.
 *   setSubreaper(on: boolean) -> boolean           prctl(PR_SET_CHILD_SUBREAPER)
 *   getrlimit(resource: number) -> [soft, hard]     RLIM_INFINITY is reported as Infinity
 *   setrlimit(resource: number, soft, hard)         Infinity = RLIM_INFINITY; throws on error
 *   cloexecFrom(fd: number) -> string               mark every fd >= fd close-on-exec; returns the method used
 *   pipe() -> [readFd, writeFd]                     pipe2(O_CLOEXEC), for stderr redirected into a stdout pipe
 *   bindSocket(kind: 'unix' | 'tcp', address: string, port: number) -> fd
 *       socket(SOCK_CLOEXEC, blocking) + bind, as supervisord's create_and_bind: AF_UNIX at a path, or AF_INET
 *       with SO_REUSEADDR at host (resolved for AF_INET) and port. Throws with Python's text
 *       `[Errno N] <strerror>` (`[Errno -2] Name or service not known` for resolution errors) and `code`.
 *   listenSocket(fd: number, backlog: number)      listen(); backlog 0 = SOMAXCONN
 *   execve(file: string, argv: string[], env: string[])   only returns by throwing. Resets every signal
 *       disposition to SIG_DFL and empties the signal mask first (Node ignores SIGPIPE/SIGXFSZ, and an
 *       exec keeps SIG_IGN), marks fds >= 3 close-on-exec and clears close-on-exec on fds 0-2 (Node sets it
 *       on its stdio at startup). Used by the exec helper process.
 */
#define _GNU_SOURCE
#include "addon.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define REAP_BATCH 4096

/* errno's symbolic name for the `code` of thrown errors (the ones these calls can produce), or NULL. */
const char *errno_code(int err) {
  switch (err) {
    case EPERM: return "EPERM";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case EACCES: return "EACCES";
    case ENOEXEC: return "ENOEXEC";
    case E2BIG: return "E2BIG";
    case ENOMEM: return "ENOMEM";
    case ENOTDIR: return "ENOTDIR";
    case EAGAIN: return "EAGAIN";
    case EBADF: return "EBADF";
    case ENXIO: return "ENXIO";
    case ELIBBAD: return "ELIBBAD";
    case EFAULT: return "EFAULT";
    case ELOOP: return "ELOOP";
    case ETXTBSY: return "ETXTBSY";
    case EISDIR: return "EISDIR";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case EMFILE: return "EMFILE";
    case EIO: return "EIO";
    case ENFILE: return "ENFILE";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    default: return NULL;
  }
}

/* Throws an Error with the given message, `code` and `errno` properties. */
static napi_value throw_coded(napi_env env, const char *message, const char *code, int err) {
  napi_value msg, codev, errv, errnov;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &codev);
  napi_create_error(env, codev, msg, &errv);
  napi_create_int32(env, err, &errnov);
  napi_set_named_property(env, errv, "errno", errnov);
  napi_throw(env, errv);
  return NULL;
}

/* Throws `<what>: <strerror> (errno N)` with code = the errno name (UNKNOWN for others). */
napi_value throw_errno(napi_env env, const char *what, int err) {
  char buf[256];
  const char *code = errno_code(err);
  snprintf(buf, sizeof buf, "%s: %s (errno %d)", what, strerror(err), err);
  return throw_coded(env, buf, code ? code : "UNKNOWN", err);
}

static napi_value reap_except(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  const int32_t *managed = NULL;
  size_t nmanaged = 0;
  if (argc >= 1) {
    bool is_ta = false;
    napi_is_typedarray(env, argv[0], &is_ta);
    if (is_ta) {
      napi_typedarray_type type;
      void *data;
      napi_value ab;
      size_t off;
      napi_get_typedarray_info(env, argv[0], &type, &nmanaged, &data, &ab, &off);
      if (type != napi_int32_array) {
        napi_throw_type_error(env, NULL, "reapExcept: expected an Int32Array");
        return NULL;
      }
      managed = (const int32_t *)data;
    }
  }

  static int32_t out[REAP_BATCH * 2 + 1];
  size_t n = 0;
  int32_t last = 0;
  for (;;) {
    if (n >= REAP_BATCH * 2) { last = -1; break; }
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0) {
      if (errno == EINTR) continue;
      break; /* ECHILD: no children at all */
    }
    pid_t pid = si.si_pid;
    if (pid == 0) break; /* children exist, none is a zombie */
    int is_managed = 0;
    for (size_t i = 0; i < nmanaged; i++) {
      if (managed[i] == pid) { is_managed = 1; break; }
    }
    if (is_managed) { last = pid; break; }
    int status = 0;
    pid_t r;
    do { r = waitpid(pid, &status, WNOHANG); } while (r < 0 && errno == EINTR);
    if (r == pid) {
      out[n++] = pid;
      out[n++] = status;
    } else {
      /* Someone else took it between the peek and the wait; try the next one. */
      if (r < 0 && errno != ECHILD) break;
    }
  }
  out[n++] = last;

  napi_value ab, result;
  void *data;
  napi_create_arraybuffer(env, n * sizeof(int32_t), &data, &ab);
  memcpy(data, out, n * sizeof(int32_t));
  napi_create_typedarray(env, napi_int32_array, n, ab, 0, &result);
  return result;
}

static napi_value set_subreaper(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  bool on = true;
  if (argc >= 1) napi_get_value_bool(env, argv[0], &on);
  if (prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) != 0) return throw_errno(env, "prctl(PR_SET_CHILD_SUBREAPER)", errno);
  int cur = 0;
  prctl(PR_GET_CHILD_SUBREAPER, &cur, 0, 0, 0);
  napi_value r;
  napi_get_boolean(env, cur != 0, &r);
  return r;
}

static napi_value limit_value(napi_env env, rlim_t v) {
  napi_value r;
  napi_create_double(env, v == RLIM_INFINITY ? INFINITY : (double)v, &r);
  return r;
}

static rlim_t to_rlim(double d) {
  if (isinf(d) || d < 0 || d >= 18446744073709551615.0) return RLIM_INFINITY;
  return (rlim_t)d;
}

static napi_value get_rlimit(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t res = 0;
  if (argc < 1 || napi_get_value_int32(env, argv[0], &res) != napi_ok) {
    napi_throw_type_error(env, NULL, "getrlimit: resource number expected");
    return NULL;
  }
  struct rlimit rl;
  if (getrlimit(res, &rl) != 0) return throw_errno(env, "getrlimit", errno);
  napi_value arr;
  napi_create_array_with_length(env, 2, &arr);
  napi_set_element(env, arr, 0, limit_value(env, rl.rlim_cur));
  napi_set_element(env, arr, 1, limit_value(env, rl.rlim_max));
  return arr;
}

static napi_value set_rlimit(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t res = 0;
  double soft = 0, hard = 0;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &res) != napi_ok ||
      napi_get_value_double(env, argv[1], &soft) != napi_ok || napi_get_value_double(env, argv[2], &hard) != napi_ok) {
    napi_throw_type_error(env, NULL, "setrlimit: (resource, soft, hard) numbers expected");
    return NULL;
  }
  struct rlimit rl = { to_rlim(soft), to_rlim(hard) };
  if (setrlimit(res, &rl) != 0) return throw_errno(env, "setrlimit", errno);
  return NULL;
}

/* Marks every fd >= from close-on-exec. Returns "close_range" or "proc", or NULL on failure. */
static const char *cloexec_from(int from) {
  if (syscall(SYS_close_range, (unsigned)from, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return "close_range";
  DIR *d = opendir("/proc/self/fd");
  if (d == NULL) return NULL;
  int self = dirfd(d);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    int fd = atoi(e->d_name);
    if (fd < from || fd == self) continue;
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0 && !(fl & FD_CLOEXEC)) fcntl(fd, F_SETFD, fl | FD_CLOEXEC);
  }
  closedir(d);
  return "proc";
}

static napi_value cloexec_from_js(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t from = 3;
  if (argc >= 1) napi_get_value_int32(env, argv[0], &from);
  if (from < 0) from = 0;
  const char *how = cloexec_from(from);
  if (how == NULL) return throw_errno(env, "cloexecFrom", errno);
  napi_value r;
  napi_create_string_utf8(env, how, NAPI_AUTO_LENGTH, &r);
  return r;
}

static napi_value pipe_js(napi_env env, napi_callback_info info) {
  (void)info;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return throw_errno(env, "pipe2", errno);
  napi_value arr, r, w;
  napi_create_array_with_length(env, 2, &arr);
  napi_create_int32(env, fds[0], &r);
  napi_create_int32(env, fds[1], &w);
  napi_set_element(env, arr, 0, r);
  napi_set_element(env, arr, 1, w);
  return arr;
}

char *dup_string(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) return NULL;
  char *s = malloc(len + 1);
  if (s == NULL) return NULL;
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

char **dup_string_array(napi_env env, napi_value arr) {
  uint32_t n = 0;
  if (napi_get_array_length(env, arr, &n) != napi_ok) return NULL;
  char **out = calloc(n + 1, sizeof(char *));
  if (out == NULL) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value el;
    napi_get_element(env, arr, i, &el);
    out[i] = dup_string(env, el);
    if (out[i] == NULL) {
      free_string_array(out);
      return NULL;
    }
  }
  return out;
}

void free_string_array(char **arr) {
  if (arr == NULL) return;
  for (char **p = arr; *p != NULL; p++) free(*p);
  free(arr);
}

static napi_value execve_js(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "execve: (file, argv[], env[]) expected");
    return NULL;
  }
  char *file = dup_string(env, argv[0]);
  char **args = dup_string_array(env, argv[1]);
  char **envp = dup_string_array(env, argv[2]);
  if (file == NULL || args == NULL || envp == NULL) {
    napi_throw_type_error(env, NULL, "execve: (file, argv[], env[]) of strings expected");
    return NULL;
  }
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int s = 1; s < NSIG; s++) {
    if (s == SIGKILL || s == SIGSTOP) continue;
    sigaction(s, &dfl, NULL);
  }
  cloexec_from(3);
  /* Node marks its own stdio FD_CLOEXEC at startup: the program must get fds 0-2. */
  for (int fd = 0; fd <= 2; fd++) {
    int fl = fcntl(fd, F_GETFD);
    if (fl >= 0 && (fl & FD_CLOEXEC)) fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC);
  }
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);
  execve(file, args, envp);
  int err = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return throw_errno(env, "execve", err);
}

/* Throws an Error whose message is Python's OSError text `[Errno N] <text>`, with `code` and `errno`. */
static napi_value throw_py(napi_env env, int err, const char *text, const char *code) {
  char buf[320];
  snprintf(buf, sizeof buf, "[Errno %d] %s", err, text);
  return throw_coded(env, buf, code, err);
}

static napi_value throw_py_errno(napi_env env, int err) {
  const char *code = errno_code(err);
  return throw_py(env, err, strerror(err), code ? code : "OSError");
}

static napi_value bind_socket_js(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 3) {
    napi_throw_type_error(env, NULL, "bindSocket: (kind, address, port) expected");
    return NULL;
  }
  char *kind = dup_string(env, argv[0]);
  char *address = dup_string(env, argv[1]);
  int32_t port = 0;
  napi_get_value_int32(env, argv[2], &port);
  if (kind == NULL || address == NULL) {
    free(kind);
    free(address);
    napi_throw_type_error(env, NULL, "bindSocket: kind and address must be strings");
    return NULL;
  }
  int fd = -1;
  if (strcmp(kind, "unix") == 0) {
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    if (strlen(address) >= sizeof sun.sun_path) {
      free(kind);
      free(address);
      /* Python: OSError: AF_UNIX path too long */
      napi_value msg, codev, errv;
      napi_create_string_utf8(env, "AF_UNIX path too long", NAPI_AUTO_LENGTH, &msg);
      napi_create_string_utf8(env, "ENAMETOOLONG", NAPI_AUTO_LENGTH, &codev);
      napi_create_error(env, codev, msg, &errv);
      napi_throw(env, errv);
      return NULL;
    }
    strcpy(sun.sun_path, address);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
      int err = errno;
      if (fd >= 0) close(fd);
      free(kind);
      free(address);
      return throw_py_errno(env, err);
    }
  } else {
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    int gai = getaddrinfo(address[0] ? address : NULL, "0", &hints, &res);
    if (gai != 0 || res == NULL) {
      free(kind);
      free(address);
      if (gai == EAI_SYSTEM) return throw_py_errno(env, errno);
      return throw_py(env, gai, gai_strerror(gai), "EAI");
    }
    struct sockaddr_in sin;
    memcpy(&sin, res->ai_addr, sizeof sin);
    freeaddrinfo(res);
    sin.sin_port = htons((uint16_t)port);
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
      int err = errno;
      if (fd >= 0) close(fd);
      free(kind);
      free(address);
      return throw_py_errno(env, err);
    }
  }
  free(kind);
  free(address);
  napi_value r;
  napi_create_int32(env, fd, &r);
  return r;
}

static napi_value listen_socket_js(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int32_t fd = -1, backlog = 0;
  if (argc >= 1) napi_get_value_int32(env, argv[0], &fd);
  if (argc >= 2) napi_get_value_int32(env, argv[1], &backlog);
  if (listen(fd, backlog > 0 ? backlog : SOMAXCONN) != 0) return throw_py_errno(env, errno);
  return NULL;
}

static void def(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

static napi_value Init(napi_env env, napi_value exports) {
  def(env, exports, "reapExcept", reap_except);
  def(env, exports, "setSubreaper", set_subreaper);
  def(env, exports, "getrlimit", get_rlimit);
  def(env, exports, "setrlimit", set_rlimit);
  def(env, exports, "cloexecFrom", cloexec_from_js);
  def(env, exports, "pipe", pipe_js);
  def(env, exports, "execve", execve_js);
  def(env, exports, "bindSocket", bind_socket_js);
  def(env, exports, "listenSocket", listen_socket_js);
  def(env, exports, "spawn", spawn_js);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
