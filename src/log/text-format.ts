// supervisord's main-log line: `YYYY-MM-DD HH:MM:SS,mmm LEVL message` in local time.
import type { LogLevel } from '../config/model.js';
import { LEVEL_TAGS } from './levels.js';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1, 2)}-${pad(d.getDate(), 2)} ` +
    `${pad(d.getHours(), 2)}:${pad(d.getMinutes(), 2)}:${pad(d.getSeconds(), 2)},${pad(d.getMilliseconds(), 3)}`
  );
}

/** One complete text line, newline included. */
export function formatTextLine(ms: number, level: LogLevel, msg: string): string {
  return `${formatTimestamp(ms)} ${LEVEL_TAGS[level]} ${msg}\n`;
}
