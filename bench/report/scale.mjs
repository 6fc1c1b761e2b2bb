import { fmt, ratio } from '../lib/stats.mjs';
import { label, med, rawList, table, tsinitIds } from './table.mjs';

const mb = (kb) => (kb === null ? null : kb / 1024);

export function render(res) {
  const ids = Object.keys(res.raw);
  const memRows = ids.map((id) => {
    const o = res.raw[id];
    return [label(id), fmt(mb(med(o.anon10Kb))), fmt(mb(med(o.anon1000Kb))), fmt(med(o.perProgramKb)), fmt(mb(med(o.rss1000Kb))), fmt(med(o.startAllMs)), fmt(med(o.stop1000Ms)), rawList(o.perProgramKb, 1)];
  });
  const clients = Object.keys(res.raw[ids[0]].status);
  const statusRows = [];
  for (const c of clients) {
    const row = [c === 'raw' ? 'one raw HTTP getAllProcessInfo' : `\`${c} status\` (whole command)`];
    for (const id of ids) {
      const s = res.raw[id].status[c];
      const okAll = s.ok.every(Boolean) && s.lines.every((n) => n === res.programs);
      row.push(`${fmt(med(s.ms))}${okAll ? '' : ' (!)'}`);
    }
    const sd = med(res.raw.supervisord?.status[c].ms);
    for (const id of ids.filter((x) => x !== 'supervisord')) row.push(ratio(med(res.raw[id].status[c].ms), sd));
    statusRows.push(row);
  }
  const targets = [];
  for (const id of tsinitIds(res.raw)) {
    const per = med(res.raw[id].perProgramKb);
    targets.push({ what: `< 60 KB RssAnon per extra program at 1,000 (${label(id)})`, value: `${fmt(per)} KB`, met: per < 60 });
    const raw = med(res.raw[id].status.raw.ms);
    const ctlKey = `tsinit ctl (${id.replace('tsinit-', '')})`;
    const ctl = med(res.raw[id].status[ctlKey]?.ms);
    targets.push({
      what: `status of 1,000 < 200 ms (${label(id)} server)`,
      value: `API call ${fmt(raw)} ms; whole \`${ctlKey} status\` ${fmt(ctl)} ms`,
      met: raw < 200 && (ctl === null || ctl < 200),
    });
  }
  const raws = ids.map((id) => `${label(id)}: ` + clients.map((c) => `${c} ${rawList(res.raw[id].status[c].ms, 1)}`).join(' · ')).join('; ');
  const section = [
    `Each supervisor runs the same conf with 10 and then 1,000 \`sleep infinity\` programs (numprocs, startsecs=0), PID 1, measured 3 s`,
    `after the last program is up. Medians of ${res.rounds} rounds.`,
    '',
    table(['', 'RssAnon @10, MB', 'RssAnon @1,000, MB', 'KB per extra program', 'VmRSS @1,000, MB', 'exec → 1,000 up, ms', 'stop 1,000, ms', 'raw KB/program'], memRows),
    '',
    `**status of ${res.programs} programs** (ms, median of ${res.calls} calls × ${res.rounds} rounds; each column is the server, "(!)" = a call failed or did not list all ${res.programs}):`,
    '',
    table(['client', ...ids.map(label), ...ids.filter((x) => x !== 'supervisord').map((x) => `${label(x)} vs supervisord`)], statusRows),
    '',
    `Raw: ${raws}.`,
  ].join('\n');
  return { section, targets };
}
