// Structured events published by the engine (spec §6.1). Consumers: event listeners (which serialize
// them into supervisord's payload text), the control plane (waiting for states) and health/metrics.
import type { ProcessState } from '../supervision/states.js';

export interface ProcessRef {
  readonly name: string;
  readonly group: string;
}

export type EngineEvent =
  | {
      readonly kind: 'process-state';
      readonly process: ProcessRef;
      readonly from: ProcessState;
      readonly to: ProcessState;
      /** backoff counter: tries for STARTING/BACKOFF payloads. */
      readonly tries: number;
      /** EXITED only: whether the exit code was in exitcodes. */
      readonly expected: boolean;
      /** pid for RUNNING/STOPPING/EXITED/STOPPED payloads (0 when none). */
      readonly pid: number;
    }
  | {
      readonly kind: 'process-log';
      readonly process: ProcessRef;
      readonly channel: 'stdout' | 'stderr';
      readonly pid: number;
      readonly data: Buffer;
    }
  | {
      readonly kind: 'process-communication';
      readonly process: ProcessRef;
      readonly channel: 'stdout' | 'stderr';
      readonly pid: number;
      readonly data: Buffer;
    }
  | { readonly kind: 'supervisor-state'; readonly state: 'RUNNING' | 'STOPPING' }
  | { readonly kind: 'tick'; readonly period: 5 | 60 | 3600; readonly when: number }
  | { readonly kind: 'group'; readonly action: 'added' | 'removed'; readonly group: string }
  | { readonly kind: 'remote-communication'; readonly type: string; readonly data: string };

export type EngineEventKind = EngineEvent['kind'];
