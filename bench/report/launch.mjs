import { fmt, ratio } from '../lib/stats.mjs';
import { label, med, rawList, table, tsinitIds, yes } from './table.mjs';

export function render(res) {
  const ids = Object.keys(res.raw);
  const sd = med(res.raw.supervisord?.launchMs);
  const tini = med(res.raw.tini?.launchMs);
  const floor = med(res.raw['node24-floor']?.launchMs);
  const overFloor = (id, m) => (floor && id.startsWith('tsinit-node24') ? `+${fmt(m - floor)}` : '');
  const rows = ids.map((id) => {
    const m = med(res.raw[id].launchMs);
    return [label(id), fmt(m), fmt(med(res.raw[id].stopMs)), id === 'supervisord' ? '1' : ratio(m, sd), id === 'tini' ? '1' : ratio(m, tini), overFloor(id, m)];
  });
  const targets = [];
  for (const id of tsinitIds(res.raw)) {
    const m = med(res.raw[id].launchMs);
    targets.push({ what: `launch ≤ 1/30 of supervisord (${label(id)})`, value: `${fmt(m)} ms = ${ratio(m, sd)}`, met: sd ? m <= sd / 30 : null });
    const floorNote = floor ? ` (Node 24 alone spawning: ${fmt(floor)} ms)` : '';
    if (id === 'tsinit-node24' || id === 'tsinit-node24-image') targets.push({ what: `launch < 40 ms on Node 24${id === 'tsinit-node24' ? '' : ` (${label(id)})`}`, value: `${fmt(m)} ms${floorNote}`, met: m < 40 });
  }
  const section = [
    `Exec of the supervisor → first instruction of its one program, ms (median of ${res.rounds} rounds), and SIGTERM → exit with that program.`,
    '',
    table(['', 'launch ms', 'stop ms', 'vs supervisord', 'vs tini', 'ms over the Node 24 floor'], rows),
    '',
    'Raw launch ms: ' + ids.map((id) => `${label(id)}: ${rawList(res.raw[id].launchMs, 1)}`).join('; ') + '.',
  ].join('\n');
  return { section, targets };
}
