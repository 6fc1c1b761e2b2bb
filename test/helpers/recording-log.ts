// A MainLog that records what is logged, for every layer's tests: `records` ({ level, msg }) and `lines`
// (`INFO msg`, with supervisord's 4-letter tags). Optionally drops records below a level.
import type { LogLevel } from '../../src/config/model.js';
import { LEVEL_TAGS, levelPasses } from '../../src/log/levels.js';
import type { MainLog } from '../../src/log/types.js';

export interface RecordingLogOptions {
  /** Records below this level are dropped (default: keep everything). */
  readonly level?: LogLevel;
  /** What enabled() answers (default: whether the level passes `level`). */
  readonly enabled?: boolean;
}

export class RecordingLog implements MainLog {
  readonly records: { level: LogLevel; msg: string }[] = [];
  readonly lines: string[] = [];
  path: string | null = null;
  reopens = 0;

  constructor(private readonly options: RecordingLogOptions = {}) {}

  private passes(level: LogLevel): boolean {
    return levelPasses(level, this.options.level ?? 'blather');
  }

  private add(level: LogLevel, msg: string): void {
    if (!this.passes(level)) return;
    this.records.push({ level, msg });
    this.lines.push(`${LEVEL_TAGS[level]} ${msg}`);
  }

  critical(msg: string): void {
    this.add('critical', msg);
  }
  error(msg: string): void {
    this.add('error', msg);
  }
  warn(msg: string): void {
    this.add('warn', msg);
  }
  info(msg: string): void {
    this.add('info', msg);
  }
  debug(msg: string): void {
    this.add('debug', msg);
  }
  trace(msg: string): void {
    this.add('trace', msg);
  }
  blather(msg: string): void {
    this.add('blather', msg);
  }
  enabled(level: 'debug' | 'trace' | 'blather'): boolean {
    return this.options.enabled ?? this.passes(level);
  }
  reopen(): void {
    this.reopens += 1;
  }
  flush(): void {}

  /** Messages at info and above (what a default loglevel shows). */
  messages(): string[] {
    return this.records.filter((r) => levelPasses(r.level, 'info')).map((r) => r.msg);
  }

  has(msg: string | RegExp): boolean {
    return this.records.some((r) => (typeof msg === 'string' ? r.msg === msg : msg.test(r.msg)));
  }
}
