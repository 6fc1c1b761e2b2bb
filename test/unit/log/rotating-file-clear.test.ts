// clear() deletes and reopens a regular log file, but never unlinks a device or FIFO it writes to
// (a program or main log configured as /dev/stdout, /dev/null or a named pipe).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RotatingFile } from '../../../src/log/rotating-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tsinit-clear-'));
  dirs.push(d);
  return d;
}

describe('RotatingFile.clear', () => {
  it('empties a regular file by deleting and reopening it', () => {
    const file = path.join(tmp(), 'app.log');
    const f = new RotatingFile({ path: file, maxbytes: 0, backups: 0 });
    f.open();
    f.write(Buffer.from('old\n'));
    f.clear();
    f.write(Buffer.from('new\n'));
    f.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('new\n');
  });

  it('keeps a FIFO in place (and a symlink to a device such as /dev/stdout)', () => {
    const dir = tmp();
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // keep a reader so opening the FIFO for writing does not block
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const link = path.join(dir, 'stdout-like');
    fs.symlinkSync('/dev/null', link);
    try {
      for (const p of [fifo, link]) {
        const f = new RotatingFile({ path: p, maxbytes: 0, backups: 0 });
        f.open();
        f.clear();
        f.close();
      }
      expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
      expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    } finally {
      fs.closeSync(reader);
    }
  });
});
