// tsinit as PID 1: an event listener that answers and exits at once. Its exit must be handled only after
// its last stdout bytes (`RESULT 2\nOK`) reached the listener pool, as supervisord drains pending output
// before it handles an exit: otherwise the answered event is delivered again and the bytes land in the
// protocol state of the restarted listener, which then sits in UNKNOWN for ever.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { descendants, waitFor, type Pid1Run } from '../../helpers/pid1.js';
import { messages, startTsinit, Workdir } from './harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

/** Serials of the events the listener recorded (one header line per event). */
function serials(file: string): number[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(/(?:^| )serial:(\d+)/.exec(l)?.[1] ?? NaN));
}

/**
 * A config: the listener (one event per life, then exit 0, restarted at once) subscribed to
 * PROCESS_STATE_EXITED, and a program that keeps exiting, so events keep coming.
 */
function setup(listenerBody: string): { conf: string; got: string } {
  wd = new Workdir();
  const got = `${wd.dir}/got.txt`;
  const listener = wd.script('listener.sh', listenerBody.replace('RECORD', `printf '%s\\n' "$header" >> ${got}`));
  const flap = wd.script('flap.sh', 'sleep 0.05');
  const conf = wd.config(
    `[eventlistener:lis]\ncommand=${listener}\nevents=PROCESS_STATE_EXITED\nstartsecs=0\nautorestart=true\nbuffer_size=100\nstdout_logfile=NONE\n\n` +
      `[program:flap]\ncommand=${flap}\nstartsecs=0\nautorestart=true\n`,
  );
  return { conf, got };
}

/** The listener went UNKNOWN (no more events will come): stop waiting, the assertions say why. */
const stuck = (r: Pid1Run): boolean => messages(r).some((l) => l.includes('UNKNOWN'));

function expectCleanProtocol(r: Pid1Run, got: string, cycles: number): void {
  const lines = messages(r);
  expect(lines.filter((l) => /UNKNOWN|bad result line/.test(l))).toEqual([]);
  // every event was answered OK by the listener that received it: none is delivered twice
  const s = serials(got);
  expect(s.length).toBeGreaterThanOrEqual(cycles);
  expect(new Set(s).size).toBe(s.length);
  expect(s.every((v, i) => i === 0 || v > s[i - 1]!)).toBe(true);
  // the answer is read before the exit is handled: the log shows it before `exited: lis`
  const firstExit = lines.indexOf('exited: lis (exit status 0; expected)');
  expect(firstExit).toBeGreaterThan(-1);
  expect(lines.slice(0, firstExit)).toContain('lis: event was processed');
}

describe('event listener that answers and exits at once', () => {
  it('answer and exit back to back, repeatedly: never UNKNOWN, each event delivered once, events keep flowing', async () => {
    const { conf, got } = setup(
      `printf 'READY\\n'\nIFS= read -r header\nlen=\${header##*len:}\nhead -c "$len" > /dev/null\nRECORD\nprintf 'RESULT 2\\nOK'\nexit 0`,
    );
    run = await startTsinit(conf);
    const cycles = 6;
    await waitFor(() => serials(got).length >= cycles || stuck(run!), 60_000, `${cycles} events handled by successive listeners`);
    expectCleanProtocol(run, got, cycles);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('the last bytes arrive after the exit (a background writer): the exit waits for them', async () => {
    // The listener lives > 1 s (so it is restarted as soon as its exit is handled) and leaves `OK` to a
    // background subshell that writes it 0.3 s after the listener exited.
    const { conf, got } = setup(
      `sleep 1.1\nprintf 'READY\\n'\nIFS= read -r header\nlen=\${header##*len:}\nhead -c "$len" > /dev/null\nRECORD\nprintf 'RESULT 2\\n'\n(sleep 0.3; printf 'OK') &\nexit 0`,
    );
    run = await startTsinit(conf);
    const cycles = 4;
    await waitFor(() => serials(got).length >= cycles || stuck(run!), 60_000, `${cycles} events handled by successive listeners`);
    expectCleanProtocol(run, got, cycles);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('a grandchild holding the pipe delays the exit at most by the cap; "too quickly" uses the real exit time', async () => {
    // Exits after 0.5 s (< startsecs=1) while `sleep 1000` keeps its stdout pipe open: the exit is handled
    // about 1 s later, past startsecs, yet it counts as an exit before startsecs (BACKOFF, then FATAL with
    // startretries=0), and the startsecs deadline passing meanwhile does not make it RUNNING.
    wd = new Workdir();
    const prog = wd.script('holder.sh', 'sleep 1000 &\nsleep 0.5\nexit 3');
    run = await startTsinit(wd.config(`[program:holder]\ncommand=${prog}\nstartsecs=1\nstartretries=0\nstopasgroup=true\n`));
    await run.waitForLine('gave up: holder entered FATAL state, too many start retries too quickly', { timeoutMs: 20_000 });
    const lines = messages(run);
    expect(lines).toContain('exited: holder (exit status 3; not expected)');
    expect(lines.filter((l) => l.startsWith('success: holder'))).toEqual([]);
    // the grandchild still holds the pipe: the exit was handled without its EOF
    expect(descendants(run.pid).some((p) => p.comm === 'sleep')).toBe(true);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });
});
