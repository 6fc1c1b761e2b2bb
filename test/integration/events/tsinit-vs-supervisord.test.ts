// The same config (listeners + a program that crashes, backs off and goes FATAL + a talker + a sleeper)
// under real supervisord and under tsinit's run mode: the childutils and the shell listener must receive
// the same events. Compared per process (the interleaving of independent processes depends on timing:
// supervisord decides on 1-s ticks, tsinit on exact timers), plus the order of the global events.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readIfExists, runSupervisord, runTsinit } from './reference.js';
import { CHILDUTILS_LISTENER, SHELL_LISTENER, parseRecords, writeScript, type ListenerRecord } from './scripts.js';


const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const LISTENERS = new Set(['pylis', 'shlis']);

function writeConfig(dir: string, tag: string): string {
  const py = writeScript(dir, 'pylis.py', CHILDUTILS_LISTENER);
  const sh = writeScript(dir, 'shlis.sh', SHELL_LISTENER);
  const talker = writeScript(
    dir,
    'talker.sh',
    "#!/bin/sh\nprintf 'h\\303\\251llo w\\303\\266rld\\n'\nsleep 0.5\nprintf 'bad \\210\\n'\nsleep 1.5\nexit 0\n",
  );
  const conf = path.join(dir, `${tag}.conf`);
  writeFileSync(
    conf,
    `[supervisord]
nodaemon=true
logfile=${dir}/${tag}.log
pidfile=${dir}/${tag}.pid
childlogdir=${dir}

[eventlistener:pylis]
command=python3 ${py} ${dir}/${tag}-py.rec
events=PROCESS_STATE,SUPERVISOR_STATE_CHANGE,PROCESS_GROUP,PROCESS_LOG
buffer_size=100
stdout_logfile=NONE

[eventlistener:shlis]
command=${sh} ${dir}/${tag}-sh.rec
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
  return conf;
}

function complete(file: string): boolean {
  const texts = parseRecords(readIfExists(file)).map((r) => `${r.headers['eventname']} ${r.payload}`);
  return texts.some((t) => t.startsWith('PROCESS_STATE_FATAL processname:crasher')) && texts.some((t) => t.startsWith('PROCESS_STATE_EXITED processname:talker'));
}

/** Per process: its events without pids; plus the global (non-process) events in order. */
function projection(records: readonly ListenerRecord[]): Record<string, string[]> {
  const out: Record<string, string[]> = { global: [] };
  for (const r of records) {
    const name = r.headers['eventname']!;
    if (name === 'SUPERVISOR_STATE_CHANGE_STOPPING') break;
    const proc = /processname:(\S+)/.exec(r.payload)?.[1];
    const group = /groupname:(\S+)/.exec(r.payload)?.[1];
    if (proc && LISTENERS.has(proc)) continue;
    // pids differ between runs, and so does len by their digit count: compare len without the pid digits
    const pid = /pid:(\d+)/.exec(r.payload)?.[1] ?? '';
    const text = `${name} len:${Number(r.headers['len']) - pid.length}+pid ${r.payload.replace(/ pid:\d+/, ' pid:N')}`;
    if (proc) (out[proc] ??= []).push(text);
    else if (!(group && LISTENERS.has(group))) out['global']!.push(text);
  }
  return out;
}


describe('tsinit vs supervisord: same config, same events at real listeners', () => {
  it('start, crash, backoff, FATAL, output events, then shutdown', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-events-cmp-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const refConf = writeConfig(dir, 'ref');
    await runSupervisord(refConf, () => complete(`${dir}/ref-py.rec`) && complete(`${dir}/ref-sh.rec`));
    const tsConf = writeConfig(dir, 'ts');
    const log = await runTsinit(tsConf, () => complete(`${dir}/ts-py.rec`) && complete(`${dir}/ts-sh.rec`));
    for (const which of ['py', 'sh']) {
      const ref = projection(parseRecords(readIfExists(`${dir}/ref-${which}.rec`)));
      const ts = projection(parseRecords(readIfExists(`${dir}/ts-${which}.rec`)));
      expect(ts, `${which} listener\n${log}`).toEqual(ref);
    }
    const talker = projection(parseRecords(readIfExists(`${dir}/ts-py.rec`)))['talker'] ?? [];
    expect(talker).toContain("PROCESS_LOG_STDOUT len:82+pid processname:talker groupname:talker pid:N channel:stdout\nUndecodable: b'bad \\x88\\n'");
    expect(talker).toContain('PROCESS_LOG_STDOUT len:68+pid processname:talker groupname:talker pid:N channel:stdout\nhéllo wörld\n');
  });
});
