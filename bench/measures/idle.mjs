// 5 + 6a. Idle cost and memory with 10 `sleep infinity` programs. All supervisors run side by side (each as
// PID 1 of its own namespace) over the same window: CPU ticks and voluntary/non-voluntary context switches
// summed over every thread (/proc/<pid>/task/*/stat and status), then VmRSS/RssAnon/RssFile at the end.
import { writeConf } from '../lib/conf.mjs';
import { memory, threadDelta, threadStats, childrenOf, descendantsNamed } from '../lib/proc.mjs';
import { startSupervisor, stopSupervisor } from '../lib/supervisor.mjs';
import { shellMany, tiniCmd } from '../lib/variants.mjs';
import { sleep, waitFor } from '../lib/wait.mjs';

export const id = 'idle';
export const title = 'Idle cost and memory with 10 programs';
const N = 10;

export async function run(ctx) {
  const rounds = ctx.rounds(3, 1);
  const seconds = ctx.quick ? 10 : 60;
  const all = { ...ctx.variants, ...ctx.idleExtras };
  const ids = [...Object.keys(all), 'tini'];
  const fields = ['ticks', 'voluntary', 'nonvoluntary', 'threads', 'woke', 'rssKb', 'anonKb', 'fileKb'];
  const raw = Object.fromEntries(ids.map((v) => [v, Object.fromEntries(fields.map((f) => [f, []]))]));
  for (let r = 0; r < rounds; r++) {
    const handles = {};
    for (const vid of ids) {
      const dir = ctx.runDir(`idle-${vid}-${r}`);
      const prog = ['sleep', 'infinity'];
      let argv;
      if (vid === 'tini') argv = tiniCmd(shellMany(prog, N));
      else {
        const conf = writeConf(dir, { programs: [{ name: 'sleeper', command: prog.join(' '), numprocs: N }] });
        argv = all[vid].cmd(conf);
      }
      handles[vid] = await startSupervisor(ctx.bin, dir, argv);
    }
    for (const vid of ids) {
      const pid = handles[vid].pid;
      await waitFor(() => descendantsNamed(pid, 'sleep').length >= N, { timeoutMs: 60000, what: `${vid} 10 sleeps` });
    }
    await sleep(5000); // past startsecs=1 (RUNNING), supervisord's first ticks and V8's post-startup GC
    const before = Object.fromEntries(ids.map((v) => [v, threadStats(handles[v].pid)]));
    ctx.progress(`idle round ${r + 1}/${rounds}: measuring ${seconds} s`);
    await sleep(seconds * 1000);
    for (const vid of ids) {
      const pid = handles[vid].pid;
      const d = threadDelta(before[vid], threadStats(pid));
      const m = memory(pid);
      const o = raw[vid];
      o.ticks.push(d.ticks);
      o.voluntary.push(d.voluntary);
      o.nonvoluntary.push(d.nonvoluntary);
      o.threads.push(d.threads);
      o.woke.push(d.woke.join(' '));
      o.rssKb.push(m.rssKb);
      o.anonKb.push(m.anonKb);
      o.fileKb.push(m.fileKb);
      if (vid !== 'tini' && childrenOf(pid).length !== N) ctx.progress(`idle ${vid}: ${childrenOf(pid).length} children?`);
    }
    await Promise.all(ids.map((v) => stopSupervisor(handles[v])));
    ctx.progress(
      `idle round ${r + 1}: ` + ids.map((v) => `${v} ${raw[v].voluntary.at(-1)}+${raw[v].nonvoluntary.at(-1)} cs, ${raw[v].anonKb.at(-1)} KB anon`).join('; '),
    );
  }
  return { rounds, seconds, programs: N, raw };
}
