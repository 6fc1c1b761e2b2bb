// [include] files= glob patterns: fnmatchRegExp must never throw (a bad pattern is data, not a
// crash) and must agree with CPython's fnmatch on every pattern, including out-of-order ranges
// ([z-a]), leading ']' and astral characters. Checked against python3's own fnmatch in one batch.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnmatchRegExp } from '../../../src/config/glob.js';

const hasPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import fnmatch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const ALPHABET = ['a', 'b', 'z', '-', '!', '^', '[', ']', '\\', '*', '?', '.', '&', '|', '~', '(', '{', '$', '\u00e9', '\u{1F600}', '\u{1F601}'];
const patternArb = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 10 }).map((a) => a.join(''));
const nameArb = fc.array(fc.constantFrom(...ALPHABET.filter((c) => c !== '*' && c !== '?')), { maxLength: 4 }).map((a) => a.join(''));

describe('fnmatchRegExp (include globs)', () => {
  it('known CPython translations', () => {
    expect(fnmatchRegExp('[z-a].conf').test('a.conf')).toBe(false);
    expect(fnmatchRegExp('[]a]').test(']')).toBe(true);
    expect(fnmatchRegExp('[!z-a]').test('q')).toBe(true);
    expect(fnmatchRegExp('[c-b-a]').test('-')).toBe(true);
    expect(fnmatchRegExp('[c-b-a]').test('b')).toBe(false);
    expect(fnmatchRegExp('?.conf').test('\u{1F600}.conf')).toBe(true);
  });

  it('never throws on any pattern', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (p) => {
        expect(fnmatchRegExp(p)).toBeInstanceOf(RegExp);
      }),
      { numRuns: 3000 },
    );
  });

  it.skipIf(!hasPython)('matches exactly what CPython fnmatch matches', () => {
    const cases = fc.sample(fc.tuple(patternArb, fc.array(nameArb, { minLength: 1, maxLength: 6 })), { numRuns: 1500, seed: 42 });
    const script =
      'import sys,json,fnmatch\n' +
      'cases=json.load(sys.stdin)\n' +
      'print(json.dumps([[fnmatch.fnmatchcase(n,p) for n in ns] for p,ns in cases]))\n';
    const expected = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(cases), encoding: 'utf8' })) as boolean[][];
    const mismatches: string[] = [];
    cases.forEach(([p, names], i) => {
      const re = fnmatchRegExp(p);
      names.forEach((n, j) => {
        if (re.test(n) !== expected[i]![j]) mismatches.push(`${JSON.stringify(p)} vs ${JSON.stringify(n)}: python ${expected[i]![j]}`);
      });
    });
    expect(mismatches).toEqual([]);
  });
});
