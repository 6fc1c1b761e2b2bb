// 1. Launch: exec of the supervisor (trun stamps CLOCK_MONOTONIC just before execve, as PID 1 of a new
// PID namespace) → the first instruction of the program it starts (stamp writes CLOCK_MONOTONIC first thing).
// Also records SIGTERM → exit with that one program. `node24-floor` is Node 24 doing nothing but spawn the
// program (node -e "child_process.spawn(...)"): the floor of any Node-based init on this machine, measured
// in the same rounds, so that tsinit's own share is visible whatever the machine's speed that day.
import { writeConf } from '../lib/conf.mjs';
import { nsToMs } from '../lib/stats.mjs';
import { startSupervisor, stopSupervisor } from '../lib/supervisor.mjs';
import { tiniCmd } from '../lib/variants.mjs';
import { stampLine, waitFor } from '../lib/wait.mjs';
import path from 'node:path';

export const id = 'launch';
export const title = 'Launch to first program running';

export async function run(ctx) {
  const rounds = ctx.rounds(10, 3);
  const variants = { ...ctx.variants, ...(ctx.launchExtras ?? {}) };
  const node24 = ctx.variants['tsinit-node24']?.node;
  const ids = [...Object.keys(variants), 'tini', ...(node24 ? ['node24-floor'] : [])];
  const raw = Object.fromEntries(ids.map((v) => [v, { launchMs: [], stopMs: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const vid of rotate(ids, r)) {
      const dir = ctx.runDir(`launch-${vid}-${r}`);
      const stamps = path.join(dir, 'stamps');
      const prog = [ctx.bin.stamp, stamps, 'first'];
      let argv;
      if (vid === 'tini') argv = tiniCmd(prog);
      else if (vid === 'node24-floor') argv = [node24, '-e', FLOOR_SCRIPT, ...prog];
      else {
        const conf = writeConf(dir, { programs: [{ name: 'first', command: prog.join(' '), options: { startsecs: 0 } }] });
        argv = variants[vid].cmd(conf);
      }
      const h = await startSupervisor(ctx.bin, dir, argv);
      const line = await waitFor(() => stampLine(stamps, 'first'), { timeoutMs: 20000, what: `${vid} first program` });
      raw[vid].launchMs.push(nsToMs(BigInt(line[1]) - h.execNs));
      const s = await stopSupervisor(h);
      raw[vid].stopMs.push(s.exitNs ? nsToMs(s.exitNs - s.termNs) : null);
      ctx.progress(`launch ${vid} round ${r + 1}/${rounds}: ${raw[vid].launchMs.at(-1).toFixed(1)} ms`);
    }
  }
  return { rounds, raw };
}

/** Spawn argv[1..] with inherited stdio and exit on SIGTERM: what every Node-based init does at the least. */
const FLOOR_SCRIPT =
  "require('node:child_process').spawn(process.argv[1], process.argv.slice(2), { stdio: 'inherit' }); process.on('SIGTERM', () => process.exit(0));";

/** Variant order rotated per round, so no variant always runs right after another. */
export function rotate(ids, r) {
  const k = r % ids.length;
  return [...ids.slice(k), ...ids.slice(0, k)];
}
