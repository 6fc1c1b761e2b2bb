// Python's whitespace rules of str.strip()/str.isspace(), which the config reader must follow to resolve
// values as supervisord does. (repr() lives in src/common/python-repr.ts.)

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
