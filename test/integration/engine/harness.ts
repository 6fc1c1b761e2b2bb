// Runs dist/tsinit.js as PID 1 of a fresh PID namespace on a config written into a temp dir, plus small
// helpers to read its main-log lines (supervisord's text format on stdout).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pid1Run } from '../../helpers/pid1.js';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
export const TSINIT = path.join(ROOT, 'dist', 'tsinit.js');

export class Workdir {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'tsinit-engine-'));
  file(name: string, text: string, mode = 0o644): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, text);
    chmodSync(p, mode);
    return p;
  }
  script(name: string, body: string): string {
    return this.file(name, `#!/bin/sh\n${body}\n`, 0o755);
  }
  /** A config with a [supervisord] section logging to stdout, followed by `body`. */
  config(body: string, extra = ''): string {
    return this.file(
      'supervisord.conf',
      `[supervisord]\nnodaemon=true\nlogfile=/dev/stdout\nlogfile_maxbytes=0\npidfile=${this.dir}/tsinit.pid\nchildlogdir=${this.dir}\nloglevel=debug\n${extra}\n${body}\n`,
    );
  }
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function startTsinit(conf: string, env: NodeJS.ProcessEnv = process.env): Promise<Pid1Run> {
  return Pid1Run.start([process.execPath, TSINIT, '-c', conf], { env });
}

/** Main-log messages (timestamp and level cut off), in order. */
export function messages(run: Pid1Run): string[] {
  return run.stdout
    .split('\n')
    .map((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]{4} (.*)$/.exec(l)?.[1])
    .filter((m): m is string => m !== undefined);
}

/** Epoch-ish milliseconds of each line matching `pattern` (from the log timestamps). */
export function timesOf(run: Pid1Run, pattern: RegExp): number[] {
  return run.stdout
    .split('\n')
    .filter((l) => pattern.test(l))
    .map((l) => {
      const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3})/.exec(l)!;
      return new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!).getTime();
    });
}

/** The names of `spawned: '<name>'` lines, in order. */
export function spawnedNames(lines: readonly string[]): string[] {
  return lines.map((l) => /^spawned: '([^']+)' with pid \d+$/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
}

/** The names of processes stopped (`stopped: <name> (...)`), in order. */
export function stoppedNames(lines: readonly string[]): string[] {
  return lines.map((l) => /^stopped: (\S+) \(/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
}
