// Python %-formatting of a value against a name→value mapping (`value % expansions`), with
// supervisord's error texts (spec §1.5). Only mapping keys are supported: a bare `%s`, which Python
// would fill with a dump of the whole mapping, is rejected as badly formatted.
import { ConfigError } from './model.js';
import { pyRepr } from '../common/python-repr.js';

export type ExpansionValue = string | number;
export type Expansions = Readonly<Record<string, ExpansionValue>>;

class FormatError extends Error {}
class MissingKey extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

const FLAGS = '#0- +';
const CONVERSIONS = 'diouxXeEfFgGcrsa%';

function pad(body: string, width: number, left: boolean, zero: boolean, signLen: number): string {
  if (body.length >= width) return body;
  if (left) return body + ' '.repeat(width - body.length);
  if (zero) return body.slice(0, signLen) + '0'.repeat(width - body.length) + body.slice(signLen);
  return ' '.repeat(width - body.length) + body;
}

function formatNumber(value: ExpansionValue, conv: string, flags: string, width: number, prec: number | null): string {
  if (typeof value !== 'number') {
    const what = conv === 'c' ? '%c requires int or char' : `%${conv} format: a real number is required, not str`;
    if (conv === 'x' || conv === 'X' || conv === 'o') throw new FormatError(`%${conv} format: an integer is required, not str`);
    throw new FormatError(what);
  }
  const neg = value < 0;
  const abs = Math.abs(value);
  let digits: string;
  switch (conv) {
    case 'x': digits = Math.trunc(abs).toString(16); if (flags.includes('#')) digits = '0x' + digits; break;
    case 'X': digits = Math.trunc(abs).toString(16).toUpperCase(); if (flags.includes('#')) digits = '0X' + digits; break;
    case 'o': digits = Math.trunc(abs).toString(8); if (flags.includes('#')) digits = '0o' + digits; break;
    case 'e': case 'E': digits = abs.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'); if (conv === 'E') digits = digits.toUpperCase(); break;
    case 'f': case 'F': digits = abs.toFixed(prec ?? 6); break;
    case 'g': case 'G': digits = String(Number(abs.toPrecision(prec ?? 6))); break;
    case 'c': return String.fromCodePoint(value);
    default: {
      digits = Math.trunc(abs).toString(10);
      if (prec !== null && digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
    }
  }
  const sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
  return pad(sign + digits, width, flags.includes('-'), flags.includes('0'), sign.length);
}

function formatPy(fmt: string, mapping: Expansions): string {
  let out = '';
  let i = 0;
  const n = fmt.length;
  while (i < n) {
    const pct = fmt.indexOf('%', i);
    if (pct === -1) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    i = pct + 1;
    if (i >= n) throw new FormatError('incomplete format');
    let key: string | null = null;
    if (fmt[i] === '(') {
      let depth = 1;
      let j = i + 1;
      while (j < n && depth > 0) {
        if (fmt[j] === '(') depth++;
        else if (fmt[j] === ')') depth--;
        j++;
      }
      if (depth > 0) throw new FormatError('incomplete format key');
      key = fmt.slice(i + 1, j - 1);
      i = j;
    }
    let flags = '';
    while (i < n && FLAGS.includes(fmt[i]!)) flags += fmt[i++];
    let width = 0;
    if (fmt[i] === '*') throw new FormatError('* wants int');
    while (i < n && fmt[i]! >= '0' && fmt[i]! <= '9') width = width * 10 + Number(fmt[i++]);
    let prec: number | null = null;
    if (fmt[i] === '.') {
      i++;
      if (fmt[i] === '*') throw new FormatError('* wants int');
      prec = 0;
      while (i < n && fmt[i]! >= '0' && fmt[i]! <= '9') prec = prec * 10 + Number(fmt[i++]);
    }
    while (i < n && 'hlL'.includes(fmt[i]!)) i++;
    if (i >= n) throw new FormatError('incomplete format');
    const conv = fmt[i]!;
    if (!CONVERSIONS.includes(conv)) {
      const cp = conv.codePointAt(0)!;
      throw new FormatError(`unsupported format character ${pyRepr(conv)} (0x${cp.toString(16)}) at index ${i}`);
    }
    i++;
    if (conv === '%') {
      out += '%';
      continue;
    }
    if (key === null) throw new FormatError('format requires a mapping');
    if (!Object.prototype.hasOwnProperty.call(mapping, key)) throw new MissingKey(key);
    const value = mapping[key]!;
    if (conv === 's' || conv === 'r' || conv === 'a') {
      let s = conv === 's' ? String(value) : typeof value === 'number' ? String(value) : pyRepr(value);
      if (prec !== null) s = s.slice(0, prec);
      out += pad(s, width, flags.includes('-'), false, 0);
    } else {
      out += formatNumber(value, conv, flags, width, prec);
    }
  }
  return out;
}

/** `value % expansions` with supervisord's error texts; `label` names the option (e.g. `program:a.command`). */
export function expand(value: string, expansions: Expansions, label: string): string {
  try {
    return formatPy(value, expansions);
  } catch (err) {
    if (err instanceof MissingKey) {
      const available = Object.keys(expansions).sort().join(', ');
      throw new ConfigError(
        `Format string ${pyRepr(value)} for ${pyRepr(label)} contains names (${pyRepr(err.key)}) which cannot be expanded. Available names: ${available}`,
      );
    }
    if (err instanceof FormatError) {
      throw new ConfigError(`Format string ${pyRepr(value)} for ${pyRepr(label)} is badly formatted: ${err.message}`);
    }
    throw err;
  }
}

/** Replace literal `%(here)s` like supervisord's UnhosedConfigParser.expand_here (used with [include]). */
export function replaceHere(value: string, here: string): string {
  return value.split('%(here)s').join(here);
}
