// tsinit's `critical=true` extension: when a critical program is done for good (FATAL, or EXITED without
// a restart coming), the container stops. This module decides that and computes the summary and exit code.
import type { ProcessConfig } from '../config/model.js';
import { exitMessage, type ExitFacts } from '../common/exit-status.js';
import type { LastAttempt } from './process-machine.js';
import { ProcessState } from './states.js';

export interface CriticalExit {
  readonly name: string;
  readonly group: string;
  readonly state: 'FATAL' | 'EXITED';
  /** The last exit, or null when the process never ran (spawn errors only). */
  readonly lastExit: ExitFacts | null;
  readonly lastAttempt: LastAttempt;
  readonly spawnerr: string | null;
  readonly attempts: number;
  readonly expected: boolean;
  /** What tsinit exits with once everything is stopped. */
  readonly exitCode: number;
  /** The one-line summary for the main log and /dev/termination-log. */
  readonly summary: string;
}

/** Whether an EXITED process will be restarted by supervisord's transition rules. */
export function willRestart(cfg: ProcessConfig, exitstatus: number | null): boolean {
  if (cfg.autorestart === 'true') return true;
  if (cfg.autorestart === 'unexpected') return exitstatus === null || !cfg.exitcodes.includes(exitstatus);
  return false;
}

/** Does this state change end a critical program for good? */
export function isTerminal(cfg: ProcessConfig, to: ProcessState, exitstatus: number | null): boolean {
  if (!cfg.critical) return false;
  if (to === ProcessState.FATAL) return true;
  if (to === ProcessState.EXITED) return !willRestart(cfg, exitstatus);
  return false;
}

export function criticalExitCode(state: 'FATAL' | 'EXITED', lastAttempt: LastAttempt, lastExit: ExitFacts | null, expected: boolean): number {
  if (lastAttempt === 'spawn-error' || lastAttempt === 'none' || lastExit === null) return 1;
  if (lastExit.signal !== null) return 128 + lastExit.signal;
  const code = lastExit.code ?? 1;
  if (code !== 0) return code;
  // Exit status 0: success only when it was an expected exit that will not be restarted.
  return state === 'EXITED' && expected ? 0 : 1;
}

export function describeCritical(input: Omit<CriticalExit, 'exitCode' | 'summary'>): CriticalExit {
  const exitCode = criticalExitCode(input.state, input.lastAttempt, input.lastExit, input.expected);
  const how =
    input.lastAttempt === 'spawn-error' || input.lastExit === null
      ? `never ran: ${input.spawnerr ?? 'spawn error'}`
      : `${exitMessage(input.lastExit)}; ${input.expected ? 'expected' : 'not expected'}`;
  const attempts = `${input.attempts} start attempt${input.attempts === 1 ? '' : 's'}`;
  const summary = `critical program ${input.name} entered ${input.state} state (${how}; ${attempts}); stopping all programs, exit status ${exitCode}`;
  return { ...input, exitCode, summary };
}

