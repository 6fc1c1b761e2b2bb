// The front matter shared by the run mode and --print-config: parse the command line (help, version and
// usage errors end here with supervisord's texts and exit codes), find the config file, and turn a config
// error into `Error: <message>` / `For help, use <argv0> -h` with exit 2.
import type { ConfigOverrides } from '../config/load.js';
import { ConfigError } from '../config/model.js';
import { findDefaultConfig, noConfigFoundMessage, ROOT_SEARCH_WARNING } from '../config/search.js';
import { loadUserDb, type UserDb } from '../config/users.js';
import { parseArgs, usageErrorText } from './args.js';
import { usageText, VERSION_TEXT } from './usage.js';

export interface CliIo {
  /** How tsinit was invoked (for the config search and `For help, use <argv0> -h`). */
  readonly argv0: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

export const defaultCliIo = (): CliIo => ({
  argv0: process.argv[1] ?? 'tsinit',
  env: process.env,
  cwd: process.cwd(),
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
});

export interface ConfigRequest {
  readonly mode: 'run' | 'print-config';
  /** The -c file, or the first existing default path (spec §1.4). */
  readonly configPath: string;
  readonly overrides: ConfigOverrides;
  /** /etc/passwd + /etc/group, parsed once for the command line and the first config read. */
  readonly userDb: UserDb;
}

/** Parses argv; returns what to read, or the exit status after printing help, the version or an error. */
export function readCommandLine(argv: readonly string[], io: CliIo): ConfigRequest | number {
  const userDb = loadUserDb();
  const parsed = parseArgs(argv, { home: io.env.HOME, db: userDb, cwd: io.cwd });
  switch (parsed.mode) {
    case 'error':
      io.stderr(usageErrorText(parsed.message, io.argv0));
      return 2;
    case 'help':
      io.stdout(usageText(io.argv0));
      return 0;
    case 'version':
      io.stdout(`${VERSION_TEXT}\n`);
      return 0;
    case 'ctl':
    case 'health':
      io.stderr(usageErrorText(`${parsed.mode} cannot be combined with other options`, io.argv0));
      return 2;
  }
  let configPath = parsed.configPath;
  if (configPath === null) {
    if (process.getuid?.() === 0) io.stderr(`UserWarning: ${ROOT_SEARCH_WARNING}\n`);
    configPath = findDefaultConfig(io.argv0, io.cwd);
    if (configPath === null) return configErrorExit(new ConfigError(noConfigFoundMessage(io.argv0)), io);
  }
  return { mode: parsed.mode, configPath, overrides: parsed.overrides, userDb };
}

/** Prints a config error as supervisord does and returns exit status 2 (anything else is reported as unexpected). */
export function configErrorExit(err: unknown, io: CliIo): number {
  const msg =
    err instanceof ConfigError
      ? err.message
      : `unexpected error while reading the configuration: ${err instanceof Error ? err.message : String(err)}`;
  io.stderr(usageErrorText(msg, io.argv0));
  return 2;
}
