// Python glob.glob() (non-recursive) and fnmatch for [include] files=: `*`, `?`, `[...]`/`[!...]`,
// magic chars in any path component, and wildcards never match names that start with '.'
// unless the pattern component does.
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { pyJoin } from './pypath.js';

const MAGIC = /[*?[]/;

export function hasMagic(s: string): boolean {
  return MAGIC.test(s);
}

function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** fnmatch.translate: a shell pattern as an anchored RegExp. */
export function fnmatchRegExp(pat: string): RegExp {
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
        let stuff = pat.slice(i, j);
        i = j + 1;
        if (stuff.startsWith('!')) stuff = '^' + stuff.slice(1);
        else if (stuff.startsWith('^')) stuff = '\\' + stuff;
        stuff = stuff.replace(/\\/g, '\\\\');
        re += stuff === '' ? '(?!)' : stuff === '^' ? '.' : `[${stuff}]`;
      }
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp(`^(?:${re})$`, 's');
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
