// node:child_process is loaded in one place only (src/os/child-process.ts), so the reaper's registry hook runs
// before anything can spawn with it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childProcessModule, whenChildProcessLoaded } from '../../../src/os/child-process.js';
import { sourceFiles } from '../../helpers/source-files.js';

describe('child_process loading', () => {
  it('no file in src/ but src/os/child-process.ts loads node:child_process', () => {
    const loaders = sourceFiles()
      .filter(({ text }) => {
        const valueImport = /^import\s+(?!type\b)[^;]*from\s+'(node:)?child_process'/m.test(text);
        // `typeof import('node:child_process')` is a type and loads nothing.
        const dynamic = /(getBuiltinModule|require|(?<!typeof )import)\(\s*'(node:)?child_process'\s*\)/.test(text);
        return valueImport || dynamic;
      })
      .map(({ file }) => file);
    expect(loaders).toEqual([path.join('os', 'child-process.ts')]);
  });

  it('runs each load hook once, before the module is handed out; later hooks run at once', () => {
    const seen: string[] = [];
    const cancelled = whenChildProcessLoaded(() => seen.push('cancelled'));
    whenChildProcessLoaded((cp) => seen.push(`first:${typeof cp.ChildProcess}`));
    cancelled();
    const cp = childProcessModule();
    expect(seen).toEqual(['first:function']);
    expect(childProcessModule()).toBe(cp);
    whenChildProcessLoaded(() => seen.push('late'));
    expect(seen).toEqual(['first:function', 'late']);
  });
});
