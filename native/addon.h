/* What the addon's C files share: reaper.c holds the module and these helpers, spawn.c the spawn call. */
#ifndef TSINIT_ADDON_H
#define TSINIT_ADDON_H
#include <node_api.h>
#include <sys/syscall.h>

/* close_range(2) may be newer than the C library's headers (Linux 5.9; CLOSE_RANGE_CLOEXEC 5.11). */
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* errno's symbolic name (the ones these calls can produce), or NULL. */
const char *errno_code(int err);
/* Throws `<what>: <strerror> (errno N)` with code = the errno name (UNKNOWN for others). */
napi_value throw_errno(napi_env env, const char *what, int err);
/* malloc'd UTF-8 copies of a JS string / array of strings (NULL-terminated); NULL on a non-string. */
char *dup_string(napi_env env, napi_value v);
char **dup_string_array(napi_env env, napi_value arr);
void free_string_array(char **arr);

/* spawn.c */
napi_value spawn_js(napi_env env, napi_callback_info info);

#endif
