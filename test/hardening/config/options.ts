// Option names per section kind, for the config fuzzers: every option tsinit's reader looks at.
export const SUPERVISORD_OPTIONS = [
  'logfile', 'logfile_maxbytes', 'logfile_backups', 'loglevel', 'pidfile', 'umask', 'nodaemon', 'silent',
  'minfds', 'minprocs', 'nocleanup', 'childlogdir', 'user', 'directory', 'strip_ansi', 'environment', 'identifier',
] as const;

export const PROGRAM_OPTIONS = [
  'command', 'process_name', 'numprocs', 'numprocs_start', 'priority', 'autostart', 'autorestart', 'startsecs',
  'startretries', 'exitcodes', 'stopsignal', 'stopwaitsecs', 'stopasgroup', 'killasgroup', 'user', 'redirect_stderr',
  'stdout_logfile', 'stdout_logfile_maxbytes', 'stdout_logfile_backups', 'stdout_capture_maxbytes',
  'stdout_events_enabled', 'stdout_syslog', 'stderr_logfile', 'stderr_logfile_maxbytes', 'stderr_logfile_backups',
  'stderr_capture_maxbytes', 'stderr_events_enabled', 'stderr_syslog', 'environment', 'directory', 'umask',
  'serverurl', 'critical', 'prefix',
] as const;

export const LISTENER_OPTIONS = ['events', 'buffer_size', 'result_handler'] as const;
export const FCGI_OPTIONS = ['socket', 'socket_backlog', 'socket_owner', 'socket_mode'] as const;
export const GROUP_OPTIONS = ['programs', 'priority'] as const;
export const UNIX_OPTIONS = ['file', 'chmod', 'chown', 'username', 'password'] as const;
export const INET_OPTIONS = ['port', 'username', 'password'] as const;
export const CTL_OPTIONS = ['serverurl', 'username', 'password', 'prompt', 'history_file'] as const;
export const TSINIT_OPTIONS = ['log_format', 'prefix', 'health', 'kill_grace_secs'] as const;

/** Values that are valid for some option somewhere, to mix with garbage. */
export const INTERESTING_VALUES = [
  '', '0', '1', '-1', '022', '0o22', '089', '777', '999', '1_0', '1KB', '1 MB', '1TB', '1.5', 'abc',
  'true', 'false', 'yes', 'no', 'maybe', 'unexpected', 'TERM', 'SIGKILL', 'FOO', '40', '65', '0,2', '0,256', '1,',
  'NONE', 'AUTO', 'syslog', '/dev/stdout', '/nonexistent/x.log', '/tmp', '/', '~', '~nosuch/x',
  'root', 'nosuchuser', '54321', 'root:root', 'root:nosuchgroup', ':', '127.0.0.1:9001', '*:9001', ':0', ':65536',
  'unix:///tmp/x.sock', 'unix://rel.sock', 'tcp://localhost:9000', 'tcp://', 'http://', 'x',
  'A=1', 'A="1",B=2', 'A="unterminated', 'A=1,B', 'A=%(ENV_HOME)s', '%(here)s', '%(process_num)02d', '%(nope)s',
  '100%', '%z', '%s', '%%', '%(program_name)s_%(process_num)d', 'TICK_5', 'PROCESS_STATE', 'FOO_EVENT',
  'supervisor.dispatchers:default_handler', 'foo.bar:baz', 'json', 'text', '0.0.0.0:8080', 'localhost:0',
  'a b', 'a:b', 'a/b', '\u00e9\u00e8', '\u{1F600}', 'x'.repeat(5000), '9'.repeat(400), '-' + '9'.repeat(40),
] as const;
