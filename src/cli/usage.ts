// `tsinit -h`: supervisord's usage text, adapted to a foreground PID 1, plus tsinit's additions.

export const VERSION_TEXT = '4.2.5';

export function usageText(progname: string): string {
  return `tsinit -- run a set of applications as a container's init (reads supervisord.conf).

Usage: ${progname} [options]
       ${progname} ctl [supervisorctl options] [action [arguments]]
       ${progname} health [options]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-n/--nodaemon -- accepted for compatibility; tsinit always runs in the foreground
-s/--silent -- no logs to stdout (maps to 'silent=true' in config file)
-h/--help -- print this usage message and exit
-v/--version -- print the supervisord version tsinit implements and exit
-u/--user USER -- run as this user (or numeric uid)
-m/--umask UMASK -- umask (accepted; like supervisord, only used when daemonizing)
-d/--directory DIRECTORY -- directory (accepted; like supervisord, only used when daemonizing)
-l/--logfile FILENAME -- use FILENAME as logfile path
-y/--logfile_maxbytes BYTES -- use BYTES to limit the max size of logfile
-z/--logfile_backups NUM -- number of backups to keep when max bytes reached
-e/--loglevel LEVEL -- use LEVEL as log level (debug,info,warn,error,critical)
-j/--pidfile FILENAME -- write a pid file to FILENAME
-i/--identifier STR -- identifier used for this instance
-q/--childlogdir DIRECTORY -- the log directory for child process logs
-k/--nocleanup --  prevent the process from performing cleanup (removal of
                   old automatic child log files) at startup.
-a/--minfds NUM -- the minimum number of file descriptors for start success
-t/--strip_ansi -- strip ansi escape codes from process output
--minprocs NUM  -- the minimum number of processes available for start success
--log-format text|json -- format of tsinit's own log lines (overrides [tsinit] log_format)
--print-config -- print the resolved configuration as JSON and exit
`;
}
