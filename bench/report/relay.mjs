import { fmt, ratio } from '../lib/stats.mjs';
import { med, rawList, table, LABEL } from './table.mjs';

const modeLabel = (m) => {
  const [id, mode] = m.split(' ');
  return `${LABEL[id] ?? id}, ${mode}`;
};

export function render(res) {
  const rows = res.modes.map((m) => {
    const o = res.raw[m];
    return [modeLabel(m), fmt(med(o.mbps)), fmt(med(o.cpuS), 2), fmt(med(o.peakRssKb) / 1024), rawList(o.mbps, 0), rawList(o.cpuS, 2)];
  });
  const targets = [];
  for (const m of res.modes.filter((x) => x.startsWith('tsinit-'))) {
    const o = res.raw[m];
    if (m.endsWith('passthrough')) {
      const cpu = Math.max(...o.cpuS);
      targets.push({ what: `passthrough relay: no tsinit CPU (${modeLabel(m)})`, value: `${fmt(cpu, 2)} CPU-s (worst round)`, met: cpu === 0 });
    } else {
      const mbps = med(o.mbps);
      const peak = Math.max(...o.peakRssKb) / 1024;
      targets.push({ what: `prefix relay ≥ 300 MB/s, bounded memory (${modeLabel(m)})`, value: `${fmt(mbps)} MB/s, peak RSS ${fmt(peak)} MB`, met: mbps >= 300 && peak < 200 });
    }
  }
  const section = [
    `A program writes ${fmt(res.payloadBytes / 2 ** 20)} MiB (100-byte lines, 64 KiB writes) to its stdout; the supervisor's stdout is a`,
    'pipe into a reader that discards (`sink`). MB/s = 10^6 payload bytes per second from the first write to the last payload byte',
    'read by the sink; CPU-s = the supervisor\'s utime+stime during the transfer (/proc/<pid>/stat, all threads); peak RSS = VmHWM.',
    `supervisord has no prefix mode; with stdout_logfile=/dev/stdout it copies through its own pipe. Medians of ${res.rounds} rounds.`,
    '',
    table(['', 'MB/s', 'supervisor CPU-s', 'peak RSS MB', 'raw MB/s', 'raw CPU-s'], rows),
  ].join('\n');
  return { section, targets };
}
