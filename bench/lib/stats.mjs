// Small numeric helpers for the bench: medians, rounding, ratios.

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** A number rounded for a table: 3 significant digits below 100, integers above. */
export function fmt(x, digits) {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/a';
  if (!Number.isFinite(x)) return String(x);
  if (digits !== undefined) return x.toFixed(digits);
  if (Number.isInteger(x)) return x.toLocaleString('en-US');
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  if (a === 0) return '0';
  return x.toPrecision(2);
}

/** a / b as a readable ratio ("0.031×", "1/32"). */
export function ratio(a, b) {
  if (a === null || b === null || a === undefined || b === undefined || b === 0) return 'n/a';
  const r = a / b;
  if (r > 0 && r < 1) return `${fmt(r)}× (1/${fmt(1 / r)})`;
  return `${fmt(r)}×`;
}

export const nsToMs = (ns) => Number(ns) / 1e6;
