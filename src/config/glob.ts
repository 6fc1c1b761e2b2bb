// Python glob.glob() (non-recursive) and fnmatch for [include] files=: `*`, `?`, `[...]`/`[!...]`,
// magic chars in any path component, and wildcards never match names that start with '.'
// unless the pattern component does.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { pyJoin } from './pypath.js';

const MAGIC = /[*?[]/;

export function hasMagic(s: string): boolean {
  return MAGIC.test(s);
}

/** Escape one literal character for a `u`-flag RegExp (only syntax characters may be escaped there). */
function escapeRe(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** One `[...]` body (between the brackets, as code points) → a RegExp class body, like Python 3.11. */
function classBody(cps: string[]): string {
  // Inside a `u`-flag class only `\\`, `]`, `[` (and `-` when it is not a range) need escaping.
  const one = (c: string, hyphen: boolean): string => (c === '\\' || c === ']' || c === '[' || (hyphen && c === '-') ? `\\${c}` : c);
  const esc = (s: string[]): string => s.map((c) => one(c, true)).join('');
  if (!cps.includes('-')) return cps.map((c) => one(c, false)).join('');
  // Split into chunks at the hyphens that make ranges; drop ranges whose ends are out of order
  // (Python removes them: they are invalid in a RegExp).
  const chunks: string[][] = [];
  let start = 0;
  let k = cps[0] === '!' ? 2 : 1;
  for (;;) {
    const at = cps.indexOf('-', k);
    if (at < 0) break;
    chunks.push(cps.slice(start, at));
    start = at + 1;
    k = at + 3;
  }
  const last = cps.slice(start);
  if (last.length > 0) chunks.push(last);
  else chunks[chunks.length - 1]!.push('-');
  for (let i = chunks.length - 1; i > 0; i--) {
    const prev = chunks[i - 1]!;
    const cur = chunks[i]!;
    const a = prev[prev.length - 1]?.codePointAt(0);
    const b = cur[0]?.codePointAt(0);
    if (a !== undefined && b !== undefined && a > b) {
      chunks[i - 1] = [...prev.slice(0, -1), ...cur.slice(1)];
      chunks.splice(i, 1);
    }
  }
  return chunks.map(esc).join('-');
}

/** fnmatch.translate (Python 3.11): a shell pattern as an anchored RegExp. Never throws. */
export function fnmatchRegExp(pattern: string): RegExp {
  const pat = [...pattern]; // code points, like Python's str
  let re = '';
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i++]!;
    if (c === '*') {
      while (pat[i] === '*') i++;
      re += '.*';
    } else if (c === '?') {
      re += '.';
    } else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        re += '\\[';
      } else {
        let stuff = classBody(pat.slice(i, j));
        i = j + 1;
        if (stuff === '') re += '(?!)';
        else if (stuff === '!') re += '.';
        else {
          if (stuff.startsWith('!')) stuff = '^' + stuff.slice(1);
          else if (stuff.startsWith('^')) stuff = '\\' + stuff;
          re += `[${stuff}]`;
        }
      }
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp(`^(?:${re})$`, 'su');
}

function lexists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function pySplit(p: string): [string, string] {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return [head, tail];
}

function glob1(dirname: string, pattern: string, dironly: boolean): string[] {
  let names: string[];
  try {
    names = readdirSync(dirname || '.');
  } catch {
    return [];
  }
  if (dironly) names = names.filter((n) => isDir(pyJoin(dirname || '.', n)));
  if (!pattern.startsWith('.')) names = names.filter((n) => !n.startsWith('.'));
  const re = fnmatchRegExp(pattern);
  return names.filter((n) => re.test(n));
}

function glob0(dirname: string, basename: string, dironly: boolean): string[] {
  if (!basename) return isDir(dirname) ? [basename] : [];
  const p = pyJoin(dirname, basename);
  if (dironly ? isDir(p) : lexists(p)) return [basename];
  return [];
}

function iglob(pathname: string, dironly: boolean): string[] {
  const [dirname, basename] = pySplit(pathname);
  if (!hasMagic(pathname)) {
    if (basename ? lexists(pathname) : isDir(dirname)) return [pathname];
    return [];
  }
  if (!dirname) return glob1('', basename, dironly);
  const dirs = dirname !== pathname && hasMagic(dirname) ? iglob(dirname, true) : [dirname];
  const out: string[] = [];
  for (const d of dirs) {
    const names = hasMagic(basename) ? glob1(d, basename, dironly) : glob0(d, basename, dironly);
    for (const n of names) out.push(pyJoin(d, n));
  }
  return out;
}

/** glob.glob(pattern) for an absolute pattern (results unsorted, like Python). */
export function pyGlob(pattern: string): string[] {
  return iglob(pattern, false);
}
