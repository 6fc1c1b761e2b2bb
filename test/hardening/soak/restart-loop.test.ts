// Soak: crash-looping programs (startsecs=0, autorestart=true) restarted 10,000 times in total. tsinit's
// memory stays bounded (no listener, timer, handle or map entry leaked per restart) and no exit is lost:
// every spawn is matched by exactly one exit, each with its own pid.
// supervisord paces automatic restarts to one a second, so the restarts are driven through the control
// plane (startProcess on the EXITED program, which spawns at once) by four clients in parallel; the
// automatic restarts in between go through the same path and are counted too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'node:http';
import { AUTH, rpcCall, rssKiB, startTsinit, type Tsinit } from '../helpers.js';

const PROGRAMS = ['c0', 'c1', 'c2', 'c3'];
const TOTAL = 10_000;
const WARMUP = 2_000;

let t: Tsinit;
beforeAll(async () => {
  t = await startTsinit(
    'soak-restarts',
    PROGRAMS.map((p) => `[program:${p}]\ncommand=/bin/false\nstartsecs=0\nautorestart=true\nstdout_logfile=NONE\nstderr_logfile=NONE\n`).join(''),
  );
});
afterAll(async () => {
  await t?.dispose();
});

const spawnLines = (): string[] => t.log().match(/spawned: '(c\d)' with pid (\d+)/g) ?? [];

/** Drive restarts until the main log shows `target` spawns in total. */
async function driveTo(target: number): Promise<void> {
  await Promise.all(
    PROGRAMS.map(async (name) => {
      // One kept-alive connection per client, as a long-lived supervisorctl-like client: the restarts, not
      // thousands of connections, are what this test measures (the native memory of a closed connection is
      // only freed when V8 collects its socket, which a small heap does late: 20-34 MB of RSS for 10,000).
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      // Reading the whole log on every call would dominate: check it every 25 calls.
      for (let calls = 0; ; calls++) {
        if (calls % 25 === 0 && spawnLines().length >= target) {
          agent.destroy();
          return;
        }
        const r = await rpcCall(t.socket, 'supervisor.startProcess', [name, false], AUTH, agent);
        // ALREADY_STARTED (60) when the previous run has not been reaped yet: just try again.
        if (r.kind === 'fault' && r.faultCode !== 60) throw new Error(`startProcess ${name}: ${r.faultCode} ${r.faultString}`);
      }
    }),
  );
}

describe('10,000 restarts', () => {
  it('memory stays flat and every spawn is matched by one exit', async () => {
    await driveTo(WARMUP);
    const rssWarm = rssKiB(t.run.pid);
    await driveTo(TOTAL);
    const rssEnd = rssKiB(t.run.pid);
    console.log(`tsinit RSS: ${rssWarm} KiB after ${WARMUP} restarts, ${rssEnd} KiB after ${TOTAL}`);

    // Let the last runs end: everything EXITED (or being restarted by autorestart), then stop them all.
    await t.value('supervisor.stopAllProcesses');
    const log = t.log();
    const spawns = [...log.matchAll(/spawned: '(c\d)' with pid (\d+)/g)];
    const exits = [...log.matchAll(/exited: (c\d) \(exit status 1; not expected\)/g)];
    expect(spawns.length).toBeGreaterThanOrEqual(TOTAL);
    // No lost exit: each spawn is followed by exactly one exit (a run still alive at stopAll is "stopped:" instead).
    const stopped = [...log.matchAll(/stopped: (c\d) /g)].length;
    expect(exits.length + stopped).toBe(spawns.length);
    // Each spawn had its own pid (no pid confusion between runs).
    expect(new Set(spawns.map((m) => m[2])).size).toBe(spawns.length);
    // Per program, spawned/exited alternate strictly.
    for (const name of PROGRAMS) {
      const seq = [...log.matchAll(new RegExp(`(spawned: '${name}'|exited: ${name} |stopped: ${name} )`, 'g'))].map((m) => (m[1]!.startsWith('spawned') ? 'S' : 'E'));
      expect(seq.join('').replace(/SE/g, '')).toBe('');
    }
    // Memory: generous bound on growth between 2,000 and 10,000 restarts (a leak of even 1 KiB per restart
    // would add 8 MB on top of the ~12 MB the heap settles into; a leak of a handle or a child object costs far more).
    expect(rssEnd - rssWarm, `RSS ${rssWarm} KiB after ${WARMUP}, ${rssEnd} KiB after ${TOTAL}`).toBeLessThan(32 * 1024);
    expect(t.log() + t.run.output).not.toMatch(/uncaught|unhandled|MaxListenersExceeded/i);
    expect(t.run.zombies()).toEqual([]);
  }, 240_000);
});
