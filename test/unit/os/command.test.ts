// Command resolution (spec §3.7). Expected texts were produced by supervisord's own
// Subprocess.get_execv_args() (python3 -c ..., see the commit) and are compared verbatim.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATH, resolveCommand, searchPath, type CommandFs } from '../../../src/os/command.js';
import { SpawnFailure } from '../../../src/os/edge.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tsinit-cmd-'));
  mkdirSync(path.join(dir, 'a'));
  mkdirSync(path.join(dir, 'b'));
  writeFileSync(path.join(dir, 'a', 'tool'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'a', 'tool'), 0o755);
  writeFileSync(path.join(dir, 'b', 'tool'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'b', 'tool'), 0o755);
  writeFileSync(path.join(dir, 'a', 'plain'), 'data');
  chmodSync(path.join(dir, 'a', 'plain'), 0o644);
  mkdirSync(path.join(dir, 'a', 'sub'));
  // 'shadow' exists as a non-executable file in a and as an executable in b: the first entry wins.
  writeFileSync(path.join(dir, 'a', 'shadow'), 'x');
  writeFileSync(path.join(dir, 'b', 'shadow'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'b', 'shadow'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(fn: () => unknown): SpawnFailure {
  try {
    fn();
  } catch (err) {
    if (err instanceof SpawnFailure) return err;
    throw err;
  }
  throw new Error('expected a SpawnFailure');
}

describe('resolveCommand: parsing', () => {
  it.each([
    ['"unclosed', `can't parse command '"unclosed': No closing quotation`],
    [`it's "x`, `can't parse command 'it\\'s "x': No closing quotation`],
    ['a\\', `can't parse command 'a\\\\': No escaped character`],
    ["tab\there 'x", `can't parse command "tab\\there 'x": No closing quotation`],
    ["é'x", `can't parse command "é'x": No closing quotation`],
    ['', 'command is empty'],
    ['   ', 'command is empty'],
  ])('%j → %s', (command, message) => {
    const err = failure(() => resolveCommand(command, {}, '/bin'));
    expect(err.message).toBe(message);
    expect(err.kind).toBe('parse');
  });
});

describe('resolveCommand: PATH search and checks', () => {
  it('uses the program environment PATH first, keeping argv[0] as written', () => {
    const r = resolveCommand('tool --flag "two words"', { PATH: `${dir}/a:${dir}/b` }, '/usr/bin');
    expect(r.file).toBe(`${dir}/a/tool`);
    expect(r.argv).toEqual(['tool', '--flag', 'two words']);
  });

  it('takes the first PATH entry that exists, whatever its type (no fallthrough to an executable later)', () => {
    const err = failure(() => resolveCommand('shadow', { PATH: `${dir}/a:${dir}/b` }));
    expect(err.message).toBe(`command at '${dir}/a/shadow' is not executable`);
    expect(err.kind).toBe('not-executable');
  });

  it("falls back to tsinit's own PATH, then to /bin:/usr/bin:/usr/local/bin", () => {
    expect(resolveCommand('tool', {}, `${dir}/b`).file).toBe(`${dir}/b/tool`);
    expect(searchPath({}, null)).toEqual(DEFAULT_PATH);
    expect(searchPath({}, '')).toEqual(DEFAULT_PATH);
    expect(searchPath({ PATH: '' }, '/x')).toEqual(['']);
    expect(resolveCommand('sh', {}, null).file).toBe('/bin/sh');
  });

  it('reports a missing command with its name as written', () => {
    const err = failure(() => resolveCommand('nonexistent_cmd arg', { PATH: `${dir}/a` }));
    expect(err.message).toBe("can't find command 'nonexistent_cmd'");
    expect(err.kind).toBe('not-found');
  });

  it('checks a path containing / directly', () => {
    expect(failure(() => resolveCommand(`${dir}/a/sub`, {})).message).toBe(`command at '${dir}/a/sub' is a directory`);
    expect(failure(() => resolveCommand('/tmp', {})).message).toBe("command at '/tmp' is a directory");
    expect(failure(() => resolveCommand(`${dir}/a/plain x`, {})).message).toBe(`command at '${dir}/a/plain' is not executable`);
    expect(failure(() => resolveCommand(`${dir}/nope`, {})).message).toBe(`can't find command '${dir}/nope'`);
    expect(resolveCommand(`${dir}/a/tool`, {}).file).toBe(`${dir}/a/tool`);
  });

  it('reports access(X_OK) refusal as no permission', () => {
    const fs: CommandFs = {
      stat: () => ({ isDirectory: () => false, mode: 0o100700 }),
      canExecute: () => false,
    };
    const err = failure(() => resolveCommand('/srv/secret', {}, null, fs));
    expect(err.message).toBe("no permission to run command '/srv/secret'");
    expect(err.kind).toBe('not-executable');
  });

  it('joins PATH entries as os.path.join does (empty entry = relative name, trailing slash kept)', () => {
    const seen: string[] = [];
    const fs: CommandFs = {
      stat: (p) => {
        seen.push(p);
        return null;
      },
      canExecute: () => true,
    };
    failure(() => resolveCommand('prog', { PATH: ':/opt/bin/:/usr/bin' }, undefined, fs));
    expect(seen).toEqual(['prog', '/opt/bin/prog', '/usr/bin/prog']);
  });
});
