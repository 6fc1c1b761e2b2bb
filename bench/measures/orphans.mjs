// 4. Orphan reaping as PID 1: `storm` double-forks 20,000 orphans (each reparented to PID 1) and then
// watches PID 1's children list itself (1 ms polls, inside the namespace): orphans left at the end of
// the storm, 50 ms later, and when none is left. Meanwhile a managed program `churn` exits every 5 ms
// and is restarted (autorestart=true): every exit it stamped must appear as an exit in the supervisor's
// log (a stolen exit status would leave churn "RUNNING" forever), and churn must still cycle afterwards.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { writeConf } from '../lib/conf.mjs';
import { nsToMs } from '../lib/stats.mjs';
import { startSupervisor, stopSupervisor } from '../lib/supervisor.mjs';
import { tiniCmd } from '../lib/variants.mjs';
import { sleep, stampLine, stampLines, waitFor } from '../lib/wait.mjs';
import { rotate } from './launch.mjs';

export const id = 'orphans';
export const title = 'Orphan reaping (20,000-orphan storm, as PID 1)';
const ORPHANS = 20000;
const GIVE_UP_MS = 5000; // supervisord reaps ~100 orphans per 1 s tick: it would need minutes

export async function run(ctx) {
  const rounds = ctx.rounds(3, 1);
  const ids = [...Object.keys(ctx.variants), 'tini'];
  const fields = ['stormMs', 'leftAtEnd', 'leftAt50ms', 'toZeroMs', 'churnStarts', 'churnExits', 'exitsLogged', 'exitsUnseen', 'churnAliveAfter'];
  const raw = Object.fromEntries(ids.map((v) => [v, Object.fromEntries(fields.map((f) => [f, []]))]));
  for (let r = 0; r < rounds; r++) {
    for (const vid of rotate(ids, r)) {
      const dir = ctx.runDir(`orphans-${vid}-${r}`);
      const stormOut = path.join(dir, 'storm');
      const churnOut = path.join(dir, 'churn');
      const storm = [ctx.bin.storm, stormOut, String(ORPHANS), String(GIVE_UP_MS)];
      let argv;
      if (vid === 'tini') argv = tiniCmd(storm);
      else {
        const conf = writeConf(dir, {
          programs: [
            { name: 'storm', command: storm.join(' '), options: { startsecs: 0, autorestart: 'false' } },
            {
              name: 'churn',
              command: `${ctx.bin.stamp} ${churnOut} c cycle 5`,
              options: { startsecs: 0, autorestart: 'true' },
            },
          ],
        });
        argv = ctx.variants[vid].cmd(conf);
      }
      const h = await startSupervisor(ctx.bin, dir, argv);
      await waitFor(() => stampLine(stormOut, 'zero') || stampLine(stormOut, 'timeout'), {
        timeoutMs: 180000,
        intervalMs: 100,
        what: `${vid} storm end`,
      });
      await waitFor(() => stampLine(stormOut, 'z50') || stampLine(stormOut, 'timeout'), { timeoutMs: 30000, what: 'z50' });
      const o = raw[vid];
      const get = (tag) => stampLine(stormOut, tag);
      const S = BigInt(get('S')[1]);
      const E = BigInt(get('E')[1]);
      o.stormMs.push(nsToMs(E - S));
      o.leftAtEnd.push(Number(get('z0')[1]));
      o.leftAt50ms.push(get('z50') ? Number(get('z50')[1]) : null);
      o.toZeroMs.push(get('zero') ? Math.max(0, nsToMs(BigInt(get('zero')[1]) - E)) : null);
      if (vid !== 'tini') {
        const before = stampLines(churnOut).length;
        await sleep(1500);
        o.churnAliveAfter.push(stampLines(churnOut).length > before);
      }
      await stopSupervisor(h, { timeoutMs: 10000 });
      if (vid !== 'tini') {
        const churn = stampLines(churnOut);
        const log = readLog(dir);
        const exitsLogged = count(log, /(exited|stopped): churn \(/g);
        const exits = churn.filter((w) => w[0] === 'E').length;
        o.churnStarts.push(churn.filter((w) => w[0] === 'S').length);
        o.churnExits.push(exits);
        o.exitsLogged.push(exitsLogged);
        o.exitsUnseen.push(Math.max(0, exits - exitsLogged));
      }
      ctx.progress(
        `orphans ${vid} round ${r + 1}/${rounds}: storm ${o.stormMs.at(-1).toFixed(0)} ms, left ${o.leftAtEnd.at(-1)}/${o.leftAt50ms.at(-1)}, zero after ${o.toZeroMs.at(-1)?.toFixed(1)} ms, unseen exits ${o.exitsUnseen.at(-1) ?? '-'}`,
      );
    }
  }
  return { rounds, orphans: ORPHANS, raw };
}

function readLog(dir) {
  try {
    return readFileSync(path.join(dir, 'supervisord.log'), 'utf8');
  } catch {
    return '';
  }
}

const count = (text, re) => (text.match(re) ?? []).length;
