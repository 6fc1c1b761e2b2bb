// Soak: signal storms against PID 1 — hundreds of SIGHUP (reload), SIGUSR2 (log reopen) and SIGCHLD per
// second — while programs crash, restart and are started/stopped through the control plane. tsinit
// survives, leaves no zombie, and once the storm is over every program ends in the state it should.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcCall, startTsinit, waitFor, type ProcessInfo, type Tsinit } from '../helpers.js';

let t: Tsinit;
beforeAll(async () => {
  t = await startTsinit(
    'storm',
    Array.from({ length: 5 }, (_, i) => `[program:s${i}]\ncommand=/bin/sleep 1000000\nstartsecs=0\nstopwaitsecs=2\n`).join('') +
      `[program:crashy]\ncommand=/bin/sh -c "exit 3"\nstartsecs=0\nautorestart=true\n` +
      `[program:toggled]\ncommand=/bin/sleep 1000000\nstartsecs=0\nautostart=false\n`,
  );
}, 60_000);
afterAll(async () => {
  await t?.dispose();
});

describe('signal storms', () => {
  it('hundreds of HUP/USR2/CHLD per second while programs start and stop', async () => {
    const signals: NodeJS.Signals[] = ['SIGHUP', 'SIGUSR2', 'SIGCHLD', 'SIGUSR2', 'SIGCHLD'];
    let sent = 0;
    let stormOn = true;
    // ~300 signals a second for 6 seconds.
    const storm = (async () => {
      const end = Date.now() + 6000;
      while (Date.now() < end) {
        for (let k = 0; k < 3; k++) t.run.signal(signals[sent++ % signals.length]!);
        await new Promise((r) => setTimeout(r, 10));
      }
      stormOn = false;
    })();
    // Meanwhile a client starts and stops a program over and over (faults are fine while reloading).
    let toggles = 0;
    const client = (async () => {
      while (stormOn) {
        await rpcCall(t.socket, 'supervisor.startProcess', ['toggled', false]).catch(() => null);
        await rpcCall(t.socket, 'supervisor.stopProcess', ['toggled', false]).catch(() => null);
        toggles++;
      }
    })();
    await Promise.all([storm, client]);
    expect(sent).toBeGreaterThan(1000);
    expect(toggles).toBeGreaterThan(0);
    expect(t.run.exited).toBeNull();

    // After the storm: the reloads settle, every sleeper runs, crashy keeps cycling, toggled is stopped.
    await waitFor(
      async () => {
        const r = await rpcCall(t.socket, 'supervisor.getState').catch(() => null);
        return r?.kind === 'value' && (r.value as { statename: string }).statename === 'RUNNING';
      },
      60_000,
      'tsinit back in RUNNING',
      200,
    );
    await waitFor(
      async () => {
        const all = (await t.value('supervisor.getAllProcessInfo')) as unknown as ProcessInfo[];
        return all.filter((p) => p.name.startsWith('s')).every((p) => p.statename === 'RUNNING');
      },
      60_000,
      'every sleeper RUNNING',
      200,
    );
    await rpcCall(t.socket, 'supervisor.stopProcess', ['toggled']).catch(() => null);
    const toggled = (await t.value('supervisor.getProcessInfo', ['toggled'])) as unknown as ProcessInfo;
    expect(['STOPPED', 'EXITED']).toContain(toggled.statename);
    const spawns = t.log().split("spawned: 'crashy'").length;
    await waitFor(() => t.log().split("spawned: 'crashy'").length > spawns + 1, 30_000, 'crashy to keep cycling');

    expect(t.log()).toContain('received SIGHUP indicating restart request');
    expect(t.log()).toContain('received SIGUSR2 indicating log reopen request');
    await waitFor(() => t.run.zombies().length === 0, 30_000, 'no zombies');
    // The only processes left are the ones that should be running (5 sleepers, maybe a crashy run).
    const sleepers = t.run.descendants().filter((p) => p.comm === 'sleep');
    expect(sleepers).toHaveLength(5);
    expect(t.log() + t.run.output).not.toMatch(/uncaught|unhandled|MaxListenersExceeded/i);

    t.run.signal('SIGTERM');
    expect((await t.run.waitForExit(60_000)).code).toBe(0);
  }, 180_000);
});
