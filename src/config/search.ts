// Where supervisord looks for its config file when no -c is given (spec §1.4).
import { existsSync } from 'node:fs';
import { pyDirname, pyJoin } from './pypath.js';

/** The six candidate paths, for `argv0` = how the program was invoked. */
export function configSearchPaths(argv0: string): string[] {
  const h = pyDirname(pyDirname(argv0));
  return [
    pyJoin(pyJoin(h, 'etc'), 'supervisord.conf'),
    pyJoin(h, 'supervisord.conf'),
    'supervisord.conf',
    'etc/supervisord.conf',
    '/etc/supervisord.conf',
    '/etc/supervisor/supervisord.conf',
  ];
}

/** The first existing candidate (relative ones against `cwd`), or null. */
export function findDefaultConfig(argv0: string, cwd: string, exists: (p: string) => boolean = existsSync): string | null {
  for (const p of configSearchPaths(argv0)) {
    if (exists(p.startsWith('/') ? p : pyJoin(cwd, p))) return p;
  }
  return null;
}

export function noConfigFoundMessage(argv0: string): string {
  return (
    `No config file found at default paths (${configSearchPaths(argv0).join(', ')}); ` +
    'use the -c option to specify a config file at a different path'
  );
}

export const ROOT_SEARCH_WARNING =
  'Supervisord is running as root and it is searching for its configuration file in default locations ' +
  '(including its current working directory); you probably want to specify a "-c" argument specifying an ' +
  'absolute path to a configuration file for improved security.';
