// Node signal names to numbers ('SIGTERM' → 15). The texts for exits live in src/common/exit-status.ts.
import { constants } from 'node:os';

/** Signal number for a Node signal name ('SIGTERM' → 15), or null. */
export function signalNumber(name: string | null | undefined): number | null {
  if (!name) return null;
  const n = (constants.signals as Record<string, number | undefined>)[name];
  return typeof n === 'number' ? n : null;
}
