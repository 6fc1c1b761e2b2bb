// Help texts of supervisorctl's commands (printed by `help <cmd>` and after usage errors).

export const HELP: Readonly<Record<string, string>> = {
  add: 'add <name> [...]\tActivates any updates in config for process/group',
  avail: 'avail\t\t\tDisplay all configured processes',
  clear: "clear <name>\t\tClear a process' log files.\nclear <name> <name>\tClear multiple process' log files\nclear all\t\tClear all process' log files",
  exit: 'exit\tExit the supervisor shell.',
  fg: 'fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit',
  maintail:
    'maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\n' +
    'maintail -100\tlast 100 *bytes* of supervisord main log file\nmaintail\tlast 1600 *bytes* of supervisor main log file\n',
  open: 'open <url>\tConnect to a remote supervisord process.\n\t\t(for UNIX domain socket, use unix:///socket/path)',
  pid: 'pid\t\t\tGet the PID of supervisord.\npid <name>\t\tGet the PID of a single child process by name.\npid all\t\t\tGet the PID of every child process, one per line.',
  quit: 'quit\tExit the supervisor shell.',
  reload: 'reload \t\tRestart the remote supervisord.',
  remove: 'remove <name> [...]\tRemoves process/group from active config',
  reread: "reread \t\t\tReload the daemon's configuration files without add/remove",
  restart:
    'restart <name>\t\tRestart a process\nrestart <gname>:*\tRestart all processes in a group\n' +
    'restart <name> <name>\tRestart multiple processes or groups\nrestart all\t\tRestart all processes\n' +
    'Note: restart does not reread config files. For that, see reread and update.',
  shutdown: 'shutdown \tShut the remote supervisord down.',
  signal:
    'signal <signal name> <name>\t\tSignal a process\nsignal <signal name> <gname>:*\t\tSignal all processes in a group\n' +
    'signal <signal name> <name> <name>\tSignal multiple processes or groups\nsignal <signal name> all\t\tSignal all processes',
  start:
    'start <name>\t\tStart a process\nstart <gname>:*\t\tStart all processes in a group\n' +
    'start <name> <name>\tStart multiple processes or groups\nstart all\t\tStart all processes',
  status:
    'status <name>\t\tGet status for a single process\nstatus <gname>:*\tGet status for all processes in a group\n' +
    'status <name> <name>\tGet status for multiple named processes\nstatus\t\t\tGet all process status info',
  stop: 'stop <name>\t\tStop a process\nstop <gname>:*\t\tStop all processes in a group\nstop <name> <name>\tStop multiple processes or groups\nstop all\t\tStop all processes',
  tail:
    'tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n' +
    '\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr',
  update:
    'update\t\t\tReload config and add/remove as necessary, and will restart affected programs\n' +
    'update all\t\tReload config and add/remove as necessary, and will restart affected programs\n' +
    'update <gname> [...]\tUpdate specific groups',
  version: 'version\t\t\tShow the version of the remote supervisord process',
  help: 'help\t\tPrint a list of available actions\nhelp <action>\tPrint help for <action>',
};

const COMMANDS = Object.keys(HELP).filter((c) => c !== 'help').sort();

/** The `help` overview: cmd.Cmd's column layout of the command names. */
export function helpOverview(): string {
  const header = 'default commands (type help <topic>):';
  const rows = 3;
  const cols = Math.ceil(COMMANDS.length / rows);
  const columns: string[][] = [];
  for (let c = 0; c < cols; c += 1) columns.push(COMMANDS.slice(c * rows, c * rows + rows));
  const widths = columns.map((col) => Math.max(...col.map((s) => s.length)));
  const lines: string[] = [];
  for (let r = 0; r < rows; r += 1) {
    // cmd.Cmd.columnize: empty trailing cells are dropped, every other cell is padded to its column's
    // width (so lines keep trailing spaces, as supervisorctl prints them)
    const texts = columns.map((col) => col[r] ?? '');
    while (texts.length > 0 && texts[texts.length - 1] === '') texts.pop();
    lines.push(texts.map((t, c) => t.padEnd(widths[c]!)).join('  '));
  }
  return `\n${header}\n${'='.repeat(header.length)}\n${lines.join('\n')}\n`;
}

export const CTL_USAGE = `tsinit ctl -- control a running tsinit (or supervisord) process.

Usage: tsinit ctl [options] [action [arguments]]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-h/--help -- print usage message and exit
-i/--interactive -- start an interactive shell after executing commands
-s/--serverurl URL -- URL on which supervisord server is listening
     (default "http://localhost:9001").
-u/--username USERNAME -- username to use for authentication with server
-p/--password PASSWORD -- password to use for authentication with server

action [arguments] -- see below

Actions are commands like "tail" or "stop".  If -i is specified or no action is
specified on the command line, a "shell" interpreting actions typed
interactively is started.  Use the action "help" to find out about available
actions.
`;
