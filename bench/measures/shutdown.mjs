// 3. Shutdown: 50 programs that die at once on SIGTERM (stamp, SIG_DFL). SIGTERM to the supervisor (PID 1)
// → trun's waitpid returns (the namespace is gone).
import path from 'node:path';
import { writeConf } from '../lib/conf.mjs';
import { nsToMs } from '../lib/stats.mjs';
import { startSupervisor, stopSupervisor } from '../lib/supervisor.mjs';
import { shellMany, tiniCmd } from '../lib/variants.mjs';
import { sleep, stampLines, waitFor } from '../lib/wait.mjs';
import { rotate } from './launch.mjs';

export const id = 'shutdown';
export const title = 'Shutdown of 50 programs';
const N = 50;

export async function run(ctx) {
  const rounds = ctx.rounds(5, 2);
  const ids = [...Object.keys(ctx.variants), 'tini'];
  const raw = Object.fromEntries(ids.map((v) => [v, { stopMs: [], exitStatus: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const vid of rotate(ids, r)) {
      const dir = ctx.runDir(`shutdown-${vid}-${r}`);
      const stamps = path.join(dir, 'stamps');
      const prog = [ctx.bin.stamp, stamps, 'up'];
      let argv;
      if (vid === 'tini') argv = tiniCmd(shellMany(prog, N));
      else {
        const conf = writeConf(dir, {
          programs: [{ name: 'p', command: prog.join(' '), numprocs: N, options: { startsecs: 0 } }],
        });
        argv = ctx.variants[vid].cmd(conf);
      }
      const h = await startSupervisor(ctx.bin, dir, argv);
      await waitFor(() => stampLines(stamps).length >= N, { timeoutMs: 60000, what: `${vid}: ${N} programs up` });
      await sleep(1500); // let supervisord's 1 s loop settle every program in RUNNING
      const s = await stopSupervisor(h);
      raw[vid].stopMs.push(s.exitNs ? nsToMs(s.exitNs - s.termNs) : null);
      raw[vid].exitStatus.push(s.status);
      ctx.progress(`shutdown ${vid} round ${r + 1}/${rounds}: ${raw[vid].stopMs.at(-1)?.toFixed(1)} ms`);
    }
  }
  return { rounds, programs: N, raw };
}
