// Markdown helpers shared by the report sections.
import { fmt, median } from '../lib/stats.mjs';

export const LABEL = {
  'tsinit-node20': 'tsinit, Node 20',
  'tsinit-node24': 'tsinit, Node 24',
  'tsinit-node20-nmr': 'tsinit, Node 20, `--no-memory-reducer`',
  'tsinit-node24-nmr': 'tsinit, Node 24, `--no-memory-reducer`',
  'tsinit-node24-image': "tsinit, Node 24, as the image's launcher (flags + warmed code cache)",
  supervisord: 'supervisord 4.2',
  tini: 'tini',
  'node24-floor': 'Node 24 alone, spawning the program (floor of a Node-based init)',
};
export const label = (id) => LABEL[id] ?? id;

export function table(header, rows) {
  const out = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const r of rows) out.push(`| ${r.map((c) => (c === null || c === undefined ? 'n/a' : String(c))).join(' | ')} |`);
  return out.join('\n');
}

/** "1.2, 3.4, 5.6" for a raw-numbers column. */
export const rawList = (values, digits) => (values ?? []).map((v) => (typeof v === 'number' ? fmt(v, digits) : String(v))).join(', ');

export const med = (values) => median(values ?? []);

export const yes = (ok) => (ok === null || ok === undefined ? 'n/a' : ok ? '**met**' : '**missed**');

/** Which tsinit variants a result has (node20, node24). */
export const tsinitIds = (raw) => Object.keys(raw).filter((k) => k.startsWith('tsinit-'));
/** The tsinit variants as shipped (without the extra flags some measures also try). */
export const shippedIds = (raw) => tsinitIds(raw).filter((k) => !k.endsWith('-nmr'));
