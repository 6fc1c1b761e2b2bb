// RawConfigParser line algorithm (spec §1.1) and parse-level errors (§1.2).
import { describe, expect, it } from 'vitest';
import type { IniDocument } from '../../../src/config/ini-lexer.js';
import { emptyIniDocument, parseIniInto } from '../../../src/config/ini-lexer.js';

function parse(text: string, name = '/etc/t.conf'): IniDocument {
  const doc = emptyIniDocument();
  parseIniInto(doc, text, name);
  return doc;
}
const val = (doc: IniDocument, section: string, key: string): string | undefined =>
  doc.sections.get(section)?.options.get(key)?.value;

describe('ini lexer', () => {
  it('= and : delimiters, first one wins; keys lower-cased, values trimmed', () => {
    const d = parse('[s]\nserverurl: unix:///tmp/s.sock\na:b=c\nCOMMAND = /bin/x  \nsupervisor.rpcinterface_factory = x.y:z\n');
    expect(val(d, 's', 'serverurl')).toBe('unix:///tmp/s.sock');
    expect(val(d, 's', 'a')).toBe('b=c');
    expect(val(d, 's', 'command')).toBe('/bin/x');
    expect(val(d, 's', 'supervisor.rpcinterface_factory')).toBe('x.y:z');
  });

  it('inline comments only after whitespace (space or tab)', () => {
    const d = parse('[s]\na=/bin/echo a;b c#d ; real comment\nb=x\t# tab comment\nc=100;200\nd=x#y\n');
    expect(val(d, 's', 'a')).toBe('/bin/echo a;b c#d');
    expect(val(d, 's', 'b')).toBe('x');
    expect(val(d, 's', 'c')).toBe('100;200');
    expect(val(d, 's', 'd')).toBe('x#y');
  });

  it('a quoted " ;" still cuts the value (the comment trap)', () => {
    const d = parse('[s]\ncommand=/bin/sh -c "(sleep 1; exit 7) & (sleep 2 & ) ; sleep 1000"\n');
    expect(val(d, 's', 'command')).toBe('/bin/sh -c "(sleep 1; exit 7) & (sleep 2 & )');
  });

  it("reproduces RawConfigParser's round-based inline comment search", () => {
    // Round 1 finds ';' at 12 (no space before) and '#' at 18 (space before): cut at '#', not at ' ;'.
    const d = parse('[s]\ncommand=/bin/echo a;b ;c #d\n');
    expect(val(d, 's', 'command')).toBe('/bin/echo a;b ;c');
  });

  it('full-line and indented comments, blank lines', () => {
    const d = parse('# c1\n  ; c2\n[s]\n\n   # c3\na=1\n');
    expect(val(d, 's', 'a')).toBe('1');
  });

  it('continuation lines by indentation; comments dropped; inner blank lines kept; trailing removed', () => {
    const d = parse('[s]\ncommand=/usr/bin/python3\n    -u\n    ; comment\n\n    8080\n\n\nnext=1\n');
    expect(val(d, 's', 'command')).toBe('/usr/bin/python3\n-u\n\n8080');
    expect(val(d, 's', 'next')).toBe('1');
  });

  it('an indented option line after an option is a continuation', () => {
    const d = parse('[s]\ncommand=/bin/echo x\n  autostart=false\n');
    expect(val(d, 's', 'command')).toBe('/bin/echo x\nautostart=false');
    expect(val(d, 's', 'autostart')).toBeUndefined();
  });

  it('section names keep case, run to the last ], trailing junk ignored', () => {
    const d = parse('[Program:x]\na=1\n[program:foo] trailing junk\nb=2\n[a]b]\nc=3\n');
    expect([...d.sections.keys()]).toEqual(['Program:x', 'program:foo', 'a]b']);
    expect(val(d, 'program:foo', 'b')).toBe('2');
  });

  it('duplicate sections merge and duplicate keys: last wins (also across files)', () => {
    const d = parse('[s]\na=1\nb=1\n[t]\n[s]\na=2\na=3\n', 'main.conf');
    parseIniInto(d, '[s]\nb=9\n[u]\nx=1\n', 'inc.conf');
    expect(val(d, 's', 'a')).toBe('3');
    expect(val(d, 's', 'b')).toBe('9');
    expect(d.sections.get('s')!.file).toBe('main.conf');
    expect(d.sections.get('u')!.file).toBe('inc.conf');
    expect(d.sections.get('s')!.options.get('b')!.file).toBe('inc.conf');
  });

  it('records line numbers per option', () => {
    const d = parse('[s]\n\na=1\n  more\nb=2\n');
    expect(d.sections.get('s')!.options.get('a')!.line).toBe(3);
    expect(d.sections.get('s')!.options.get('b')!.line).toBe(5);
  });

  it('[DEFAULT] goes to defaults', () => {
    const d = parse('[DEFAULT]\nstartsecs=7\n[s]\n');
    expect(d.defaults.get('startsecs')!.value).toBe('7');
    expect(d.sections.has('DEFAULT')).toBe(false);
  });

  it('CRLF line endings', () => {
    const d = parse('[s]\r\na=1 ; c\r\nb=2\r\n');
    expect(val(d, 's', 'a')).toBe('1');
    expect(val(d, 's', 'b')).toBe('2');
  });

  it('parse errors: every bad line, repr with \\n, 2-column line numbers', () => {
    expect(() => parse('[s]\na=1\n\n\n\n\n\nthis line has no delimiter\nalso bad', '/etc/t.conf')).toThrow(
      "Source contains parsing errors: '/etc/t.conf'\n\t[line  8]: 'this line has no delimiter\\n'\n\t[line  9]: 'also bad'",
    );
    expect(() => parse('[s]\n=value\n')).toThrow("[line  2]: '=value\\n'");
    expect(() => parse("[s]\nit's bad\n")).toThrow(`[line  2]: "it's bad\\n"`);
  });

  it('missing section header', () => {
    expect(() => parse('foo=bar\n[s]\n', '/etc/t.conf')).toThrow(
      "File contains no section headers.\nfile: '/etc/t.conf', line: 1\n'foo=bar\\n'",
    );
  });
});
