// State shared by the section readers while one config is loaded (mirrors supervisord's
// ServerOptions during read_config): the document, `here`, the host name, the mutable ENV_
// expansions and the parse messages.
import type { TypeContext } from './datatypes.js';
import type { IniDocument } from './ini-lexer.js';
import { SectionReader } from './section-reader.js';

export interface LoadContext {
  readonly doc: IniDocument;
  /** The config path as given (-c argument): supervisord names main-file sections with it. */
  readonly configfile: string;
  /** Absolute directory of the main config file. */
  readonly here: string;
  readonly hostname: string;
  /** ENV_<name> for the process environment, extended by [supervisord] environment=. */
  readonly environExpansions: Record<string, string>;
  readonly types: TypeContext;
  readonly messages: { level: 'warn' | 'info'; text: string }[];
}

const PROGRAM_LIKE = ['program:', 'eventlistener:', 'fcgi-program:'];

/** A reader for `section`; [DEFAULT] applies to program-like sections only (see ini-lexer.ts). */
export function readerFor(ctx: LoadContext, section: string): SectionReader {
  const useDefaults = PROGRAM_LIKE.some((p) => section.startsWith(p));
  return new SectionReader(ctx.doc, section, () => ctx.environExpansions, useDefaults);
}

/** The file a section was first defined in, as supervisord names it in messages. */
export function sectionFile(ctx: LoadContext, section: string): string {
  return ctx.doc.sections.get(section)?.file ?? ctx.configfile;
}
