// Kubernetes' termination message: when a critical program ends the container, its one-line summary goes to
// /dev/termination-log (or $TSINIT_TERMINATION_LOG) when that file exists and is writable. Never throws.
import { accessSync, constants, writeFileSync } from 'node:fs';

export const DEFAULT_TERMINATION_LOG = '/dev/termination-log';

export function terminationLogPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const p = env.TSINIT_TERMINATION_LOG;
  return p && p.trim() !== '' ? p : DEFAULT_TERMINATION_LOG;
}

/** Writes `summary` + newline; returns whether it was written. */
export function writeTerminationLog(summary: string, path: string = terminationLogPath()): boolean {
  try {
    accessSync(path, constants.W_OK);
  } catch {
    return false;
  }
  try {
    writeFileSync(path, `${summary}\n`);
    return true;
  } catch {
    return false;
  }
}
