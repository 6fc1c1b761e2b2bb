// Reading the main file and its [include] files= (spec §1.3): only the main file's [include] is
// honoured; patterns are %-expanded with here/host_node_name/ENV_*, joined to the main file's
// directory, globbed, each pattern's matches read in sorted order. `%(here)s` is replaced per file
// (the literal text, like supervisord's expand_here) once an [include] section exists.
import { readFileSync, statSync } from 'node:fs';
import { at } from './errors.js';
import type { Expansions } from './expand.js';
import { expand, replaceHere } from './expand.js';
import { pyGlob } from './glob.js';
import type { IniDocument } from './ini-lexer.js';
import { emptyIniDocument, parseIniInto } from './ini-lexer.js';
import { ConfigError } from './model.js';
import { pyAbspath, pyDirname, pyJoin } from './pypath.js';

export interface ReadResult {
  readonly doc: IniDocument;
  /** Absolute paths of every file read, main first. */
  readonly files: string[];
  readonly messages: { level: 'warn' | 'info'; text: string }[];
}

function decode(buf: Buffer, name: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new ConfigError(`could not read config file ${name}: it is not valid UTF-8`);
  }
}

/** Read a file's text, or null when it cannot be opened (missing, directory, no permission). */
function tryRead(path: string): Buffer | null {
  try {
    if (statSync(path).isDirectory()) return null;
    return readFileSync(path);
  } catch {
    return null;
  }
}

function expandHereEverywhere(doc: IniDocument, here: string): void {
  const all = [doc.defaults, ...[...doc.sections.values()].map((s) => s.options)];
  for (const options of all) {
    for (const opt of options.values()) {
      if (opt.value.includes('%(here)s')) opt.value = replaceHere(opt.value, here);
    }
  }
}

/**
 * Read `configfile` (as given on the command line; relative to `cwd`) and its includes.
 * `expansions` are the names available to `[include] files=` besides `here`.
 */
export function readConfigFiles(
  configfile: string,
  cwd: string,
  includeExpansions: (here: string) => Expansions,
): ReadResult {
  const abs = pyAbspath(configfile, cwd);
  try {
    statSync(abs);
  } catch {
    throw new ConfigError(`could not find config file ${configfile}`);
  }
  const buf = tryRead(abs);
  if (buf === null) throw new ConfigError(`could not read config file ${configfile}`);
  const doc = emptyIniDocument();
  parseIniInto(doc, decode(buf, configfile), configfile);
  const files = [abs];
  const messages: ReadResult['messages'] = [];
  const here = pyDirname(abs);

  const include = doc.sections.get('include');
  if (include) {
    expandHereEverywhere(doc, here);
    const filesOpt = include.options.get('files');
    if (!filesOpt) throw new ConfigError('.ini file has [include] section, but no files setting');
    const expanded = at({ file: filesOpt.file, line: filesOpt.line, option: 'files' }, () =>
      expand(filesOpt.value, includeExpansions(here), 'include.files'),
    );
    const patterns = expanded.split(/[\s\x1c-\x1f\x85\xa0]+/u).filter((p) => p !== '');
    for (const p of patterns) {
      const pattern = pyJoin(here, p);
      const matches = pyGlob(pattern);
      if (matches.length === 0) {
        messages.push({ level: 'warn', text: `No file matches via include "${pattern}"` });
        continue;
      }
      for (const filename of [...matches].sort()) {
        messages.push({ level: 'info', text: `Included extra file "${filename}" during parsing` });
        const data = tryRead(filename);
        if (data === null) continue;
        parseIniInto(doc, decode(data, filename), filename);
        files.push(pyAbspath(filename, cwd));
        expandHereEverywhere(doc, pyAbspath(pyDirname(filename), cwd));
      }
    }
  }
  return { doc, files, messages };
}
