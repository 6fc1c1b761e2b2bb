// Soak: 1,000 programs started, stopped and restarted through the control plane while an event listener
// subscribed to PROCESS_STATE acknowledges every event. Every program ends in the requested state, and
// the listener receives every state change of every program, in order, none dropped.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { script, startTsinit, tempDir, waitFor, type ProcessInfo, type Tsinit } from '../helpers.js';

const N = 1000;
let t: Tsinit;
let dir: string;

beforeAll(async () => {
  dir = tempDir('thousand');
  // A listener in the supervisor protocol: READY, read one header line + payload, record, RESULT 2 OK.
  const listener = script(
    dir,
    'listener.js',
    `#!${process.execPath}
const fs = require('node:fs');
const out = fs.openSync(${JSON.stringify(path.join(dir, 'events.log'))}, 'a');
let buf = Buffer.alloc(0);
process.stdout.write('READY\\n');
process.stdin.on('data', (d) => {
  buf = Buffer.concat([buf, d]);
  for (;;) {
    const nl = buf.indexOf(10);
    if (nl < 0) return;
    const header = Object.fromEntries(buf.subarray(0, nl).toString().split(' ').map((kv) => kv.split(':')));
    const len = Number(header.len);
    if (buf.length < nl + 1 + len) return;
    const payload = Object.fromEntries(buf.subarray(nl + 1, nl + 1 + len).toString().split(' ').map((kv) => kv.split(':')));
    buf = buf.subarray(nl + 1 + len);
    fs.writeSync(out, header.eventname + ' ' + payload.processname + '\\n');
    process.stdout.write('RESULT 2\\nOKREADY\\n');
  }
});
`,
  );
  const programs = Array.from(
    { length: N },
    (_, i) => `[program:p${i}]\ncommand=/bin/sleep 1000000\nautostart=false\nstartsecs=0\nstdout_logfile=NONE\nstderr_logfile=NONE\n`,
  ).join('');
  t = await startTsinit(
    'thousand',
    `[eventlistener:watch]\ncommand=${listener}\nevents=PROCESS_STATE\nbuffer_size=20000\nstdout_logfile=NONE\nstderr_logfile=$DIR/listener.err\n` + programs,
    { dir },
  );
  await waitFor(async () => (await t.value('supervisor.getProcessInfo', ['watch'])) && ((await t.value('supervisor.getProcessInfo', ['watch'])) as unknown as ProcessInfo).statename === 'RUNNING', 30_000, 'listener RUNNING');
}, 120_000);

afterAll(async () => {
  await t?.dispose();
});

const states = async (): Promise<Map<string, string>> => {
  const all = (await t.value('supervisor.getAllProcessInfo')) as unknown as ProcessInfo[];
  return new Map(all.filter((p) => p.name.startsWith('p')).map((p) => [p.name, p.statename]));
};

describe('1,000 programs through the control plane, with an event listener', () => {
  it('start all, stop all, start all again, restart a group of them one by one', async () => {
    const started = (await t.value('supervisor.startAllProcesses', [true])) as unknown as { name: string; status: number }[];
    expect(started.filter((r) => r.name.startsWith('p'))).toHaveLength(N);
    expect([...(await states()).values()].every((s) => s === 'RUNNING')).toBe(true);

    const stopped = (await t.value('supervisor.stopAllProcesses', [true])) as unknown as { name: string }[];
    expect(stopped.filter((r) => r.name.startsWith('p'))).toHaveLength(N);
    expect([...(await states()).values()].every((s) => s === 'STOPPED')).toBe(true);

    await t.value('supervisor.startAllProcesses', [true]);
    // Restart 100 of them individually (stop + start), 10 clients at a time.
    for (let batch = 0; batch < 10; batch++) {
      await Promise.all(
        Array.from({ length: 10 }, async (_, k) => {
          const name = `p${batch * 10 + k}`;
          await t.value('supervisor.stopProcess', [name, true]);
          await t.value('supervisor.startProcess', [name, true]);
        }),
      );
    }
    const final = await states();
    expect(final.size).toBe(N);
    expect([...final.values()].every((s) => s === 'RUNNING')).toBe(true);

    // The listener saw every change of every program, in order (STARTING RUNNING STOPPING STOPPED ...).
    const once = ['STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'STARTING', 'RUNNING'].map((s) => `PROCESS_STATE_${s}`);
    const twice = [...once, ...['STOPPING', 'STOPPED', 'STARTING', 'RUNNING'].map((s) => `PROCESS_STATE_${s}`)];
    const expectedTotal = N * once.length + 100 * (twice.length - once.length);
    const recorded = (): string[] => readFileSync(path.join(dir, 'events.log'), 'utf8').split('\n').filter((l) => / p\d+$/.test(l));
    await waitFor(() => recorded().length >= expectedTotal, 120_000, 'the listener to receive every event', 200);
    const byProgram = new Map<string, string[]>();
    for (const line of recorded()) {
      const [event, name] = line.split(' ') as [string, string];
      byProgram.set(name, [...(byProgram.get(name) ?? []), event]);
    }
    // On a mismatch, say what the listener went through (a restart re-delivers the event it held).
    const listenerLines = (): string =>
      t
        .log()
        .split('\n')
        .filter((l) => /watch|rebuffering|listener/.test(l))
        .slice(-20)
        .join('\n');
    for (let i = 0; i < N; i++) {
      const got = byProgram.get(`p${i}`);
      const want = i < 100 ? twice : once;
      if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, `p${i}; listener log:\n${listenerLines()}`).toEqual(want);
    }
    expect(recorded()).toHaveLength(expectedTotal);
    expect(t.log()).not.toMatch(/buffer overflowed|discarding|uncaught|unhandled/i);
    expect(t.run.exited).toBeNull();
  }, 240_000);
});
