// Python os.path helpers (posixpath) used by supervisord's value types: dirname, normpath,
// abspath, expanduser. Relative paths resolve against an injected cwd, never process.cwd().
import { statSync } from 'node:fs';
import type { UserDb } from './users.js';
import { userByName } from './users.js';

export function pyDirname(p: string): string {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return head;
}

export function pyNormpath(p: string): string {
  if (p === '') return '.';
  const initial = p.startsWith('/') ? (p.startsWith('//') && !p.startsWith('///') ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const comp of p.split('/')) {
    if (comp === '' || comp === '.') continue;
    if (comp !== '..' || (initial === 0 && parts.length === 0) || (parts.length > 0 && parts[parts.length - 1] === '..')) {
      parts.push(comp);
    } else if (parts.length > 0) {
      parts.pop();
    }
  }
  const out = '/'.repeat(initial) + parts.join('/');
  return out || '.';
}

export function pyIsAbs(p: string): boolean {
  return p.startsWith('/');
}

export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/')) return b;
  if (a === '' || a.endsWith('/')) return a + b;
  return a + '/' + b;
}

export function pyAbspath(p: string, cwd: string): string {
  return pyNormpath(pyIsAbs(p) ? p : pyJoin(cwd, p));
}

export function pyExpanduser(p: string, home: string | undefined, db: UserDb): string {
  if (!p.startsWith('~')) return p;
  let i = p.indexOf('/', 1);
  if (i < 0) i = p.length;
  let userhome: string;
  if (i === 1) {
    if (home === undefined) return p;
    userhome = home;
  } else {
    const u = userByName(db, p.slice(1, i));
    if (!u) return p;
    userhome = u.home;
  }
  userhome = userhome.replace(/\/+$/, '');
  return (userhome + p.slice(i)) || '/';
}

/** os.path.normpath(os.path.abspath(os.path.expanduser(v))): supervisord's normalize_path. */
export function normalizePath(v: string, cwd: string, home: string | undefined, db: UserDb): string {
  return pyAbspath(pyExpanduser(v, home, db), cwd);
}

export function isDirectory(p: string, cwd: string): boolean {
  try {
    return statSync(pyIsAbs(p) ? p : pyJoin(cwd, p)).isDirectory();
  } catch {
    return false;
  }
}
