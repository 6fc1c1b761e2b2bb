import { fmt, ratio } from '../lib/stats.mjs';
import { label, med, rawList, table, tsinitIds } from './table.mjs';

export function render(res) {
  const ids = Object.keys(res.raw);
  const sd = med(res.raw.supervisord?.stopMs);
  const tini = med(res.raw.tini?.stopMs);
  const rows = ids.map((id) => {
    const m = med(res.raw[id].stopMs);
    return [label(id), fmt(m), id === 'supervisord' ? '1' : ratio(m, sd), id === 'tini' ? '1' : ratio(m, tini), rawList(res.raw[id].stopMs, 1)];
  });
  const targets = tsinitIds(res.raw).map((id) => {
    const m = med(res.raw[id].stopMs);
    return { what: `shutdown of ${res.programs} < 150 ms (${label(id)})`, value: `${fmt(m)} ms`, met: m < 150 };
  });
  const section = [
    `SIGTERM to the supervisor (PID 1) → its exit, with ${res.programs} programs that die at once on SIGTERM; ms, median of ${res.rounds} rounds.`,
    '',
    table(['', 'stop ms', 'vs supervisord', 'vs tini', 'raw'], rows),
  ].join('\n');
  return { section, targets };
}
