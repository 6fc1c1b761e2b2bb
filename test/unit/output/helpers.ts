// Test helpers for the output layer: a ProcessConfig builder, a recording MainLog and a fake child whose
// stdout/stderr are PassThrough streams the test writes into.
import { PassThrough } from 'node:stream';
import type { OutputChannelConfig, ProcessConfig } from '../../../src/config/model.js';
import type { LogLevel } from '../../../src/config/model.js';
import type { ChildHandle, ExitStatus } from '../../../src/os/edge.js';
import { outputChannel, processConfig } from '../../helpers/config-model.js';
import { RecordingLog } from '../../helpers/recording-log.js';

/** A channel with supervisord's defaults for the output layer: AUTO, 50MB, 10 backups. */
export function channel(over: Partial<OutputChannelConfig> = {}): OutputChannelConfig {
  return outputChannel({ logfile: { kind: 'auto' }, maxbytes: 50 * 1024 * 1024, backups: 10, ...over });
}

export function proc(name: string, over: Partial<Omit<ProcessConfig, 'stdout' | 'stderr'>> & { stdout?: Partial<OutputChannelConfig>; stderr?: Partial<OutputChannelConfig> } = {}): ProcessConfig {
  const { stdout, stderr, ...rest } = over;
  return processConfig(name, { command: 'true', ...rest, stdout: channel(stdout), stderr: channel(stderr) });
}

export function recordingLog(level: LogLevel = 'info'): RecordingLog {
  return new RecordingLog({ level });
}

export interface FakeChild extends ChildHandle {
  readonly out: PassThrough;
  readonly err: PassThrough;
}

export function fakeChild(pid = 4242, withStderr = true): FakeChild {
  const out = new PassThrough();
  const err = new PassThrough();
  return {
    pid,
    stdin: null,
    stdout: out,
    stderr: withStderr ? err : null,
    out,
    err,
    onExit(_cb: (s: ExitStatus) => void) {},
  };
}
