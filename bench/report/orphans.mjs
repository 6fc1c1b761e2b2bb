import { fmt } from '../lib/stats.mjs';
import { label, med, rawList, table, tsinitIds } from './table.mjs';

export function render(res) {
  const ids = Object.keys(res.raw);
  const rows = ids.map((id) => {
    const o = res.raw[id];
    const managed = id !== 'tini';
    return [
      label(id),
      fmt(med(o.stormMs)),
      rawList(o.leftAtEnd),
      rawList(o.leftAt50ms),
      o.toZeroMs.every((x) => x !== null) ? fmt(med(o.toZeroMs)) : `not within ${fmt(5000)} ms`,
      managed ? rawList(o.churnExits) : '—',
      managed ? rawList(o.exitsLogged) : '—',
      managed ? rawList(o.exitsUnseen) : '—',
      managed ? rawList(o.churnAliveAfter.map((b) => (b ? 'yes' : 'no'))) : '—',
    ];
  });
  const targets = tsinitIds(res.raw).map((id) => {
    const o = res.raw[id];
    const z50 = Math.max(...o.leftAt50ms.map((x) => (x === null ? Infinity : x)));
    const lost = Math.max(...o.exitsUnseen);
    const alive = o.churnAliveAfter.every(Boolean);
    return {
      what: `0 zombies 50 ms after a ${res.orphans.toLocaleString('en-US')}-orphan storm, no lost exit events (${label(id)})`,
      value: `${z50} left at 50 ms (worst round), ${lost} exits lost, churn ${alive ? 'still restarting' : 'STALLED'}`,
      met: z50 === 0 && lost === 0 && alive,
    };
  });
  const section = [
    `PID 1 of a new PID namespace; a program double-forks ${res.orphans.toLocaleString('en-US')} orphans (reparented to PID 1) and then`,
    'polls PID 1\'s children (/proc/1/task/*/children, 1 ms apart) until none of its orphans is left. Meanwhile the managed',
    'program `churn` exits every 5 ms and is restarted (autorestart=true). "exits stamped" = exits churn recorded, "exits logged"',
    '= `exited:`/`stopped:` lines in the supervisor\'s log by the time it stopped; a stolen exit status would stall churn.',
    `Medians of ${res.rounds} rounds; the per-round values are listed where they matter.`,
    '',
    table(['', 'storm ms', 'orphans left at storm end', 'left 50 ms later', 'end → 0 left, ms', 'churn exits stamped', 'exits logged', 'unseen', 'churn restarting after'], rows),
  ].join('\n');
  return { section, targets };
}
