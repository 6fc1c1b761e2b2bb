// 7. Output relay: `spew` writes 1 GiB of 100-byte lines to its stdout (64 KiB writes). The supervisor's
// stdout is a real pipe into `sink` (a reader that discards, like a container runtime's log reader).
// passthrough = stdout_logfile=/dev/stdout, maxbytes=0 (tsinit: the program inherits the fd; supervisord
// copies through its own pipe); prefix = the same with [tsinit] prefix=true (tsinit relays "spew | line").
// MB/s = payload / (sink got the last payload byte − spew's first write); supervisor CPU = ticks during
// the transfer (baseline taken 0.5 s into spew's 1.5 s wait before writing); peak RSS = VmHWM at the end.
import path from 'node:path';
import { writeConf } from '../lib/conf.mjs';
import { cpuTicks, memory } from '../lib/proc.mjs';
import { nsToMs } from '../lib/stats.mjs';
import { startSupervisor, stopSupervisor } from '../lib/supervisor.mjs';
import { shq, tiniCmd } from '../lib/variants.mjs';
import { stampLine, waitFor } from '../lib/wait.mjs';
import { rotate } from './launch.mjs';

export const id = 'relay';
export const title = 'Output relay';
const LINE = 100;
const TICK_S = 0.01; // USER_HZ = 100

export async function run(ctx) {
  const rounds = ctx.rounds(3, 1);
  const lines = Math.floor((ctx.quick ? 2 ** 27 : 2 ** 30) / LINE);
  const payload = lines * LINE;
  const modes = [];
  for (const vid of Object.keys(ctx.variants)) {
    modes.push({ id: `${vid} passthrough`, vid, prefix: false });
    if (ctx.variants[vid].tsinit) modes.push({ id: `${vid} prefix`, vid, prefix: true });
  }
  modes.push({ id: 'tini passthrough', vid: 'tini', prefix: false });
  const raw = Object.fromEntries(modes.map((m) => [m.id, { mbps: [], cpuS: [], peakRssKb: [], bytes: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const m of rotate(modes, r)) {
      const dir = ctx.runDir(`relay-${m.id.replace(/\W+/g, '_')}-${r}`);
      const spewOut = path.join(dir, 'spew');
      const sinkOut = path.join(dir, 'sink');
      const prog = [ctx.bin.spew, spewOut, String(lines), '1500'];
      const expect = payload + (m.prefix ? lines * 'spew | '.length : 0);
      let argv;
      if (m.vid === 'tini') argv = tiniCmd(prog);
      else {
        const conf = writeConf(dir, {
          tsinit: m.prefix ? { prefix: 'true' } : undefined,
          programs: [{ name: 'spew', command: prog.join(' '), options: { startsecs: 0, autorestart: 'false' } }],
        });
        argv = ctx.variants[m.vid].cmd(conf);
      }
      const h = await startSupervisor(ctx.bin, dir, argv, { stdoutTo: `${shq(ctx.bin.sink)} ${shq(sinkOut)} ${expect}` });
      await waitFor(() => stampLine(spewOut, 'R'), { timeoutMs: 30000, what: `${m.id} spew ready` });
      // The baseline is taken half a second into spew's 1.5 s wait: what a supervisor does right after its
      // first spawn (tsinit loads its logger and control plane then) is startup, not relay.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const cpu0 = cpuTicks(h.pid);
      const done = await waitFor(() => stampLine(sinkOut, 'done'), { timeoutMs: 600000, intervalMs: 50, what: `${m.id} 1 GiB relayed` });
      const cpu1 = cpuTicks(h.pid);
      const mem = memory(h.pid);
      const S = BigInt(stampLine(spewOut, 'S')[1]);
      const o = raw[m.id];
      o.mbps.push(payload / 1e6 / (nsToMs(BigInt(done[1]) - S) / 1000));
      o.cpuS.push((cpu1 - cpu0) * TICK_S);
      o.peakRssKb.push(mem.hwmKb);
      o.bytes.push(Number(done[2]));
      await stopSupervisor(h, { timeoutMs: 60000 });
      ctx.progress(`relay ${m.id} round ${r + 1}/${rounds}: ${o.mbps.at(-1).toFixed(0)} MB/s, ${o.cpuS.at(-1).toFixed(2)} CPU-s, peak ${(o.peakRssKb.at(-1) / 1024).toFixed(1)} MB`);
    }
  }
  return { rounds, payloadBytes: payload, modes: modes.map((m) => m.id), raw };
}
