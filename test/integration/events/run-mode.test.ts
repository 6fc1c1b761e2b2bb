// FAIL, death mid-event and buffer overflow with real listeners under tsinit's run mode, each compared
// with real supervisord running the same config (listeners.test.ts covers the same behaviour through a
// stand-in engine).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readIfExists, runSupervisord, runTsinit } from './reference.js';
import { CHILDUTILS_LISTENER, GATED_LISTENER, PICKY_LISTENER, parseRecords, writeScript } from './scripts.js';


const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-events-run-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}


const lines = (file: string) => readIfExists(file).split('\n').filter(Boolean);

/** A listener on `events` (default PROCESS_GROUP: four PROCESS_GROUP_ADDED events, serials 0..3) + 3 programs. */
function config(dir: string, tag: string, listener: string, extra = '', events = 'PROCESS_GROUP'): string {
  const conf = path.join(dir, `${tag}.conf`);
  writeFileSync(
    conf,
    `[supervisord]
nodaemon=true
loglevel=info
logfile=${dir}/${tag}.log
pidfile=${dir}/${tag}.pid
childlogdir=${dir}

[eventlistener:lis]
command=${listener}
events=${events}
startsecs=0
autorestart=true
stdout_logfile=NONE
${extra}
[program:a]
command=/bin/sleep 1000
[program:b]
command=/bin/sleep 1000
[program:c]
command=/bin/sleep 1000
`,
  );
  return conf;
}

describe('listener failure handling under tsinit (vs supervisord)', () => {
  for (const mode of ['fail', 'die'] as const) {
    it(`a listener that ${mode === 'fail' ? 'answers FAIL' : 'dies mid-event'} gets each event again`, async () => {
      const dir = tempDir();
      const picky = writeScript(dir, 'picky.py', PICKY_LISTENER);
      const expected = ['lis', 'a', 'b', 'c'].flatMap((g, i) => [`${i} ${i} groupname:${g}|`, `${i} ${i} groupname:${g}|`]);
      await runSupervisord(config(dir, 'ref', `python3 ${picky} ${dir}/ref.rec ${mode}`), () => lines(`${dir}/ref.rec`).length >= 8);
      const log = await runTsinit(config(dir, 'ts', `python3 ${picky} ${dir}/ts.rec ${mode}`), () => lines(`${dir}/ts.rec`).length >= 8);
      expect(lines(`${dir}/ref.rec`)).toEqual(expected);
      expect(lines(`${dir}/ts.rec`), log).toEqual(expected);
      if (mode === 'fail') expect(log.match(/WARN lis: event was rejected/g)?.length).toBe(4);
    });
  }

  it('a slow listener with buffer_size=2 loses the oldest events; the drop is logged', async () => {
    const dir = tempDir();
    const gated = writeScript(dir, 'gated.py', GATED_LISTENER);
    const results: Record<string, { rec: string[]; log: string }> = {};
    for (const tag of ['ref', 'ts']) {
      const gate = path.join(dir, `${tag}.gate`);
      execFileSync('mkfifo', [gate]);
      const conf = config(dir, tag, `python3 ${gated} ${dir}/${tag}.rec ${gate}`, 'buffer_size=2\n', 'PROCESS_STATE_RUNNING');
      // the listener holds its own RUNNING event (0); a, b, c reach RUNNING a second later: 1 is discarded
      const opened = { done: false };
      const done = () => {
        if (!opened.done && lines(`${dir}/${tag}.rec`).length === 1 && readIfExists(`${dir}/${tag}.log`).includes('discarding event 1')) {
          opened.done = true;
          writeFileSync(gate, 'go\n');
        }
        return lines(`${dir}/${tag}.rec`).length >= 3;
      };
      const log = tag === 'ref' ? (await runSupervisord(conf, done)).log : await runTsinit(conf, done);
      const rec = lines(`${dir}/${tag}.rec`).map((l) => `${l.split(' ')[0]} ${/processname:(\S+)/.exec(l)?.[1]}`);
      results[tag] = { rec, log: readIfExists(`${dir}/${tag}.log`) + log };
    }
    const expected = ['0 lis', '2 b', '3 c'];
    expect(results['ref']!.rec).toEqual(expected);
    expect(results['ts']!.rec, results['ts']!.log).toEqual(expected);
    expect(results['ts']!.log).toContain('ERRO pool lis event buffer overflowed, discarding event 1');
  });
});

// Events during shutdown go through the engine's ungated listener write (SupervisorControl.writeListenerStdin):
// writeStdin refuses with SHUTDOWN_STATE once shutdown began, as supervisord's RPC does.
describe('events during shutdown (tsinit vs supervisord)', () => {
  it('listeners still get SUPERVISOR_STATE_CHANGE_STOPPING and the STOPPING of programs', async () => {
    const dir = tempDir();
    const py = writeScript(dir, 'pylis.py', CHILDUTILS_LISTENER);
    // takes a second to stop, so the listener has time for the shutdown events (as under supervisord)
    const slowStop = writeScript(dir, 'slowstop.sh', '#!/bin/sh\ntrap "sleep 1; exit 0" TERM\nwhile :; do sleep 0.1; done\n');
    const names: Record<string, string[]> = {};
    for (const tag of ['ref', 'ts']) {
      const conf = path.join(dir, `${tag}.conf`);
      writeFileSync(
        conf,
        `[supervisord]\nnodaemon=true\nlogfile=${dir}/${tag}.log\npidfile=${dir}/${tag}.pid\nchildlogdir=${dir}\n\n` +
          `[eventlistener:lis]\ncommand=python3 ${py} ${dir}/${tag}.rec\nevents=SUPERVISOR_STATE_CHANGE,PROCESS_STATE\nstdout_logfile=NONE\n\n` +
          `[program:s]\ncommand=${slowStop}\nstdout_logfile=NONE\n`,
      );
      const running = () => readIfExists(`${dir}/${tag}.rec`).includes('processname:s groupname:s from_state:STARTING');
      if (tag === 'ref') await runSupervisord(conf, running);
      else await runTsinit(conf, running);
      const recs = parseRecords(readIfExists(`${dir}/${tag}.rec`)).map(
        (r) => `${r.headers['eventname']} ${/processname:(\S+)/.exec(r.payload)?.[1] ?? ''}`.trim(),
      );
      // what follows the program's STOPPING races with the listener's own stop
      names[tag] = recs.slice(0, recs.indexOf('PROCESS_STATE_STOPPING s') + 1).filter((n) => !n.endsWith(' lis'));
    }
    expect(names['ref']).toEqual([
      'SUPERVISOR_STATE_CHANGE_RUNNING',
      'PROCESS_STATE_STARTING s',
      'PROCESS_STATE_RUNNING s',
      'SUPERVISOR_STATE_CHANGE_STOPPING',
      'PROCESS_STATE_STOPPING s',
    ]);
    expect(names['ts']).toEqual(names['ref']);
  });
});
