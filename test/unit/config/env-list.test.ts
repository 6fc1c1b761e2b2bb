// environment= parsing: supervisor/tests/test_datatypes.py DictOfKeyValuePairsTests and the
// reference-checked table of spec §1.6.1.
import { describe, expect, it } from 'vitest';
import { dictOfKeyValuePairs, shlexNonPosix } from '../../../src/config/env-list.js';

describe('dict_of_key_value_pairs (ported)', () => {
  it.each([
    ['', {}],
    ['foo=bar', { foo: 'bar' }],
    ['foo=bar,baz=qux', { foo: 'bar', baz: 'qux' }],
    [' foo = bar , baz = qux ', { foo: 'bar', baz: 'qux' }],
    ['foo\n=\nbar\n,\nbaz\n=\nqux', { foo: 'bar', baz: 'qux' }],
    ["foo='bar,baz',baz='q,ux'", { foo: 'bar,baz', baz: 'q,ux' }],
    ['foo="bar,baz",baz="q,ux"', { foo: 'bar,baz', baz: 'q,ux' }],
    ['foo="a\nb\nc"', { foo: 'a\nb\nc' }],
    ['foo=""', { foo: '' }],
    ['foo="",bar=a', { foo: '', bar: 'a' }],
    [
      'HOME=/home/auser,FOO=/.foo+(1.2)-_/,SUPERVISOR_SERVER_URL=http://127.0.0.1:9001',
      { HOME: '/home/auser', FOO: '/.foo+(1.2)-_/', SUPERVISOR_SERVER_URL: 'http://127.0.0.1:9001' },
    ],
    ['foo=bar,', { foo: 'bar' }],
  ])('%j', (input, expected) => {
    expect(dictOfKeyValuePairs(input)).toEqual(expected);
  });

  it.each(['foo', 'foo=', 'foo=bar,baz', 'foo=bar,baz=', 'KEY1=no-comma KEY2=ends-with-comma,'])(
    'rejects %j',
    (input) => {
      expect(() => dictOfKeyValuePairs(input)).toThrow(`Unexpected end of key/value pairs in value '${input}'`);
    },
  );
});

describe('dict_of_key_value_pairs quirks (spec §1.6.1)', () => {
  it.each([
    ['A=1,B=2', { A: '1', B: '2' }],
    ['A = 1 , B = 2', { A: '1', B: '2' }],
    ['A="1,2",B=\'c d\'', { A: '1,2', B: 'c d' }],
    ['A=/usr/bin:/bin', { A: '/usr/bin:/bin' }],
    ['A=a:b', { A: 'a:b' }],
    ['A=1;B=2', { A: '1', B: '2' }],
    ['A=1|B=2', { A: '1', B: '2' }],
    ['A=1 x B=2', { A: '1', B: '2' }],
    ['A=$HOME', { A: '$' }],
    ['A=a#b', { A: 'a' }],
    ['A=http://x/y?z=1', { A: 'http://x/y', z: '1' }],
    ['A=éé', { A: 'é' }],
    ['"A"=1', { '"A"': '1' }],
    ['A="1,2",B=x y', { A: '1,2', B: 'x' }],
  ])('%j', (input, expected) => {
    expect(dictOfKeyValuePairs(input)).toEqual(expected);
  });

  it.each(['A=', 'A=1 B=2', 'A=1,,B=2', 'A=a b c', 'A=x=y', 'A=${HOME}', 'A=a@b', 'A=1,B'])('rejects %j', (input) => {
    expect(() => dictOfKeyValuePairs(input)).toThrow('Unexpected end of key/value pairs');
  });

  it('unterminated quote', () => {
    expect(() => dictOfKeyValuePairs('A="abc')).toThrow('No closing quotation');
  });

  it('a comment inside a word continues the word on the next line (non-POSIX shlex)', () => {
    expect(shlexNonPosix('a#b\nc d')).toEqual(['ac', 'd']);
  });

  it('keys like __proto__ are plain keys', () => {
    const d = dictOfKeyValuePairs('__proto__=x');
    expect(Object.keys(d)).toEqual(['__proto__']);
    expect(d['__proto__']).toBe('x');
  });
});
