// A tiny stand-in for tsinit used by the output integration tests: builds the real MainLog and
// OutputManager on its own fds 1/2, spawns the programs described in argv[2] (JSON) with the wiring the
// manager asks for, waits for their output to be consumed and prints a JSON summary on fd 3 (a pipe the test
// provides), or to stderr when fd 3 is absent.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { LogFormat, LogLevel, OutputChannelConfig, ProcessConfig } from '../../../src/config/model.js';
import { EventBus } from '../../../src/events/bus.js';
import { outputChannel, processConfig } from '../../helpers/config-model.js';
import { sharedFdSink } from '../../../src/log/fd-sink.js';
import { createMainLog } from '../../../src/log/main-log.js';
import pino from 'pino';
import { createOutputManager } from '../../../src/output/manager.js';
import type { ChildOutput } from '../../../src/os/edge.js';

interface ProgramSpec {
  name: string;
  argv: string[];
  prefix?: boolean;
  stdout?: Partial<OutputChannelConfig>;
  stderr?: Partial<OutputChannelConfig>;
  redirectStderr?: boolean;
}
interface Spec {
  level?: LogLevel;
  format?: LogFormat;
  logfile?: string | null;
  maxBuffered?: number;
  childlogdir?: string;
  /** Main-log lines to write before starting programs. */
  logLines?: number;
  programs: ProgramSpec[];
  /** Write the pids of the programs to this file as JSON once spawned. */
  pidFile?: string;
}

const spec = JSON.parse(process.argv[2]!) as Spec;
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

function ch(over: Partial<OutputChannelConfig> = {}): OutputChannelConfig {
  return outputChannel({ logfile: { kind: 'auto' }, maxbytes: 50 * 1024 * 1024, backups: 10, ...over });
}
function proc(p: ProgramSpec): ProcessConfig {
  return processConfig(p.name, {
    file: 'x',
    command: p.argv.join(' '),
    autorestart: 'false',
    startsecs: 0,
    startretries: 0,
    redirectStderr: p.redirectStderr ?? false,
    prefix: p.prefix ?? false,
    stdout: ch(p.stdout),
    stderr: ch(p.stderr),
  });
}

const started = Date.now();
const mainLog = createMainLog({ pino,
  logfile: spec.logfile ?? null, maxbytes: 50 * 1024 * 1024, backups: 10, level: spec.level ?? 'info', format: spec.format ?? 'text',
  ...(spec.maxBuffered !== undefined ? { maxBuffered: spec.maxBuffered } : {}),
});
for (let i = 0; i < (spec.logLines ?? 0); i++) mainLog.info(`log line ${i} ${'.'.repeat(100)}`);
const logLinesMs = Date.now() - started;

const manager = createOutputManager({
  supervisord: { childlogdir: spec.childlogdir ?? '/tmp', identifier: 'supervisor', stripAnsi: false, nocleanup: false },
  mainLog,
  events: new EventBus(),
});

function stdio(o: ChildOutput | { kind: 'stdout' }): 'pipe' | 'ignore' | number {
  if (o.kind === 'fd') return o.fd;
  return o.kind === 'pipe' ? 'pipe' : 'ignore';
}

const pids: number[] = [];
const waits = spec.programs.map((p) => {
  const out = manager.forProcess(proc(p));
  const errWiring = out.stderr.kind === 'stdout' ? stdio(out.stdout) : stdio(out.stderr);
  const child = spawn(p.argv[0]!, p.argv.slice(1), { stdio: ['ignore', stdio(out.stdout), errWiring] });
  pids.push(child.pid!);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const consumed = out.attach({
    pid: child.pid!, stdin: null, stdout: child.stdout, stderr: out.stderr.kind === 'stdout' ? null : child.stderr, onExit: () => {},
  });
  return Promise.all([exited, consumed]).then(([code]) => ({ name: p.name, code, wiring: [out.stdout.kind, out.stderr.kind] }));
});
if (spec.pidFile) fs.writeFileSync(spec.pidFile, JSON.stringify(pids));

const results = await Promise.all(waits);
mainLog.info('harness done');
const summary = JSON.stringify({ results, logLinesMs, rssMB: process.memoryUsage().rss / 2 ** 20 }) + '\n';
try {
  fs.writeSync(3, summary);
} catch {
  fs.writeSync(2, summary);
}
// let the stdout sink drain (bounded: never wait for a stalled reader)
setTimeout(() => process.exit(0), 2000).unref();
sharedFdSink(1).onDrain(() => sharedFdSink(2).onDrain(() => process.exit(0)));
