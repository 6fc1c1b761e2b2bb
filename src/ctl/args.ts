// `tsinit ctl` command line: supervisorctl's options, parsed like Python's getopt (options end at the
// first non-option argument, so `ctl tail -f web` passes `-f` to the command).

export interface CtlArgs {
  readonly configFile: string | null;
  readonly serverurl: string | null;
  readonly username: string | null;
  readonly password: string | null;
  readonly interactive: boolean;
  readonly help: boolean;
  /** The command and its arguments (empty: interactive shell). */
  readonly command: readonly string[];
}

export class CtlUsageError extends Error {
  override readonly name = 'CtlUsageError';
}

const WITH_VALUE: Readonly<Record<string, keyof Mutable>> = {
  '-c': 'configFile',
  '--configuration': 'configFile',
  '-s': 'serverurl',
  '--serverurl': 'serverurl',
  '-u': 'username',
  '--username': 'username',
  '-p': 'password',
  '--password': 'password',
  '-r': 'history',
  '--history_file': 'history',
};

interface Mutable {
  configFile: string | null;
  serverurl: string | null;
  username: string | null;
  password: string | null;
  history: string | null;
  interactive: boolean;
  help: boolean;
}

const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/?./;

export function parseCtlArgs(argv: readonly string[]): CtlArgs {
  const o: Mutable = {
    configFile: null,
    serverurl: null,
    username: null,
    password: null,
    history: null,
    interactive: false,
    help: false,
  };
  let i = 0;
  while (i < argv.length) {
    const a = argv[i]!;
    if (a === '--') {
      i += 1;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a === '-h' || a === '--help' || a === '-?') {
      o.help = true;
      i += 1;
      continue;
    }
    if (a === '-i' || a === '--interactive') {
      o.interactive = true;
      i += 1;
      continue;
    }
    let key = a;
    let value: string | undefined;
    if (a.startsWith('--') && a.includes('=')) {
      key = a.slice(0, a.indexOf('='));
      value = a.slice(a.indexOf('=') + 1);
    } else if (!a.startsWith('--') && a.length > 2) {
      key = a.slice(0, 2);
      value = a.slice(2);
    }
    const field = WITH_VALUE[key];
    if (!field) throw new CtlUsageError(`option ${key} not recognized`);
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new CtlUsageError(`option ${key} requires argument`);
      value = argv[i + 1]!;
      i += 2;
    } else {
      i += 1;
    }
    (o as unknown as Record<string, string>)[field] = value;
  }
  if (o.serverurl !== null && !URL_RE.test(o.serverurl)) {
    throw new CtlUsageError(`invalid value for -s ${JSON.stringify(o.serverurl)}: value '${o.serverurl}' is not a URL`);
  }
  return {
    configFile: o.configFile,
    serverurl: o.serverurl,
    username: o.username,
    password: o.password,
    interactive: o.interactive,
    help: o.help,
    command: argv.slice(i),
  };
}
