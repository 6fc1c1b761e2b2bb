// Errno numbers/codes to the symbolic names Python's errno.errorcode gives (supervisord's child messages
// print them: `couldn't chdir to /x: ENOENT`).
import { constants } from 'node:os';

const BY_NUMBER = new Map<number, string>();
for (const [name, num] of Object.entries(constants.errno)) if (!BY_NUMBER.has(num)) BY_NUMBER.set(num, name);
// Python's errorcode keeps the later alias for these numbers.
BY_NUMBER.set(constants.errno.EDEADLK, 'EDEADLOCK');
BY_NUMBER.set(constants.errno.ENOTSUP, 'ENOTSUP');
BY_NUMBER.set(constants.errno.EAGAIN, 'EAGAIN');

/** Name of a positive (or libuv-style negative) errno number, or the number itself when unknown. */
export function errnoName(errno: number): string {
  return BY_NUMBER.get(Math.abs(errno)) ?? String(Math.abs(errno));
}

/** The errno name of a Node system error (`err.code`, else from `err.errno`). */
export function errorCodeOf(err: unknown): string {
  const e = err as { code?: unknown; errno?: unknown };
  if (typeof e?.errno === 'number') return errnoName(e.errno);
  if (typeof e?.code === 'string' && e.code !== 'UNKNOWN') return e.code;
  return String(err);
}
