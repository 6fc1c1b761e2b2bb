// Differential tests against supervisord's own code: thousands of generated environment= values
// and INI texts, built from the characters that matter (quotes, delimiters, comment chars,
// indentation), must give exactly the same result or the same error text. One Python process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dictOfKeyValuePairs } from '../../../src/config/env-list.js';
import { emptyIniDocument, parseIniInto } from '../../../src/config/ini-lexer.js';

const PYTHON = '/usr/bin/python3';
const hasOracle = spawnSync(PYTHON, ['-c', 'import supervisor.options'], { stdio: 'ignore' }).status === 0;
const script = path.join(import.meta.dirname, 'differential-dump.py');

type Outcome = { ok: unknown } | { err: string };

function oracle(cases: { kind: 'env' | 'ini'; text: string }[]): Outcome[] {
  const r = spawnSync(PYTHON, [script], { input: JSON.stringify(cases), maxBuffer: 64 << 20, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Outcome[];
}

function ours(kind: 'env' | 'ini', text: string): Outcome {
  try {
    if (kind === 'env') return { ok: dictOfKeyValuePairs(text) };
    const doc = emptyIniDocument();
    parseIniInto(doc, text, '<string>');
    const sections: Record<string, Record<string, string>> = {};
    for (const [name, s] of doc.sections) {
      sections[name] = Object.fromEntries([...s.options].map(([k, o]) => [k, o.value]));
    }
    return { ok: { sections, defaults: Object.fromEntries([...doc.defaults].map(([k, o]) => [k, o.value])) } };
  } catch (err) {
    return { err: (err as Error).message };
  }
}

const envChars = ['A', 'b', 'K', '1', '_', '=', '=', ',', ',', ' ', '"', "'", '#', '\n', '$', ':', '/', '-', '.', 'é', ';', '\t', '?', '\\'];
const envText = fc.array(fc.constantFrom(...envChars), { maxLength: 24 }).map((a) => a.join(''));
const envPairs = fc
  .array(
    fc.tuple(fc.constantFrom('A', 'KEY', '"Q"', 'x y'), fc.constantFrom('=', ' = ', ':'), envText, fc.constantFrom(',', ', ', ' ', ';', ',\n', '')),
    { minLength: 1, maxLength: 4 },
  )
  .map((ps) => ps.map(([k, e, v, s]) => k + e + v + s).join(''));

const iniPieces = ['[s]', '[t]', '[DEFAULT]', '[a]b]', 'key=v', 'Key : v', 'k=a;b', 'k=a ;c', 'k=a #c', 'x', '=v', ';c', '#c', ' ', '\t', '  ', ']', '['];
const iniLine = fc.array(fc.constantFrom(...iniPieces), { maxLength: 4 }).map((a) => a.join(''));
const iniText = fc
  .tuple(fc.constantFrom('', '[s]\n'), fc.array(iniLine, { maxLength: 10 }), fc.constantFrom('', '\n'))
  .map(([head, lines, tail]) => head + lines.join('\n') + tail);

describe.skipIf(!hasOracle)('differential against supervisord 4.2 code', () => {
  it('environment= values', () => {
    const texts = fc.sample(fc.oneof(envText, envPairs), { numRuns: 3000, seed: 42 });
    const expected = oracle(texts.map((text) => ({ kind: 'env', text })));
    const mismatches = texts.map((t, i) => ({ t, py: expected[i], ts: ours('env', t) })).filter((m) => JSON.stringify(m.py) !== JSON.stringify(m.ts));
    expect(mismatches.slice(0, 5)).toEqual([]);
    // the generated inputs cover both accepted values and errors
    expect(expected.filter((e) => 'err' in e).length).toBeGreaterThan(100);
    expect(expected.filter((e) => 'ok' in e).length).toBeGreaterThan(100);
  });

  it('INI line algorithm', () => {
    const texts = fc.sample(iniText, { numRuns: 3000, seed: 7 });
    const expected = oracle(texts.map((text) => ({ kind: 'ini', text })));
    const mismatches = texts.map((t, i) => ({ t, py: expected[i], ts: ours('ini', t) })).filter((m) => JSON.stringify(m.py) !== JSON.stringify(m.ts));
    expect(mismatches.slice(0, 5)).toEqual([]);
    // the generated inputs cover both accepted values and errors
    expect(expected.filter((e) => 'err' in e).length).toBeGreaterThan(100);
    expect(expected.filter((e) => 'ok' in e).length).toBeGreaterThan(100);
  });
});
