// The reaping acceptance test: as PID 1, a program double-forks 20,000 short-lived orphans while managed
// children keep exiting with known codes. No zombie may be left, every orphan is reaped by us, and not one
// managed exit event may be lost or carry a wrong code (a waitpid(-1) reaper fails exactly this). The managed
// children are started both ways: by child_process (libuv reaps them; the reaper must leave them alone) and
// by the addon's spawn (the reaper reaps them and must hand every status to its program, not to the orphans).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Pid1Run } from '../../helpers/pid1.js';
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

const ORPHANS = 20_000;
const MANAGED = 2_000;

describe.each(['native', 'libuv'] as const)('%s spawn', (spawn) => {
it('reaps 20,000 orphans with zero zombies and no lost managed exit', async () => {
  run = await Pid1Run.start(
    harness.argv({
      spawn,
      storm: {
        command: `sh -c 'i=0; while [ $i -lt ${ORPHANS} ]; do (/bin/true &); i=$((i+1)); done'`,
        managed: MANAGED,
        inflight: 8,
      },
    }),
  );
  await run.waitForLine(/^READY pid=1 /);
  const done = await run.waitForLine(/^STORM-DONE /, { timeoutMs: 180_000 });
  expect(run.lines(/^STORM-EXIT /)).toEqual(['STORM-EXIT 0 null']);
  expect(run.lines(/^MANAGED /)).toEqual([`MANAGED ok=${MANAGED} bad=0`]);
  expect(done).toBe(`STORM-DONE orphans=${ORPHANS} orphanLines=${ORPHANS}`);
  // Host view, while PID 1 is still alive: nothing in the namespace is a zombie.
  expect(run.zombies()).toEqual([]);
  run.signal('SIGTERM');
  expect(await run.waitForExit()).toEqual({ code: 0, signal: null });
  expect(run.lines(/^ZOMBIES /)).toEqual(['ZOMBIES 0']);
  expect(run.lines(/^ORPHANS /)).toEqual([`ORPHANS ${ORPHANS}`]);
}, 240_000);
});
