// shlexSplit against CPython's shlex.split(): the expected values below were produced by running
// shlex.split() on each input (python3.11); an additional differential check runs python3 when present.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shlexSplit, ShlexError } from '../../../src/os/shlex.js';

const SPLITS: [string, string[]][] = [
  ["", []],
  ["   ", []],
  ["foo bar", ["foo", "bar"]],
  [" foo  bar ", ["foo", "bar"]],
  ["foo 'bar baz'", ["foo", "bar baz"]],
  ["foo \"bar baz\"", ["foo", "bar baz"]],
  ["a''b", ["ab"]],
  ["a \"\"", ["a", ""]],
  ["''", [""]],
  ["\"\"", [""]],
  ["'' ''", ["", ""]],
  ["foo\\ bar", ["foo bar"]],
  ["\"a\\\"b\"", ["a\"b"]],
  ["'a\\'", ["a\\"]],
  ["\"a\\\\b\"", ["a\\b"]],
  ["\"a\\nb\"", ["a\\nb"]],
  ["\"a\\$b\"", ["a\\$b"]],
  ["'a\\nb'", ["a\\nb"]],
  ["a\"b c\"d", ["ab cd"]],
  ["x\ty\nz", ["x", "y", "z"]],
  ["foo#bar", ["foo#bar"]],
  ["a;b", ["a;b"]],
  ["é ü", ["é", "ü"]],
  ["foo\\\\", ["foo\\"]],
  ["sh -c \"sleep 1; exit 2\"", ["sh", "-c", "sleep 1; exit 2"]],
  ["/bin/sh -c 'echo $HOME'", ["/bin/sh", "-c", "echo $HOME"]],
  ["\\\"quoted\\\"", ["\"quoted\""]],
  ["it\\'s", ["it's"]],
  ["\"it's\"", ["it's"]],
  ["a\\\nb", ["a\nb"]],
  ["\\'", ["'"]],
  ["\"a\" \"b\"", ["a", "b"]],
  ["python -c \"print('hi')\"", ["python", "-c", "print('hi')"]],
  ["a\r\nb", ["a", "b"]],
];

const ERRORS: [string, string][] = [
  ["foo\\", "No escaped character"],
  ["\"unclosed", "No closing quotation"],
  ["'unclosed", "No closing quotation"],
  ["a \"b", "No closing quotation"],
  ["\"\\\"", "No closing quotation"],
];

function hasPython(): boolean {
  try {
    execFileSync('python3', ['-c', 'import shlex'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('shlexSplit', () => {
  it.each(SPLITS)('splits %j like Python', (input, expected) => {
    expect(shlexSplit(input)).toEqual(expected);
  });

  it.each(ERRORS)('rejects %j with Python\'s message', (input, message) => {
    expect(() => shlexSplit(input)).toThrow(ShlexError);
    expect(() => shlexSplit(input)).toThrow(message);
  });

  it.skipIf(!hasPython())('agrees with python3 shlex.split on random inputs', () => {
    const alphabet = [' ', '\t', '\n', 'a', 'b', "'", '"', '\\', 'é', '#', ';', '$'];
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const inputs: string[] = [];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      for (let n = rnd(9); n > 0; n--) s += alphabet[rnd(alphabet.length)];
      inputs.push(s);
    }
    const script = 'import json,sys,shlex\nout=[]\nfor s in json.load(sys.stdin):\n  try: out.append(shlex.split(s))\n  except ValueError as e: out.append("ERR:"+str(e))\nprint(json.dumps(out))';
    const expected = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(inputs) }).toString()) as unknown[];
    const got = inputs.map((s) => {
      try {
        return shlexSplit(s);
      } catch (e) {
        return `ERR:${(e as Error).message}`;
      }
    });
    expect(got).toEqual(expected);
  });
});
