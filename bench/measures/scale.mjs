// 6b + 8. Memory growth per program and the control plane at 1,000 programs. Each supervisor runs the same
// conf with 10, then with 1,000 `sleep infinity` programs (numprocs, startsecs=0); RssAnon growth per extra
// program = (anon@1000 − anon@10) / 990. With 1,000 running: `status` through the XML-RPC API, timed as
// (a) one raw HTTP POST of supervisor.getAllProcessInfo on the unix socket (fresh connection; the
//     response fully read), (b) the whole `supervisorctl status` command, (c) the whole `tsinit ctl status`
//     command (Node 20 and 24), each against both servers.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { writeConf, socketPath } from '../lib/conf.mjs';
import { memory, descendantsNamed } from '../lib/proc.mjs';
import { nsToMs } from '../lib/stats.mjs';
import { startSupervisor, stopSupervisor } from '../lib/supervisor.mjs';
import { monoNs, sleep, waitFor } from '../lib/wait.mjs';
import { rotate } from './launch.mjs';

export const id = 'scale';
export const title = 'Memory per program and status of 1,000 programs';
const BIG = 1000;
const SMALL = 10;

export async function run(ctx) {
  const rounds = ctx.rounds(3, 1);
  const calls = ctx.quick ? 3 : 7;
  const ids = Object.keys(ctx.variants);
  const clients = clientList(ctx);
  const raw = {};
  for (const vid of ids) {
    raw[vid] = { anon10Kb: [], anon1000Kb: [], rss10Kb: [], rss1000Kb: [], perProgramKb: [], startAllMs: [], stop1000Ms: [], status: {} };
    for (const c of Object.keys(clients)) raw[vid].status[c] = { ms: [], lines: [], ok: [] };
  }
  for (let r = 0; r < rounds; r++) {
    for (const vid of rotate(ids, r)) {
      const o = raw[vid];
      for (const n of [SMALL, BIG]) {
        const dir = ctx.runDir(`scale-${vid}-${n}-${r}`);
        const conf = writeConf(dir, {
          programs: [{ name: 's', command: 'sleep infinity', numprocs: n, options: { startsecs: 0 } }],
        });
        const h = await startSupervisor(ctx.bin, dir, ctx.variants[vid].cmd(conf));
        await waitFor(() => descendantsNamed(h.pid, 'sleep').length >= n, {
          timeoutMs: 180000,
          intervalMs: n > 100 ? 250 : 20,
          what: `${vid} ${n} programs`,
        });
        if (n === BIG) o.startAllMs.push(nsToMs(monoNs() - h.execNs));
        await sleep(3000);
        const m = memory(h.pid);
        o[`anon${n}Kb`].push(m.anonKb);
        o[`rss${n}Kb`].push(m.rssKb);
        if (n === BIG) {
          for (const [cid, client] of Object.entries(clients)) {
            for (let i = 0; i < calls; i++) {
              const res = await client(conf, dir);
              o.status[cid].ms.push(res.ms);
              o.status[cid].lines.push(res.lines);
              o.status[cid].ok.push(res.ok);
            }
          }
        }
        const s = await stopSupervisor(h, { timeoutMs: 120000 });
        if (n === BIG) o.stop1000Ms.push(s.exitNs ? nsToMs(s.exitNs - s.termNs) : null);
      }
      o.perProgramKb.push((o.anon1000Kb.at(-1) - o.anon10Kb.at(-1)) / (BIG - SMALL));
      ctx.progress(
        `scale ${vid} round ${r + 1}/${rounds}: anon ${o.anon10Kb.at(-1)} → ${o.anon1000Kb.at(-1)} KB (${o.perProgramKb.at(-1).toFixed(1)} KB/program); ` +
          Object.entries(o.status).map(([c, s]) => `${c} ${s.ms.at(-1)?.toFixed(1)} ms`).join(', '),
      );
    }
  }
  return { rounds, calls, programs: BIG, raw };
}

function clientList(ctx) {
  const out = { raw: (_conf, dir) => rawCall(socketPath(dir)) };
  out.supervisorctl = (conf) => timeCommand(['/usr/bin/supervisorctl', '-c', conf, 'status']);
  for (const [vid, v] of Object.entries(ctx.variants)) {
    if (v.ctl) out[`tsinit ctl (${vid.replace('tsinit-', '')})`] = (conf) => timeCommand(v.ctl(conf));
  }
  return out;
}

const BODY =
  '<?xml version="1.0"?>\n<methodCall><methodName>supervisor.getAllProcessInfo</methodName><params></params></methodCall>\n';

function rawCall(sock) {
  return new Promise((resolve) => {
    const t0 = monoNs();
    const req = http.request(
      {
        socketPath: sock,
        path: '/RPC2',
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(BODY) },
      },
      (res) => {
        let n = 0;
        let text = '';
        res.on('data', (d) => {
          n += d.length;
          text += d.toString('latin1');
        });
        res.on('end', () => {
          const ms = nsToMs(monoNs() - t0);
          const lines = (text.match(/<name>pid<\/name>/g) ?? []).length;
          resolve({ ms, lines, ok: res.statusCode === 200 && !text.includes('<fault>'), bytes: n });
        });
      },
    );
    req.on('error', () => resolve({ ms: null, lines: 0, ok: false }));
    req.end(BODY);
  });
}

function timeCommand(argv) {
  return new Promise((resolve) => {
    const t0 = monoNs();
    const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.resume();
    p.on('error', () => resolve({ ms: null, lines: 0, ok: false }));
    p.on('close', (code) => {
      const ms = nsToMs(monoNs() - t0);
      resolve({ ms, lines: out.split('\n').filter((l) => /\bRUNNING\b/.test(l)).length, ok: code === 0 });
    });
  });
}
