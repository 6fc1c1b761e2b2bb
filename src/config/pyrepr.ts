// Python's repr() for strings and the whitespace rules of str.strip()/str.isspace(): supervisord's
// error texts embed repr()'d values, so these must match CPython 3 byte for byte.

const PY_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Python str.isspace() for a single character. */
export function isPySpace(ch: string): boolean {
  return ch.length > 0 && PY_SPACE.has(ch.codePointAt(0)!);
}

/** Python str.strip() with no argument. */
export function pyStrip(s: string): string {
  return pyRstrip(pyLstrip(s));
}

export function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length && PY_SPACE.has(s.charCodeAt(i))) i++;
  return s.slice(i);
}

export function pyRstrip(s: string): string {
  let j = s.length;
  while (j > 0 && PY_SPACE.has(s.charCodeAt(j - 1))) j--;
  return s.slice(0, j);
}

/** Python str.strip(chars). */
export function pyStripChars(s: string, chars: string): string {
  let i = 0;
  let j = s.length;
  while (i < j && chars.includes(s[i]!)) i++;
  while (j > i && chars.includes(s[j - 1]!)) j--;
  return s.slice(i, j);
}

function isPrintable(cp: number): boolean {
  // Approximation of Python's str.isprintable(): control chars, separators other than space,
  // surrogates and private/unassigned planes are escaped.
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp >= 0x80 && cp < 0xa0) return false;
  if (cp === 0xad) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if (cp === 0x2028 || cp === 0x2029) return false;
  if (cp !== 0x20 && PY_SPACE.has(cp)) return false;
  return true;
}

/** Python repr() of a str. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (isPrintable(cp)) out += ch;
    else if (cp < 0x100) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + quote;
}

/** Python repr() of a list of str: ['a', 'b']. */
export function pyReprList(items: readonly string[]): string {
  return '[' + items.map(pyRepr).join(', ') + ']';
}
