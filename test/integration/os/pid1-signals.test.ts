// Signals as PID 1: without a JS listener the kernel drops them (and SIGUSR1 opens Node's inspector).
// The harness is PID 1 of a fresh namespace; every signal must reach the caller's handler.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Pid1Run, waitFor } from '../../helpers/pid1.js';
import { buildHarness, type BuiltHarness } from './build-harness.js';

let harness: BuiltHarness;
let run: Pid1Run | null = null;
beforeAll(async () => {
  harness = await buildHarness();
});
afterAll(() => harness.cleanup());
afterEach(async () => {
  await run?.dispose();
  run = null;
});

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('signals reach PID 1', () => {
  it('routes HUP, USR2, USR1, WINCH, PWR, INT, QUIT, ALRM, TSTP to the handler and exits on TERM', async () => {
    run = await Pid1Run.start(harness.argv({}));
    await run.waitForLine(/^READY pid=1 /);
    for (const sig of ['SIGHUP', 'SIGUSR2', 'SIGUSR1', 'SIGWINCH', 'SIGPWR', 'SIGINT', 'SIGQUIT', 'SIGALRM', 'SIGTSTP'] as const) {
      const from = run.output.length;
      expect(run.signal(sig)).toBe(true);
      await run.waitForLine(`SIGNAL ${sig}`, { fromIndex: from });
    }
    expect(run.exited).toBeNull(); // none of them was fatal
    run.signal('SIGTERM');
    expect(await run.waitForExit()).toEqual({ code: 0, signal: null });
    expect(run.lines(/^SIGNAL SIGTERM$/)).toHaveLength(1);
  });

  it.each(['SIGINT', 'SIGQUIT'] as const)('%s can be routed to shutdown', async (sig) => {
    run = await Pid1Run.start(harness.argv({ exitOn: [sig] }));
    await run.waitForLine(/^READY pid=1 /);
    run.signal(sig);
    expect(await run.waitForExit()).toEqual({ code: 0, signal: null });
    expect(run.lines(`SIGNAL ${sig}`)).toHaveLength(1);
  });

  it('SIGUSR1 is logged and does not open the inspector (control: bare node does open it)', async () => {
    expect(await listening(9229)).toBe(false);
    run = await Pid1Run.start(harness.argv({}));
    await run.waitForLine(/^READY pid=1 /);
    run.signal('SIGUSR1');
    await run.waitForLine('SIGNAL SIGUSR1');
    // Give a (wrongly) started inspector the time it needs to bind: a second signal round-trip.
    const from = run.output.length;
    run.signal('SIGWINCH');
    await run.waitForLine('SIGNAL SIGWINCH', { fromIndex: from });
    expect(await listening(9229)).toBe(false);
    expect(run.output).not.toContain('Debugger listening');
    await run.dispose();

    // Control: the same check is able to see an inspector opened by SIGUSR1 in a node without a listener.
    const bare = spawn(process.execPath, ['-e', 'process.stderr.write("up\\n"); setInterval(() => {}, 1000)'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    bare.stderr!.on('data', (d) => (err += String(d)));
    try {
      await waitFor(() => err.includes('up'), 10_000, 'the control node to start');
      bare.kill('SIGUSR1');
      await waitFor(() => err.includes('Debugger listening'), 10_000, 'the control inspector');
      expect(await listening(9229)).toBe(true);
    } finally {
      bare.kill('SIGKILL');
    }
  });
});
