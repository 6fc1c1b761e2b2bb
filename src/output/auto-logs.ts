// AUTO child logs (spec §5.2, §4.1 step 6): `<childlogdir>/<name>-<channel>---<identifier>-<8 random>.log`,
// created empty (0600, O_EXCL like Python's mkstemp) when the group is created, and deleted at the next
// start/reload unless nocleanup.
import fs from 'node:fs';
import path from 'node:path';

const RANDOM_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';

/**
 * Like Python's mkstemp (which supervisord uses), the name's uniqueness comes from O_EXCL, not from the
 * random source: Math.random, as mkstemp's non-cryptographic `random.Random`. node:crypto would cost ~3 ms of
 * launch time before the first spawn of a program with an AUTO log (BENCHMARKS.md §1).
 */
function randomName(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += RANDOM_CHARS[Math.floor(Math.random() * RANDOM_CHARS.length)];
  return s;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** supervisord's regex for old AUTO logs, anchored at the start like Python's re.match. */
export function autoLogPattern(identifier: string): RegExp {
  return new RegExp(`^.+?---${escapeRegex(identifier)}-\\S+\\.log\\.?\\d{0,4}`);
}

/** Create the empty AUTO file and return its path (throws on failure: the caller reports it). */
export function createAutoLog(childlogdir: string, name: string, channel: 'stdout' | 'stderr', identifier: string): string {
  const prefix = `${name}-${channel}---${identifier}-`;
  for (let attempt = 0; ; attempt++) {
    const file = path.join(childlogdir, `${prefix}${randomName()}.log`);
    try {
      fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_RDWR, 0o600));
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 100) throw e;
    }
  }
}

/** Delete old AUTO logs; problems are reported with supervisord's WARN texts. */
export function cleanupAutoLogs(childlogdir: string, identifier: string, warn: (msg: string) => void): void {
  let names: string[];
  try {
    names = fs.readdirSync(childlogdir);
  } catch {
    warn('Could not clear childlog dir');
    return;
  }
  const re = autoLogPattern(identifier);
  for (const name of names) {
    if (!re.test(name)) continue;
    const full = path.join(childlogdir, name);
    try {
      fs.unlinkSync(full);
    } catch {
      warn(`Failed to clean up '${full}'`);
    }
  }
}
