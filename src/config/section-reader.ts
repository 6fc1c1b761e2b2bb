// Option access for one section, like supervisord's UnhosedConfigParser.saneget: look the option up
// (falling back to [DEFAULT] for program-like sections only, see ini-lexer.ts), %-expand string
// values against the parser-wide ENV_ expansions plus per-call ones, and convert. Errors carry the
// option's file and line.
import type { ErrorLocation } from './errors.js';
import { at } from './errors.js';
import type { Expansions } from './expand.js';
import { expand } from './expand.js';
import type { IniDocument, IniOption } from './ini-lexer.js';

export class SectionReader {
  constructor(
    private readonly doc: IniDocument,
    readonly section: string,
    /** The parser-wide expansions (ENV_*), read at each call: [supervisord] environment extends it. */
    private readonly parserExpansions: () => Expansions,
    private readonly useDefaults: boolean,
  ) {}

  raw(option: string): IniOption | undefined {
    const own = this.doc.sections.get(this.section)?.options.get(option);
    if (own) return own;
    return this.useDefaults ? this.doc.defaults.get(option) : undefined;
  }

  has(option: string): boolean {
    return this.raw(option) !== undefined;
  }

  /** Option names of the section (defaults included when they apply), in file order. */
  options(): string[] {
    const names = [...(this.doc.sections.get(this.section)?.options.keys() ?? [])];
    if (this.useDefaults) for (const k of this.doc.defaults.keys()) if (!names.includes(k)) names.push(k);
    return names;
  }

  location(option: string): ErrorLocation | null {
    const o = this.raw(option);
    return o ? { file: o.file, line: o.line, option } : null;
  }

  /**
   * saneget: the option's value (or `dflt` when absent), %-expanded when it is a string and
   * `expand` is not false. Non-string defaults are returned as they are.
   */
  get<D extends string | number | boolean | null>(
    option: string,
    dflt: D,
    opts: { expansions?: Expansions; expand?: boolean } = {},
  ): string | D {
    const o = this.raw(option);
    const value: string | D = o ? o.value : dflt;
    if (opts.expand === false || typeof value !== 'string') return value;
    // `value % mapping` without a `%` in value is value itself (Python ignores unused mapping keys).
    if (!value.includes('%')) return value;
    const combined = { ...this.parserExpansions(), ...(opts.expansions ?? {}) };
    return at(this.location(option), () => expand(value, combined, `${this.section}.${option}`));
  }

  /** get() then convert, with errors of either step located at the option. */
  conv<T, D extends string | number | boolean | null>(
    option: string,
    dflt: D,
    convert: (v: string | D) => T,
    opts: { expansions?: Expansions; expand?: boolean } = {},
  ): T {
    const v = this.get(option, dflt, opts);
    return at(this.location(option), () => convert(v));
  }
}
