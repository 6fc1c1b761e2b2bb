// The run mode as PID 1 under an orphan storm: a program double-forks 20,000 short-lived orphans while other
// programs keep exiting and being restarted. No zombie is left and no exit of a managed program is lost
// (every spawn is matched by an exit or a stop line).
import { afterEach, expect, it } from 'vitest';
import type { Pid1Run } from '../../helpers/pid1.js';
import { messages, spawnedNames, startTsinit, Workdir } from './harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

const ORPHANS = 20_000;
const FLAPPERS = ['f1', 'f2', 'f3', 'f4'];

it('reaps 20,000 orphans with zero zombies while managed programs keep exiting and restarting', async () => {
  wd = new Workdir();
  const storm = wd.script('storm.sh', `i=0\nwhile [ $i -lt ${ORPHANS} ]; do (/bin/true &); i=$((i+1)); done\necho STORM-DONE\nexec sleep 1000`);
  const flappers = FLAPPERS.map(
    (n, i) => `[program:${n}]\ncommand=/bin/sh -c "sleep 0.${2 + i}; exit 3"\nstartsecs=0\nautorestart=true\n`,
  ).join('\n');
  const conf = wd.config(
    `[program:storm]\ncommand=${storm}\nstartsecs=0\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\n\n${flappers}`,
    'loglevel=info',
  );
  run = await startTsinit(conf);
  await run.waitForLine('STORM-DONE', { timeoutMs: 180_000 });
  // the last orphans are reaped within moments of the storm's end
  const deadline = Date.now() + 20_000;
  while (run.lines(/reaped unknown pid/).length < ORPHANS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(run.lines(/reaped unknown pid \d+ \(exit status 0\)/).length).toBe(ORPHANS);
  expect(run.zombies()).toEqual([]);
  run.signal('SIGTERM');
  expect((await run.waitForExit(60_000)).code).toBe(0);

  const lines = messages(run);
  for (const n of FLAPPERS) {
    const spawns = spawnedNames(lines).filter((s) => s === n).length;
    const exits = lines.filter((l) => l === `exited: ${n} (exit status 3; not expected)`).length;
    const stops = lines.filter((l) => l.startsWith(`stopped: ${n} (`)).length;
    expect(spawns, n).toBeGreaterThan(3);
    expect(exits + stops, `${n}: every spawn ends in an exit or a stop`).toBe(spawns);
  }
});
