// Real listener programs (supervisor.childutils from Debian's package, and a hand-written shell one)
// against tsinit's listener pools, compared with what the same programs receive from real supervisord.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessState } from '../../../src/supervision/states.js';
import { Harness } from './harness.js';
import { readIfExists, runSupervisord } from './reference.js';
import { toEngineEvent } from './replay.js';
import {
  CHILDUTILS_LISTENER,
  GATED_LISTENER,
  PICKY_LISTENER,
  SHELL_LISTENER,
  parseRecords,
  writeScript,
  type ListenerRecord,
} from './scripts.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-events-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function harness(): Harness {
  const h = new Harness();
  cleanups.push(() => h.close());
  return h;
}

const LISTENERS = new Set(['pylis', 'shlis']);

/** The part of a listener's record that does not depend on timing of the listeners themselves. */
function project(records: readonly ListenerRecord[]): string[] {
  const out: string[] = [];
  for (const r of records) {
    const name = r.headers['eventname']!;
    if (name === 'SUPERVISOR_STATE_CHANGE_STOPPING') break; // after this, listener shutdown races
    const group = /groupname:(\S+)/.exec(r.payload)?.[1];
    if (group && LISTENERS.has(group)) continue;
    out.push(`${name} len:${r.headers['len']} ${r.payload}`);
  }
  return out;
}

describe('listeners compared with supervisord', () => {
  it('childutils and shell listeners receive the same events, byte for byte', async () => {
    const dir = tempDir();
    const py = writeScript(dir, 'pylis.py', CHILDUTILS_LISTENER);
    const sh = writeScript(dir, 'shlis.sh', SHELL_LISTENER);
    const talker = writeScript(
      dir,
      'talker.sh',
      "#!/bin/sh\nprintf 'h\\303\\251llo w\\303\\266rld\\n'\nsleep 0.5\nprintf 'bad \\210\\n'\nsleep 1.5\nexit 0\n",
    );
    const conf = path.join(dir, 'supervisord.conf');
    writeFileSync(
      conf,
      `[supervisord]
nodaemon=true
logfile=${dir}/supervisord.log
pidfile=${dir}/supervisord.pid
childlogdir=${dir}

[eventlistener:pylis]
command=python3 ${py} ${dir}/ref-py.rec
events=PROCESS_STATE,SUPERVISOR_STATE_CHANGE,PROCESS_GROUP,PROCESS_LOG
buffer_size=100
stdout_logfile=NONE

[eventlistener:shlis]
command=${sh} ${dir}/ref-sh.rec
events=PROCESS_STATE,SUPERVISOR_STATE_CHANGE,PROCESS_GROUP
buffer_size=100
stdout_logfile=NONE

[program:crasher]
command=/bin/sh -c "sleep 0.2; exit 3"
startsecs=1
startretries=1
stdout_logfile=NONE
stderr_logfile=NONE

[program:talker]
command=${talker}
stdout_logfile=NONE
stdout_events_enabled=true

[program:sleeper]
command=/bin/sleep 1000
stdout_logfile=NONE
`,
    );
    const ready = (file: string) => {
      const names = parseRecords(readIfExists(file)).map((r) => r.headers['eventname'] + ' ' + r.payload);
      return names.some((n) => n.includes('PROCESS_STATE_FATAL processname:crasher')) && names.some((n) => n.includes('PROCESS_STATE_EXITED processname:talker'));
    };
    await runSupervisord(conf, () => ready(`${dir}/ref-py.rec`) && ready(`${dir}/ref-sh.rec`));
    const refPy = parseRecords(readIfExists(`${dir}/ref-py.rec`));
    const refSh = parseRecords(readIfExists(`${dir}/ref-sh.rec`));
    expect(project(refPy).some((l) => l.startsWith('PROCESS_LOG_STDOUT') && l.includes('héllo wörld'))).toBe(true);
    expect(project(refPy).some((l) => l.includes("Undecodable: b'bad \\x88\\n'"))).toBe(true);

    // Replay the same engine events through tsinit's pools to the same two programs.
    const h = harness();
    h.addListener({ group: 'pylis', argv: ['python3', py, `${dir}/ts-py.rec`], events: ['PROCESS_STATE', 'SUPERVISOR_STATE_CHANGE', 'PROCESS_GROUP', 'PROCESS_LOG'], bufferSize: 100 });
    h.addListener({ group: 'shlis', argv: [sh, `${dir}/ts-sh.rec`], events: ['PROCESS_STATE', 'SUPERVISOR_STATE_CHANGE', 'PROCESS_GROUP'], bufferSize: 100 });
    const stopAt = refPy.findIndex((r) => r.headers['eventname'] === 'SUPERVISOR_STATE_CHANGE_STOPPING');
    const replay = refPy
      .slice(0, stopAt === -1 ? refPy.length : stopAt)
      .filter((r) => !LISTENERS.has(/groupname:(\S+)/.exec(r.payload)?.[1] ?? ''))
      .map(toEngineEvent);
    for (const e of replay) h.publish(e);
    const want = (rec: ListenerRecord[]) => project(rec).length;
    await h.until(
      () =>
        project(parseRecords(readIfExists(`${dir}/ts-py.rec`))).length >= want(refPy) &&
        project(parseRecords(readIfExists(`${dir}/ts-sh.rec`))).length >= want(refSh),
      'replayed events at both listeners',
    );
    expect(project(parseRecords(readIfExists(`${dir}/ts-py.rec`)))).toEqual(project(refPy));
    expect(project(parseRecords(readIfExists(`${dir}/ts-sh.rec`)))).toEqual(project(refSh));
    // envelope headers have supervisord's shape
    const first = parseRecords(readIfExists(`${dir}/ts-py.rec`))[0]!;
    expect(Object.keys(first.headers)).toEqual(['ver', 'server', 'serial', 'pool', 'poolserial', 'eventname', 'len']);
    expect(first.headers['ver']).toBe('3.0');
    expect(h.logLines.filter((l) => l.startsWith('WARN'))).toEqual([]);
  });
});

describe('failure handling with real listeners', () => {
  it('a listener that answers FAIL gets the same event (same serials) again', async () => {
    const dir = tempDir();
    const picky = writeScript(dir, 'picky.py', PICKY_LISTENER);
    const h = harness();
    h.addListener({ group: 'picky', argv: ['python3', picky, `${dir}/rec`, 'fail'], events: ['REMOTE_COMMUNICATION'] });
    h.publish({ kind: 'remote-communication', type: 'a', data: 'one' });
    h.publish({ kind: 'remote-communication', type: 'b', data: 'two' });
    const lines = () => readIfExists(`${dir}/rec`).split('\n').filter(Boolean);
    await h.until(() => lines().length >= 4, 'four deliveries');
    expect(lines()).toEqual(['0 0 type:a|one', '0 0 type:a|one', '1 1 type:b|two', '1 1 type:b|two']);
    expect(h.logLines.filter((l) => l === 'WARN picky: event was rejected')).toHaveLength(2);
  });

  it('a listener that dies mid-event gets the event again after its restart', async () => {
    const dir = tempDir();
    const picky = writeScript(dir, 'picky.py', PICKY_LISTENER);
    const h = harness();
    h.addListener({ group: 'picky', argv: ['python3', picky, `${dir}/rec`, 'die'], events: ['REMOTE_COMMUNICATION'] });
    h.publish({ kind: 'remote-communication', type: 'a', data: 'one' });
    h.publish({ kind: 'remote-communication', type: 'b', data: 'two' });
    const lines = () => readIfExists(`${dir}/rec`).split('\n').filter(Boolean);
    await h.until(() => lines().length >= 4, 'four deliveries');
    expect(lines()).toEqual(['0 0 type:a|one', '0 0 type:a|one', '1 1 type:b|two', '1 1 type:b|two']);
    expect(h.proc('picky').spawns).toBe(3);
    expect(h.proc('picky').state).toBe(ProcessState.RUNNING);
  });

  it('a slow listener with buffer_size=2 loses the oldest events, logged and counted', async () => {
    const dir = tempDir();
    const gated = writeScript(dir, 'gated.py', GATED_LISTENER);
    const gate = path.join(dir, 'gate');
    execFileSync('mkfifo', [gate]);
    const h = harness();
    h.addListener({ group: 'slow', argv: ['python3', gated, `${dir}/rec`, gate], events: ['REMOTE_COMMUNICATION'], bufferSize: 2 });
    const lines = () => readIfExists(`${dir}/rec`).split('\n').filter(Boolean);
    h.publish({ kind: 'remote-communication', type: 't', data: '0' });
    await h.until(() => lines().length === 1, 'the first event to be in flight');
    for (let i = 1; i <= 4; i++) h.publish({ kind: 'remote-communication', type: 't', data: String(i) });
    expect(h.logLines.filter((l) => l.startsWith('ERRO'))).toEqual([
      'ERRO pool slow event buffer overflowed, discarding event 1',
      'ERRO pool slow event buffer overflowed, discarding event 2',
    ]);
    expect(h.pools.droppedEvents()).toBe(2);
    writeFileSync(gate, 'go\n');
    await h.until(() => lines().length >= 3, 'the buffered events');
    expect(lines()).toEqual(['0 type:t|0', '3 type:t|3', '4 type:t|4']);
  });
});
