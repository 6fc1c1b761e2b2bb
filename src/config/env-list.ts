// environment= values: supervisord's dict_of_key_value_pairs (spec §1.6.1), i.e. Python's shlex in
// non-POSIX mode with '/.+-():' added to the word characters, tokens taken 4 at a time
// (KEY '=' VALUE <any separator token>). Quirks (silent truncation at `$`, any token separating
// pairs, comments inside words continuing on the next line) are reproduced on purpose.
import { ConfigError } from './model.js';
import { pyStripChars } from './pyrepr.js';

const WORDCHARS = new Set(
  'abcdfeghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.+-():'.split(''),
);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const QUOTES = new Set(["'", '"']);
const COMMENTERS = new Set(['#']);

/** Python shlex.shlex(text) (posix=False) with extra word chars, as a token list. */
export function shlexNonPosix(text: string): string[] {
  const chars = Array.from(text);
  let pos = 0;
  const read = (): string => (pos < chars.length ? chars[pos++]! : '');
  const readline = (): void => {
    while (pos < chars.length) {
      if (chars[pos++] === '\n') return;
    }
  };
  const pushback: string[] = [];
  let state: string | null = ' ';
  let token = '';

  const readToken = (): string => {
    for (;;) {
      const c = read();
      if (state === null) {
        token = '';
        break;
      } else if (state === ' ') {
        if (!c) {
          state = null;
          break;
        } else if (WHITESPACE.has(c)) {
          if (token) break;
          continue;
        } else if (COMMENTERS.has(c)) {
          readline();
        } else if (WORDCHARS.has(c)) {
          token = c;
          state = 'a';
        } else if (QUOTES.has(c)) {
          token = c;
          state = c;
        } else {
          token = c;
          break;
        }
      } else if (QUOTES.has(state)) {
        if (!c) throw new ConfigError('No closing quotation');
        token += c;
        if (c === state) {
          state = ' ';
          break;
        }
      } else {
        // state 'a': inside a word
        if (!c) {
          state = null;
          break;
        } else if (WHITESPACE.has(c)) {
          state = ' ';
          if (token) break;
          continue;
        } else if (COMMENTERS.has(c)) {
          readline();
        } else if (WORDCHARS.has(c) || QUOTES.has(c)) {
          token += c;
        } else {
          pushback.unshift(c);
          state = ' ';
          if (token) break;
          continue;
        }
      }
    }
    const result = token;
    token = '';
    return result;
  };

  const tokens: string[] = [];
  for (;;) {
    const tok = pushback.length > 0 ? pushback.shift()! : readToken();
    if (tok === '') break;
    tokens.push(tok);
  }
  return tokens;
}

/** Parse `KEY=VAL,KEY2="v 2"` exactly like supervisord. */
export function dictOfKeyValuePairs(arg: string): Record<string, string> {
  const tokens = shlexNonPosix(arg);
  const out = new Map<string, string>();
  for (let i = 0; i < tokens.length; i += 4) {
    const kv = tokens.slice(i, i + 3);
    if (kv.length !== 3 || kv[1] !== '=') {
      throw new ConfigError(`Unexpected end of key/value pairs in value '${arg}'`);
    }
    out.set(kv[0]!, pyStripChars(kv[2]!, `'"`));
  }
  return Object.fromEntries(out);
}
