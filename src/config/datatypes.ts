// supervisord's value types (supervisor/datatypes.py), spec §1.6: the same acceptance rules and the
// same error texts. Every converter throws ConfigError with the bare supervisord message; callers add
// the " in section ..." suffix where supervisord does.
import type { AutoRestart, LogDestination, LogLevel } from './model.js';
import { ConfigError } from './model.js';
import { pyRepr } from '../common/python-repr.js';
import { pyStrip } from './pyrepr.js';
import { isDirectory, pyDirname, pyExpanduser } from './pypath.js';
import { SIGNAL_ATTRS, SIGNAL_NUMBERS } from './signals.js';
import type { UserDb } from './users.js';
import { groupByGid, groupByName, userByName, userByUid } from './users.js';

/** What the filesystem-dependent types need: home for `~`, the user database and the cwd. */
export interface TypeContext {
  readonly home: string | undefined;
  readonly db: UserDb;
  readonly cwd: string;
}

/** Python int(s, base) for str input; null when Python would raise ValueError. */
export function parsePyInt(s: string, base: 8 | 10): number | null {
  let t = pyStrip(s);
  let sign = 1;
  if (t.startsWith('+') || t.startsWith('-')) {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
  }
  if (base === 8 && /^0[oO]/.test(t)) {
    t = t.slice(2);
    if (t.startsWith('_')) t = t.slice(1);
  }
  const digit = base === 8 ? '[0-7]' : '[0-9]';
  if (!new RegExp(`^${digit}+(_${digit}+)*$`).test(t)) return null;
  const n = parseInt(t.replace(/_/g, ''), base);
  return sign * n;
}

function intError(value: string): ConfigError {
  return new ConfigError(`invalid literal for int() with base 10: ${pyRepr(value)}`);
}

/** Python int(value). */
export function integer(value: string | number): number {
  if (typeof value === 'number') return value;
  const n = parsePyInt(value, 10);
  if (n === null) throw intError(value);
  return n;
}

const TRUTHY = ['yes', 'true', 'on', '1'];
const FALSY = ['no', 'false', 'off', '0'];

export function boolean(s: string | boolean): boolean {
  if (typeof s === 'boolean') return s;
  const ss = s.toLowerCase();
  if (TRUTHY.includes(ss)) return true;
  if (FALSY.includes(ss)) return false;
  throw new ConfigError(`not a valid boolean value: ${pyRepr(s)}`);
}

export function listOfStrings(arg: string | null): string[] {
  if (!arg) return [];
  return arg.split(',').map(pyStrip);
}

export function listOfExitcodes(arg: string): number[] {
  if (!arg) return [];
  const out: number[] = [];
  for (const item of arg.split(',')) {
    const n = parsePyInt(item, 10);
    if (n === null || n > 255 || n < 0) throw new ConfigError(`not a valid list of exit codes: ${pyRepr(arg)}`);
    out.push(n);
  }
  return out;
}

const BYTE_SUFFIXES: readonly [string, number][] = [
  ['kb', 1024],
  ['mb', 1024 * 1024],
  ['gb', 1024 * 1024 * 1024],
];

export function byteSize(v: string): number {
  const lower = v.toLowerCase();
  for (const [suffix, mult] of BYTE_SUFFIXES) {
    if (lower.slice(-2) === suffix) {
      const num = lower.slice(0, -2);
      const n = parsePyInt(num, 10);
      if (n === null) throw intError(num);
      return n * mult;
    }
  }
  const n = parsePyInt(lower, 10);
  if (n === null) throw intError(lower);
  return n;
}

export function octalType(arg: string): number {
  const n = parsePyInt(arg, 8);
  if (n === null) throw new ConfigError(`${arg} can not be converted to an octal type`);
  return n;
}

export function signalNumber(value: string): number {
  let num = parsePyInt(value, 10);
  if (num === null) {
    let name = pyStrip(value).toUpperCase();
    if (!name.startsWith('SIG')) name = 'SIG' + name;
    const found = Object.prototype.hasOwnProperty.call(SIGNAL_ATTRS, name) ? SIGNAL_ATTRS[name] : undefined;
    if (found === undefined) throw new ConfigError(`value ${pyRepr(value)} is not a valid signal name`);
    num = found;
  }
  if (!SIGNAL_NUMBERS.has(num)) throw new ConfigError(`value ${pyRepr(value)} is not a valid signal number`);
  return num;
}

export function autoRestart(value: string): AutoRestart {
  const v = value.toLowerCase();
  if (TRUTHY.includes(v)) return 'true';
  if (FALSY.includes(v)) return 'false';
  if (v === 'unexpected') return 'unexpected';
  throw new ConfigError(`invalid 'autorestart' value ${pyRepr(v)}`);
}

/** existing_dirpath: `~` expanded; the parent directory (if any) must exist. Relative paths stay relative. */
export function existingDirpath(v: string, ctx: TypeContext): string {
  const nv = pyExpanduser(v, ctx.home, ctx.db);
  const dir = pyDirname(nv);
  if (!dir) return nv;
  if (isDirectory(dir, ctx.cwd)) return nv;
  throw new ConfigError(`The directory named as part of the path ${v} does not exist`);
}

export function existingDirectory(v: string, ctx: TypeContext): string {
  const nv = pyExpanduser(v, ctx.home, ctx.db);
  if (isDirectory(nv, ctx.cwd)) return nv;
  throw new ConfigError(`${v} is not an existing directory`);
}

/** A child logfile value: NONE/OFF, AUTO, the deprecated `syslog`, or a path whose directory exists. */
export type LogfileValue = LogDestination | { readonly kind: 'syslog' };

export function logfileName(val: string, ctx: TypeContext): LogfileValue {
  const coerced = val.toLowerCase();
  if (coerced === 'none' || coerced === 'off') return { kind: 'none' };
  if (coerced === 'auto') return { kind: 'auto' };
  if (coerced === 'syslog') return { kind: 'syslog' };
  return { kind: 'file', path: existingDirpath(val, ctx) };
}

const LEVELS: readonly LogLevel[] = ['critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather'];

export function loggingLevel(value: string): LogLevel {
  const s = value.toLowerCase();
  if ((LEVELS as readonly string[]).includes(s)) return s as LogLevel;
  throw new ConfigError(`bad logging level name ${pyRepr(value)}`);
}

export function nameToUid(name: string, db: UserDb): number {
  const uid = parsePyInt(name, 10);
  if (uid === null) {
    const u = userByName(db, name);
    if (!u) throw new ConfigError(`Invalid user name ${name}`);
    return u.uid;
  }
  if (!userByUid(db, uid)) throw new ConfigError(`Invalid user id ${name}`);
  return uid;
}

export function nameToGid(name: string, db: UserDb): number {
  const gid = parsePyInt(name, 10);
  if (gid === null) {
    const g = groupByName(db, name);
    if (!g) throw new ConfigError(`Invalid group name ${name}`);
    return g.gid;
  }
  if (!groupByGid(db, gid)) throw new ConfigError(`Invalid group id ${name}`);
  return gid;
}

export function gidForUid(uid: number, db: UserDb): number {
  const u = userByUid(db, uid);
  if (!u) throw new ConfigError(`getpwuid(): uid not found: ${uid}`);
  return u.gid;
}

/** 'user' or 'user:group' → [uid, gid] (gid -1 when no group is given). */
export function colonSeparatedUserGroup(arg: string, db: UserDb): [number, number] {
  try {
    const idx = arg.indexOf(':');
    if (idx < 0) return [nameToUid(arg, db), -1];
    return [nameToUid(arg.slice(0, idx), db), nameToGid(arg.slice(idx + 1), db)];
  } catch {
    throw new ConfigError(`Invalid user:group definition ${arg}`);
  }
}

function portNumber(s: string): number {
  const v = integer(s);
  if (v < 1) throw new ConfigError(`${v} is below lower bound (1)`);
  if (v > 0xffff) throw new ConfigError(`${v} is above upper bound (65535)`);
  return v;
}

/** port, host:port, *:port, :port → [host ('' = all interfaces), port]. */
export function inetAddress(s: string): [string, number] {
  let host = '';
  let port: number;
  const idx = s.lastIndexOf(':');
  if (idx >= 0) {
    host = s.slice(0, idx);
    const rest = s.slice(idx + 1);
    if (!rest) throw new ConfigError(`no port number specified in ${pyRepr(rest)}`);
    port = portNumber(rest);
    host = host.toLowerCase();
  } else {
    try {
      port = portNumber(s);
    } catch {
      throw new ConfigError(`not a valid port number: ${pyRepr(s)} `);
    }
  }
  if (!host || host === '*') host = '';
  return [host, port];
}

/** Python urllib.parse.urlparse's split into scheme / netloc / path, enough for url(). */
export function splitUrl(value: string): { scheme: string; netloc: string; path: string } {
  let scheme = '';
  let rest = value;
  const colon = value.indexOf(':');
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+\-.]*$/.test(value.slice(0, colon))) {
    scheme = value.slice(0, colon).toLowerCase();
    rest = value.slice(colon + 1);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    let end = rest.length;
    for (const c of ['/', '?', '#']) {
      const i = rest.indexOf(c, 2);
      if (i >= 0 && i < end) end = i;
    }
    netloc = rest.slice(2, end);
    rest = rest.slice(end);
  }
  const cut = rest.search(/[?#]/);
  const path = cut >= 0 ? rest.slice(0, cut) : rest;
  return { scheme, netloc, path };
}

export function url(value: string): string {
  const { scheme, netloc, path } = splitUrl(value);
  if (scheme && (netloc || path)) return value;
  throw new ConfigError(`value ${pyRepr(value)} is not a URL`);
}

/** Process and group names: trimmed; no space, ':' or '/'. */
export function processOrGroupName(name: string): string {
  const s = pyStrip(name);
  for (const ch of [' ', ':', '/']) {
    if (s.includes(ch)) throw new ConfigError(`Invalid name: ${pyRepr(name)} because of character: ${pyRepr(ch)}`);
  }
  return s;
}
