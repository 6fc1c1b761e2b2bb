// The line algorithm of CPython's configparser.RawConfigParser as supervisord configures it
// (inline_comment_prefixes=(';', '#'), strict=False, delimiters '=' and ':'), spec §1.1.1.
// The document is mutable while files are read into it (includes merge into the same document);
// everything after src/config/load.ts only sees the typed model.
//
// [DEFAULT]: supervisord makes its keys a fallback for every section (even [supervisord] and
// [rpcinterface:x], which then breaks startup). tsinit keeps [DEFAULT] keys in `defaults` and
// the section readers consult them for program-like sections only ([program:x], [eventlistener:x],
// [fcgi-program:x]); all other sections ignore [DEFAULT]. See README "Config reader".
import { ConfigError } from './model.js';
import { pyRepr } from '../common/python-repr.js';
import { isPySpace, pyRstrip, pyStrip } from './pyrepr.js';

export interface IniOption {
  /** Joined value (lines joined with \n, right-stripped). */
  value: string;
  /** 1-based line of the key line. */
  readonly line: number;
  /** File the key line was read from. */
  readonly file: string;
}

export interface IniSection {
  readonly name: string;
  /** File the section was first defined in (as passed to parseIniInto). */
  readonly file: string;
  readonly line: number;
  readonly options: Map<string, IniOption>;
}

export interface IniDocument {
  /** Sections in order of first appearance. */
  readonly sections: Map<string, IniSection>;
  /** The [DEFAULT] section's keys. */
  readonly defaults: Map<string, IniOption>;
}

export function emptyIniDocument(): IniDocument {
  return { sections: new Map(), defaults: new Map() };
}

interface PendingOption {
  lines: string[];
  opt: IniOption;
}

const INLINE_PREFIXES = [';', '#'] as const;

/** Where RawConfigParser cuts a line for an inline comment (its round-based search, quirks included). */
function inlineCommentStart(line: string): number | null {
  let commentStart = Infinity;
  let prefixes = new Map<string, number>(INLINE_PREFIXES.map((p) => [p, -1]));
  while (commentStart === Infinity && prefixes.size > 0) {
    const next = new Map<string, number>();
    for (const [prefix, from] of prefixes) {
      const index = line.indexOf(prefix, from + 1);
      if (index === -1) continue;
      next.set(prefix, index);
      if (index === 0 || (index > 0 && isPySpace(line[index - 1]!))) {
        commentStart = Math.min(commentStart, index);
      }
    }
    prefixes = next;
  }
  return commentStart === Infinity ? null : commentStart;
}

function firstNonSpace(line: string): number {
  // Python's re \S with str patterns: any char that is not Unicode whitespace.
  for (let i = 0; i < line.length; i++) if (!isPySpace(line[i]!)) return i;
  return -1;
}

/** Split text into lines like Python's text-mode file iteration (universal newlines, '\n' kept). */
export function pyLines(text: string): string[] {
  const normalized = text.replace(/\r\n?/g, '\n');
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = normalized.indexOf('\n', start);
    if (nl === -1) {
      if (start < normalized.length) lines.push(normalized.slice(start));
      break;
    }
    lines.push(normalized.slice(start, nl + 1));
    start = nl + 1;
  }
  return lines;
}

/**
 * Parse one file's text into `doc` (merging with sections already there). `fpname` is the name used
 * in error messages and recorded as the defining file of new sections.
 */
export function parseIniInto(doc: IniDocument, text: string, fpname: string): void {
  let cursect: Map<string, PendingOption> | null = null;
  let cursectOptions: Map<string, IniOption> | null = null;
  let optname: string | null = null;
  let indentLevel = 0;
  const errors: { lineno: number; line: string }[] = [];
  // Values read in this file, joined at the end of the file.
  const pending: PendingOption[] = [];
  const pendingBySection = new Map<Map<string, IniOption>, Map<string, PendingOption>>();

  const sectionPending = (options: Map<string, IniOption>): Map<string, PendingOption> => {
    let m = pendingBySection.get(options);
    if (!m) {
      m = new Map();
      pendingBySection.set(options, m);
    }
    return m;
  };

  const lines = pyLines(text);
  for (let i = 0; i < lines.length; i++) {
    const lineno = i + 1;
    const line = lines[i]!;
    let commentStart = inlineCommentStart(line);
    for (const prefix of ['#', ';']) {
      if (pyStrip(line).startsWith(prefix)) {
        commentStart = 0;
        break;
      }
    }
    const value = pyStrip(commentStart === null ? line : line.slice(0, commentStart));
    if (!value) {
      if (commentStart === null && cursect !== null && optname) {
        cursect.get(optname)?.lines.push('');
      }
      continue;
    }
    const fns = firstNonSpace(line);
    const curIndent = fns === -1 ? 0 : fns;
    if (cursect !== null && optname && curIndent > indentLevel) {
      cursect.get(optname)!.lines.push(value);
      continue;
    }
    indentLevel = curIndent;
    const header = value.startsWith('[') ? value.lastIndexOf(']') : -1;
    if (header > 1) {
      // SECTCRE is \[(?P<header>.+)\] matched at the start: greedy, so up to the last ']'.
      const sectname = value.slice(1, header);
      let options: Map<string, IniOption>;
      if (doc.sections.has(sectname)) {
        options = doc.sections.get(sectname)!.options;
      } else if (sectname === 'DEFAULT') {
        options = doc.defaults;
      } else {
        options = new Map();
        doc.sections.set(sectname, { name: sectname, file: fpname, line: lineno, options });
      }
      cursectOptions = options;
      cursect = sectionPending(options);
      optname = null;
      continue;
    }
    if (cursect === null || cursectOptions === null) {
      throw new ConfigError(
        `File contains no section headers.\nfile: ${pyRepr(fpname)}, line: ${lineno}\n${pyRepr(line)}`,
      );
    }
    const m = /^(.*?)\s*([=:])\s*(.*)$/su.exec(value);
    if (m) {
      const rawName = m[1]!;
      if (!rawName) errors.push({ lineno, line });
      optname = pyRstrip(rawName).toLowerCase();
      const opt: IniOption = { value: '', line: lineno, file: fpname };
      const p: PendingOption = { lines: [pyStrip(m[3]!)], opt };
      cursect.set(optname, p);
      cursectOptions.set(optname, opt);
      pending.push(p);
    } else {
      errors.push({ lineno, line });
    }
  }
  for (const p of pending) p.opt.value = pyRstrip(p.lines.join('\n'));
  if (errors.length > 0) {
    let msg = `Source contains parsing errors: ${pyRepr(fpname)}`;
    for (const e of errors) msg += `\n\t[line ${String(e.lineno).padStart(2, ' ')}]: ${pyRepr(e.line)}`;
    throw new ConfigError(msg);
  }
}
