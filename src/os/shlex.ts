// POSIX shlex splitting exactly as CPython's shlex.split(s) (posix=True, whitespace_split=True, no comments),
// which supervisord uses to split command=. Errors carry Python's ValueError texts.

/** Python's ValueError from shlex, with the same message text. */
export class ShlexError extends Error {
  override readonly name = 'ShlexError';
}

const WHITESPACE = ' \t\r\n';
const QUOTES = `'"`;
const ESCAPE = '\\';
/** Quotes inside which the escape character is still special. */
const ESCAPED_QUOTES = '"';

type State = ' ' | 'a' | "'" | '"' | '\\' | null;

/**
 * Splits like `shlex.split(s)`. Quoted empty strings yield '' tokens ("a ''" -> ['a', '']); an unclosed quote
 * throws `No closing quotation`, a trailing backslash throws `No escaped character`.
 */
export function shlexSplit(s: string): string[] {
  const out: string[] = [];
  let pos = 0;
  // One call of shlex.read_token() per loop iteration; the state carries over between tokens as in CPython.
  let state: State = ' ';
  for (;;) {
    let token = '';
    let quoted = false;
    let escapedState = ' ' as State;
    let eof = false;
    for (;;) {
      const ch = pos < s.length ? s[pos++]! : '';
      if (state === null) {
        token = '';
        eof = true;
        break;
      } else if (state === ' ') {
        if (ch === '') {
          state = null;
          break;
        } else if (WHITESPACE.includes(ch)) {
          if (token || quoted) break;
          continue;
        } else if (ch === ESCAPE) {
          escapedState = 'a';
          state = ESCAPE;
        } else if (QUOTES.includes(ch)) {
          state = ch as State;
        } else {
          token = ch;
          state = 'a';
        }
      } else if (state === "'" || state === '"') {
        quoted = true;
        if (ch === '') throw new ShlexError('No closing quotation');
        if (ch === state) {
          state = 'a';
        } else if (ch === ESCAPE && ESCAPED_QUOTES.includes(state)) {
          escapedState = state;
          state = ESCAPE;
        } else {
          token += ch;
        }
      } else if (state === ESCAPE) {
        if (ch === '') throw new ShlexError('No escaped character');
        // Inside double quotes a backslash only escapes the quote itself and the backslash.
        if ((escapedState === "'" || escapedState === '"') && ch !== state && ch !== escapedState) token += state;
        token += ch;
        state = escapedState;
      } else {
        // state 'a': inside a word
        if (ch === '') {
          state = null;
          break;
        } else if (WHITESPACE.includes(ch)) {
          state = ' ';
          if (token || quoted) break;
          continue;
        } else if (QUOTES.includes(ch)) {
          state = ch as State;
        } else if (ch === ESCAPE) {
          escapedState = 'a';
          state = ESCAPE;
        } else {
          token += ch;
        }
      }
    }
    // read_token returns None (end of input) for an empty, unquoted token.
    if (eof || (!quoted && token === '')) break;
    out.push(token);
  }
  return out;
}
