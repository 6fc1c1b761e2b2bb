// tsinit's command line: supervisord's flags (Python getopt semantics and error texts, spec §1.2,
// §2.1) plus --print-config, --log-format and the `ctl` / `health` subcommands.
// On an error the caller prints `Error: <message>` and `For help, use <argv0> -h`, and exits 2.
import type { TypeContext } from '../config/datatypes.js';
import {
  byteSize,
  existingDirectory,
  existingDirpath,
  integer,
  loggingLevel,
  octalType,
} from '../config/datatypes.js';
import type { ConfigOverrides } from '../config/load.js';
import { ConfigError } from '../config/model.js';
import { parseLogFormat } from '../config/sections/tsinit.js';
import { pyRepr, pyReprList } from '../common/python-repr.js';

export type ParsedArgs =
  | { readonly mode: 'run' | 'print-config'; readonly configPath: string | null; readonly overrides: ConfigOverrides }
  | { readonly mode: 'help' }
  | { readonly mode: 'version' }
  | { readonly mode: 'ctl' | 'health'; readonly argv: readonly string[] }
  | { readonly mode: 'error'; readonly message: string };

type Handler = (v: string, ctx: TypeContext) => unknown;

interface OptSpec {
  readonly short?: string;
  readonly long?: string;
  readonly takesArg: boolean;
  /** Key in the result (`config` = -c, special actions help/version/print-config). */
  readonly name: keyof ConfigOverrides | 'configfile' | 'help' | 'version' | 'printConfig' | 'profileOptions';
  readonly handler?: Handler;
}

const SPECS: readonly OptSpec[] = [
  { short: 'h', long: 'help', takesArg: false, name: 'help' },
  { short: '?', takesArg: false, name: 'help' },
  { short: 'c', long: 'configuration', takesArg: true, name: 'configfile' },
  { short: 'v', long: 'version', takesArg: false, name: 'version' },
  { short: 'n', long: 'nodaemon', takesArg: false, name: 'nodaemon' },
  { short: 'u', long: 'user', takesArg: true, name: 'user' },
  { short: 'm', long: 'umask', takesArg: true, name: 'umask', handler: (v) => octalType(v) },
  { short: 'd', long: 'directory', takesArg: true, name: 'directory', handler: (v, c) => existingDirectory(v, c) },
  { short: 'l', long: 'logfile', takesArg: true, name: 'logfile', handler: (v, c) => existingDirpath(v, c) },
  { short: 'y', long: 'logfile_maxbytes', takesArg: true, name: 'logfileMaxbytes', handler: (v) => byteSize(v) },
  { short: 'z', long: 'logfile_backups', takesArg: true, name: 'logfileBackups', handler: (v) => integer(v) },
  { short: 'e', long: 'loglevel', takesArg: true, name: 'loglevel', handler: (v) => loggingLevel(v) },
  { short: 'j', long: 'pidfile', takesArg: true, name: 'pidfile', handler: (v, c) => existingDirpath(v, c) },
  { short: 'i', long: 'identifier', takesArg: true, name: 'identifier' },
  { short: 'q', long: 'childlogdir', takesArg: true, name: 'childlogdir', handler: (v, c) => existingDirectory(v, c) },
  { short: 'a', long: 'minfds', takesArg: true, name: 'minfds', handler: (v) => integer(v) },
  { long: 'minprocs', takesArg: true, name: 'minprocs', handler: (v) => integer(v) },
  { short: 'k', long: 'nocleanup', takesArg: false, name: 'nocleanup' },
  { short: 't', long: 'strip_ansi', takesArg: false, name: 'stripAnsi' },
  { long: 'profile_options', takesArg: true, name: 'profileOptions' },
  { short: 's', long: 'silent', takesArg: false, name: 'silent' },
  { long: 'print-config', takesArg: false, name: 'printConfig' },
  { long: 'log-format', takesArg: true, name: 'logFormat', handler: (v) => parseLogFormat(v) },
];

class GetoptError extends Error {}

/** Python getopt.getopt (non-GNU: stops at the first non-option argument). */
function getopt(args: readonly string[]): { opts: [OptSpec, string, string][]; rest: string[] } {
  const opts: [OptSpec, string, string][] = [];
  let a = [...args];
  while (a.length > 0 && a[0]!.startsWith('-') && a[0] !== '-') {
    if (a[0] === '--') {
      a = a.slice(1);
      break;
    }
    const first = a.shift()!;
    if (first.startsWith('--')) {
      let opt = first.slice(2);
      let optarg: string | null = null;
      const eq = opt.indexOf('=');
      if (eq >= 0) {
        optarg = opt.slice(eq + 1);
        opt = opt.slice(0, eq);
      }
      const longs = SPECS.filter((s) => s.long !== undefined);
      let spec = longs.find((s) => s.long === opt);
      if (!spec) {
        const poss = longs.filter((s) => s.long!.startsWith(opt));
        if (poss.length === 0) throw new GetoptError(`option --${opt} not recognized`);
        if (poss.length > 1) throw new GetoptError(`option --${opt} not a unique prefix`);
        spec = poss[0]!;
      }
      if (spec.takesArg) {
        if (optarg === null) {
          if (a.length === 0) throw new GetoptError(`option --${spec.long} requires argument`);
          optarg = a.shift()!;
        }
      } else if (optarg !== null) {
        throw new GetoptError(`option --${spec.long} must not have an argument`);
      }
      opts.push([spec, `--${spec.long}`, optarg ?? '']);
    } else {
      let s = first.slice(1);
      while (s !== '') {
        const ch = s[0]!;
        s = s.slice(1);
        const spec = SPECS.find((x) => x.short === ch);
        if (!spec) throw new GetoptError(`option -${ch} not recognized`);
        let optarg = '';
        if (spec.takesArg) {
          if (s === '') {
            if (a.length === 0) throw new GetoptError(`option -${ch} requires argument`);
            s = a.shift()!;
          }
          optarg = s;
          s = '';
        }
        opts.push([spec, `-${ch}`, optarg]);
      }
    }
  }
  return { opts, rest: a };
}

/** Parse argv (without node and script). `ctx` validates path-like values like supervisord does. */
export function parseArgs(argv: readonly string[], ctx: TypeContext): ParsedArgs {
  if (argv[0] === 'ctl') return { mode: 'ctl', argv: argv.slice(1) };
  if (argv[0] === 'health') return { mode: 'health', argv: argv.slice(1) };
  let parsed: ReturnType<typeof getopt>;
  try {
    parsed = getopt(argv);
  } catch (err) {
    if (err instanceof GetoptError) return { mode: 'error', message: err.message };
    throw err;
  }
  if (parsed.rest.length > 0) {
    return { mode: 'error', message: `positional arguments are not supported: ${pyReprList(parsed.rest)}` };
  }
  const values: Record<string, unknown> = {};
  let printConfig = false;
  for (const [spec, opt, arg] of parsed.opts) {
    if (spec.name === 'help') return { mode: 'help' };
    if (spec.name === 'version') return { mode: 'version' };
    if (spec.name === 'printConfig') {
      printConfig = true;
      continue;
    }
    let value: unknown = spec.takesArg ? arg : true;
    if (spec.handler) {
      try {
        value = spec.handler(arg, ctx);
      } catch (err) {
        if (err instanceof ConfigError) {
          return { mode: 'error', message: `invalid value for ${opt} ${pyRepr(arg)}: ${err.message}` };
        }
        throw err;
      }
    }
    if (values[spec.name] !== undefined) {
      return { mode: 'error', message: `conflicting command line option ${pyRepr(opt)}` };
    }
    values[spec.name] = value;
  }
  const { configfile, profileOptions, ...overrides } = values;
  void profileOptions; // accepted and ignored (supervisord's profiler)
  return {
    mode: printConfig ? 'print-config' : 'run',
    configPath: typeof configfile === 'string' ? configfile : null,
    overrides: overrides as ConfigOverrides,
  };
}

/** The two stderr lines supervisord prints for a usage error. */
export function usageErrorText(message: string, argv0: string): string {
  return `Error: ${message}\nFor help, use ${argv0} -h\n`;
}
