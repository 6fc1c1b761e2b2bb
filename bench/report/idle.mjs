import { fmt, ratio } from '../lib/stats.mjs';
import { label, med, rawList, table, tsinitIds } from './table.mjs';

const mb = (kb) => (kb === null ? null : kb / 1024);

export function render(res) {
  const ids = Object.keys(res.raw);
  const cpuRows = ids.map((id) => {
    const o = res.raw[id];
    return [
      label(id),
      fmt(med(o.ticks)),
      fmt(med(o.voluntary)),
      fmt(med(o.nonvoluntary)),
      fmt((med(o.voluntary) + med(o.nonvoluntary)) / res.seconds, 2),
      fmt(med(o.threads)),
      `${rawList(o.voluntary)} / ${rawList(o.nonvoluntary)}`,
      o.woke.filter(Boolean).join('; ') || '—',
    ];
  });
  const sdAnon = med(res.raw.supervisord?.anonKb);
  const memRows = ids.map((id) => {
    const o = res.raw[id];
    return [label(id), fmt(mb(med(o.rssKb))), fmt(mb(med(o.anonKb))), fmt(mb(med(o.fileKb))), id === 'supervisord' ? '1' : ratio(med(o.anonKb), sdAnon), rawList(o.anonKb.map(mb))];
  });
  const targets = [];
  for (const id of tsinitIds(res.raw)) {
    const o = res.raw[id];
    const wakeups = Math.max(...o.voluntary.map((v, i) => v + o.nonvoluntary[i]));
    targets.push({ what: `0 wakeups in ${res.seconds} s idle (${label(id)})`, value: `${wakeups} context switches (worst round)`, met: wakeups === 0 });
    const a = med(o.anonKb);
    if (id.endsWith('-nmr')) continue;
    targets.push({ what: `RssAnon below supervisord's with 10 programs (${label(id)})`, value: `${fmt(mb(a))} vs ${fmt(mb(sdAnon))} MB`, met: sdAnon ? a < sdAnon : null });
  }
  const section = [
    `All supervisors side by side, each PID 1 of its own namespace with ${res.programs} \`sleep infinity\` programs (tini: a shell that`,
    `backgrounds 10 sleeps). After 5 s of settling, ${res.seconds} s of idling; sums over every thread. Medians of ${res.rounds} rounds.`,
    '',
    table(['', 'CPU ticks', 'voluntary cs', 'non-voluntary cs', 'wakeups/s', 'threads', 'raw vol / nonvol', 'threads that woke (name:vol+nonvol)'], cpuRows),
    '',
    '**Memory** at the end of the idle window (MB; RssFile is mostly the shared, reclaimable binary, so RssAnon is the real cost):',
    '',
    table(['', 'VmRSS', 'RssAnon', 'RssFile', 'RssAnon vs supervisord', 'raw RssAnon'], memRows),
  ].join('\n');
  return { section, targets };
}
