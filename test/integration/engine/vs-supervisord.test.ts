// Side by side with the real supervisord 4.2 on the same programs: spawn counts, backoff spacing, start and
// stop order, stopsignal → SIGKILL escalation, final states and exit status (its 1-s tick aside).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Pid1Run } from '../../helpers/pid1.js';
import { messages, spawnedNames, startTsinit, stoppedNames, Workdir } from './harness.js';

let run: Pid1Run | null = null;
const dirs: Workdir[] = [];
afterEach(async () => {
  await run?.dispose();
  run = null;
  for (const d of dirs.splice(0)) d.cleanup();
});

// `fail` has startsecs=5: supervisord decides "too quickly" on its 1-s tick and may reap late under load;
// with startsecs=1 a busy machine makes it promote the dead child to RUNNING (spec §3.10) and restart forever.
function programs(wd: Workdir): string {
  const stubborn = wd.script('stubborn.sh', "trap '' TERM\nwhile :; do sleep 0.2; done");
  return (
    `[program:web]\ncommand=/bin/sleep 1000\npriority=100\n\n` +
    `[program:worker]\ncommand=/bin/sh -c "sleep 1001 & wait"\npriority=200\nstopasgroup=true\n\n` +
    `[program:stubborn]\ncommand=${stubborn}\npriority=300\nstopwaitsecs=2\n\n` +
    `[program:fail]\ncommand=/bin/sh -c "exit 1"\npriority=50\nstartretries=3\nstartsecs=5\n\n` +
    `[program:nf]\ncommand=no_such_command_anywhere\npriority=60\nstartretries=1\n\n` +
    `[program:manual]\ncommand=/bin/sleep 1000\nautostart=false\n`
  );
}

const LINE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) [A-Z]{4} (.*)$/;
function parse(text: string): { t: number; msg: string }[] {
  return text
    .split('\n')
    .map((l) => LINE.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ t: new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!).getTime(), msg: m[8]! }));
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ready = (lines: readonly string[]): boolean =>
  lines.includes('gave up: fail entered FATAL state, too many start retries too quickly') &&
  lines.includes('gave up: nf entered FATAL state, too many start retries too quickly') &&
  ['web', 'worker', 'stubborn'].every((n) => lines.some((l) => l.startsWith(`success: ${n} entered RUNNING`)));

async function runSupervisord(): Promise<{ code: number | null; log: { t: number; msg: string }[] }> {
  const wd = new Workdir();
  dirs.push(wd);
  const logfile = `${wd.dir}/supervisord.log`;
  const conf = wd.file(
    'supervisord.conf',
    `[supervisord]\nnodaemon=true\nsilent=true\nlogfile=${logfile}\nlogfile_maxbytes=0\npidfile=${wd.dir}/sd.pid\nchildlogdir=${wd.dir}\n\n${programs(wd)}`,
  );
  const child = spawn('/usr/bin/supervisord', ['-n', '-c', conf], { stdio: 'ignore' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const read = (): string => {
    try {
      return readFileSync(logfile, 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await waitFor(() => ready(parse(read()).map((l) => l.msg)), 'supervisord to settle');
    child.kill('SIGTERM');
    const code = await exited;
    return { code, log: parse(read()) };
  } finally {
    child.kill('SIGKILL');
  }
}

async function runTsinit(): Promise<{ code: number | null; log: { t: number; msg: string }[] }> {
  const wd = new Workdir();
  dirs.push(wd);
  run = await startTsinit(wd.config(programs(wd)));
  await waitFor(() => ready(messages(run!)), 'tsinit to settle');
  run.signal('SIGTERM');
  const { code } = await run.waitForExit();
  return { code, log: parse(run.stdout) };
}

const firstSpawns = (msgs: readonly string[]): string[] => [...new Set(spawnedNames(msgs))];
const count = (msgs: readonly string[], text: string): number => msgs.filter((m) => m === text).length;
const spawnGaps = (log: readonly { t: number; msg: string }[], name: string): number[] => {
  const t = log.filter((l) => l.msg.startsWith(`spawned: '${name}'`)).map((l) => l.t);
  return t.slice(1).map((v, i) => v - t[i]!);
};

describe('tsinit vs supervisord on the same programs', () => {
  it('agree on spawn counts, backoff spacing, start/stop order, escalation and final states', async () => {
    const [sd, ts] = [await runSupervisord(), await runTsinit()];
    const sdm = sd.log.map((l) => l.msg);
    const tsm = ts.log.map((l) => l.msg);

    expect(ts.code).toBe(sd.code);
    expect(ts.code).toBe(0);

    // start order (first spawn of each program) and spawn counts
    expect(firstSpawns(tsm)).toEqual(firstSpawns(sdm));
    expect(firstSpawns(tsm)).toEqual(['fail', 'web', 'worker', 'stubborn']);
    // On a heavily loaded machine supervisord itself can promote the dead `fail` child to RUNNING before
    // reaping it (spec §3.10) and then restart it more often. That is the reference misbehaving, not a
    // difference to copy: compare `fail` with supervisord only when its log shows no such promotion.
    const sdRaced = sdm.includes('success: fail entered RUNNING state, process has stayed up for > than 5 seconds (startsecs)');
    const compared = sdRaced ? ['web', 'worker', 'stubborn', 'manual'] : ['fail', 'web', 'worker', 'stubborn', 'manual'];
    for (const name of compared) {
      expect(spawnedNames(tsm).filter((n) => n === name).length, name).toBe(spawnedNames(sdm).filter((n) => n === name).length);
    }
    expect(spawnedNames(tsm).filter((n) => n === 'fail')).toHaveLength(4);
    const nfErr = "spawnerr: can't find command 'no_such_command_anywhere'";
    expect(count(tsm, nfErr)).toBe(count(sdm, nfErr));

    // backoff spacing: same growth, within supervisord's 1-s tick
    const [gs, gt] = [spawnGaps(sd.log, 'fail'), spawnGaps(ts.log, 'fail')];
    if (!sdRaced) expect(gt).toHaveLength(gs.length);
    if (!sdRaced) gt.forEach((g, i) => expect(Math.abs(g - gs[i]!), `gap ${i + 1}: tsinit ${g} ms, supervisord ${gs[i]} ms`).toBeLessThan(2000));

    // stop order and escalation
    expect(stoppedNames(tsm)).toEqual(stoppedNames(sdm));
    expect(stoppedNames(tsm)).toEqual(['stubborn', 'worker', 'web']);
    for (const m of ['stopped: stubborn (terminated by SIGKILL)', 'stopped: worker (terminated by SIGTERM)', 'stopped: web (terminated by SIGTERM)']) {
      expect(tsm, m).toContain(m);
      expect(sdm, m).toContain(m);
    }
    expect(tsm.some((m) => /^killing 'stubborn' \(\d+\) with SIGKILL$/.test(m))).toBe(true);
    expect(sdm.some((m) => /^killing 'stubborn' \(\d+\) with SIGKILL$/.test(m))).toBe(true);

    // final states: the lifecycle lines that decide them are the same
    for (const m of [
      'gave up: fail entered FATAL state, too many start retries too quickly',
      'gave up: nf entered FATAL state, too many start retries too quickly',
      'exited: fail (exit status 1; not expected)',
    ]) {
      if (!sdRaced) expect(count(tsm, m), m).toBe(count(sdm, m));
      expect(count(tsm, m), m).toBeGreaterThan(0);
    }
    expect(count(tsm, 'exited: fail (exit status 1; not expected)')).toBe(4);
    expect(tsm.some((m) => m.startsWith('spawned: \'manual\''))).toBe(false);
  });
});
