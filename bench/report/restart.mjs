import { fmt, ratio } from '../lib/stats.mjs';
import { label, med, rawList, table, tsinitIds } from './table.mjs';

export function render(res) {
  const parts = [];
  const targets = [];
  for (const s of res.scenarios) {
    const raw = res.raw[s.key];
    const ids = Object.keys(raw);
    const sd = med(raw.supervisord?.latenciesMs);
    const rows = ids.map((id) => {
      const all = raw[id].latenciesMs;
      return [label(id), fmt(med(all)), fmt(Math.min(...all)), fmt(Math.max(...all)), all.length, id === 'supervisord' ? '1' : ratio(med(all), sd)];
    });
    parts.push(
      `**Program living ${s.lifeMs} ms** (${s.cycles} restarts per round, ${res.rounds} rounds; median over all restarts):`,
      '',
      table(['', 'median ms', 'min', 'max', 'restarts', 'vs supervisord'], rows),
      '',
      'Raw per-round medians: ' + ids.map((id) => `${label(id)}: ${rawList(raw[id].roundMedianMs, 2)}`).join('; ') + '.',
      '',
    );
    if (s.key === 'ranOverOneSecond') {
      for (const id of tsinitIds(raw)) {
        const m = med(raw[id].latenciesMs);
        targets.push({ what: `restart < 10 ms (${label(id)})`, value: `${fmt(m)} ms`, met: m < 10 });
      }
    }
  }
  return { section: parts.join('\n'), targets };
}
