// A read-only fake SupervisorControl for health/metrics tests: groups of plain process records whose
// state the test sets directly. The mutating methods throw (health must never call them).
import type { Config, ProcessConfig } from '../../../src/config/model.js';
import { outputChannel, processConfig } from '../../helpers/config-model.js';
import { EventBus } from '../../../src/events/bus.js';
import type { GroupView, ProcessView, SupervisorControl } from '../../../src/supervision/control.js';
import { ProcessState, SupervisorMood } from '../../../src/supervision/states.js';
import { RecordingLog } from '../../helpers/recording-log.js';

export const SECRET_ENV = 'S3CR3T-TOKEN-value';
export const SECRET_CMD = '/opt/secret-dir/bin/app --password=hunter2';

export function procConfig(group: string, name: string, o: Partial<ProcessConfig> = {}): ProcessConfig {
  // secrets everywhere a config can hold them: health output must show none of them
  const channel = outputChannel({ logfile: { kind: 'file', path: '/var/log/secret-path.log' } });
  return processConfig(name, {
    group,
    command: SECRET_CMD,
    directory: '/opt/secret-dir',
    environment: { API_TOKEN: SECRET_ENV },
    stdout: channel,
    stderr: channel,
    ...o,
  });
}

export interface FakeProc {
  config: ProcessConfig;
  name: string;
  group: string;
  state: ProcessState;
  pid: number;
  laststart: number;
  laststop: number;
  spawnerr: string | null;
  exitstatus: number;
  lastExit: { code: number | null; signal: number | null } | null;
  stdoutLogfile: string | null;
  stderrLogfile: string | null;
  spawnCount: number;
  backoff: number;
}

export function proc(group: string, name: string, state: ProcessState, o: Partial<FakeProc> & { cfg?: Partial<ProcessConfig> } = {}): FakeProc {
  const { cfg, ...rest } = o;
  return {
    config: procConfig(group, name, cfg),
    name,
    group,
    state,
    pid: state === ProcessState.RUNNING ? 4242 : 0,
    laststart: 0,
    laststop: 0,
    spawnerr: `couldn't exec ${SECRET_CMD}: ENOENT`,
    exitstatus: 0,
    lastExit: null,
    stdoutLogfile: '/var/log/secret-path.log',
    stderrLogfile: null,
    spawnCount: 0,
    backoff: 0,
    ...rest,
  };
}

export class FakeControl implements SupervisorControl {
  mood: SupervisorMood = SupervisorMood.RUNNING;
  readonly pid = 1;
  readonly events = new EventBus();
  startedAt = 1_700_000_000_000;
  counters = { orphansReaped: 0, eventsDropped: 0 };
  readonly mainLogfile = null;
  readonly config = {} as Config;
  private readonly groupList: { name: string; processes: FakeProc[] }[] = [];

  /** Test helper: appends a group of fake processes. */
  add(name: string, processes: FakeProc[]): this {
    this.groupList.push({ name, processes });
    return this;
  }
  groups(): readonly GroupView[] {
    return this.groupList.map((g) => ({ name: g.name, config: {} as GroupView['config'], processes: g.processes as ProcessView[] }));
  }
  group(name: string): GroupView | undefined {
    return this.groups().find((g) => g.name === name);
  }
  process(group: string, name: string): ProcessView | undefined {
    return this.group(group)?.processes.find((p) => p.name === name);
  }
  startProcess(): void { throw new Error('not in health'); }
  stopProcess(): void { throw new Error('not in health'); }
  signalProcess(): void { throw new Error('not in health'); }
  writeStdin(): void { throw new Error('not in health'); }
  clearProcessLogs(): void { throw new Error('not in health'); }
  shutdown(): void { throw new Error('not in health'); }
  restart(): void { throw new Error('not in health'); }
  reread(): never { throw new Error('not in health'); }
  addGroup(): void { throw new Error('not in health'); }
  removeGroup(): void { throw new Error('not in health'); }
}

export function recordingLog(): RecordingLog {
  return new RecordingLog();
}
