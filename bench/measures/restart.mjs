// 2. Restart latency: a RUNNING program (startsecs=0, autorestart=true) stamps "E" just before it exits;
// its replacement stamps "S" at its first instruction. Latency = S(next) − E(previous).
// Two lifetimes: 1.2 s (the program ran past a second: the restart should be immediate) and 100 ms
// (a fast-exiting program: tsinit paces automatic restarts to one per second after the previous start,
// as supervisord's 1 s tick does; src/supervision/process-machine.ts RESTART_PACING_MS).
import path from 'node:path';
import { writeConf } from '../lib/conf.mjs';
import { median, nsToMs } from '../lib/stats.mjs';
import { startSupervisor, stopSupervisor } from '../lib/supervisor.mjs';
import { stampLines, waitFor } from '../lib/wait.mjs';
import { rotate } from './launch.mjs';

export const id = 'restart';
export const title = 'Restart latency';

export async function run(ctx) {
  const rounds = ctx.rounds(3, 1);
  const scenarios = [
    { key: 'ranOverOneSecond', lifeMs: 1200, cycles: ctx.quick ? 4 : 8 },
    { key: 'fastExit', lifeMs: 100, cycles: ctx.quick ? 3 : 4 },
  ];
  const ids = Object.keys(ctx.variants);
  const raw = {};
  for (const s of scenarios) raw[s.key] = Object.fromEntries(ids.map((v) => [v, { roundMedianMs: [], latenciesMs: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const s of scenarios) {
      for (const vid of rotate(ids, r)) {
        const dir = ctx.runDir(`restart-${s.lifeMs}-${vid}-${r}`);
        const stamps = path.join(dir, 'stamps');
        const conf = writeConf(dir, {
          programs: [
            {
              name: 'cycler',
              command: `${ctx.bin.stamp} ${stamps} c cycle ${s.lifeMs}`,
              options: { startsecs: 0, autorestart: 'true' },
            },
          ],
        });
        const h = await startSupervisor(ctx.bin, dir, ctx.variants[vid].cmd(conf));
        await waitFor(() => stampLines(stamps).filter((w) => w[0] === 'S').length > s.cycles, {
          timeoutMs: 120000,
          intervalMs: 100,
          what: `${vid} ${s.cycles} restarts`,
        });
        await stopSupervisor(h);
        const lat = latencies(stampLines(stamps));
        const o = raw[s.key][vid];
        o.latenciesMs.push(...lat);
        o.roundMedianMs.push(median(lat));
        ctx.progress(`restart (${s.lifeMs} ms life) ${vid} round ${r + 1}/${rounds}: median ${median(lat)?.toFixed(2)} ms over ${lat.length}`);
      }
    }
  }
  return { rounds, scenarios, raw };
}

function latencies(lines) {
  const ev = lines
    .filter((w) => w[0] === 'S' || w[0] === 'E')
    .map((w) => ({ k: w[0], ns: BigInt(w[1]) }))
    .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0));
  const out = [];
  for (let i = 0; i + 1 < ev.length; i++) {
    if (ev[i].k === 'E' && ev[i + 1].k === 'S') out.push(nsToMs(ev[i + 1].ns - ev[i].ns));
  }
  return out;
}
