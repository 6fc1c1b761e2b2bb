import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHost, parseHealthArgs, runHealth } from '../../../src/health/cli.js';
import { createHealthServer, type HealthServer } from '../../../src/health/server.js';
import { ProcessState } from '../../../src/supervision/states.js';
import { FakeControl, proc, recordingLog } from './fake-control.js';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s) } };
}

const web = proc('web', 'web', ProcessState.RUNNING, { cfg: { critical: true } });
const worker = proc('worker', 'worker', ProcessState.STARTING);
const control = new FakeControl().add('web', [web]).add('worker', [worker]);
let server: HealthServer;
let port = 0;
let dir = '';

beforeAll(async () => {
  server = createHealthServer(control, { host: '0.0.0.0', port: 0 }, recordingLog());
  expect(await server.start()).toBe(true);
  port = server.address()!.port;
  dir = mkdtempSync(path.join(tmpdir(), 'tsinit-health-cli-'));
});
afterAll(async () => {
  await server.close();
});

describe('tsinit health', () => {
  it('exits 0 for liveness and 1 for readiness while a program is still starting', async () => {
    const a = io();
    expect(await runHealth(['--url', `http://127.0.0.1:${port}`], a.io)).toBe(0);
    expect(a.out.join('')).toBe('ok\n');
    const b = io();
    expect(await runHealth(['--ready', `--url=http://127.0.0.1:${port}/`], b.io)).toBe(1);
    expect(b.out.join('')).toBe('web:web RUNNING\nworker:worker STARTING (not ready)\n');
    expect(b.err.join('')).toBe(`tsinit health: http://127.0.0.1:${port}/readyz answered 503\n`);
  });

  it('exits 0 for readiness once everything runs, 1 for liveness when a critical program is FATAL', async () => {
    worker.state = ProcessState.RUNNING;
    expect(await runHealth(['--ready', '--url', `127.0.0.1:${port}`], io().io)).toBe(0);
    web.state = ProcessState.FATAL;
    try {
      const a = io();
      expect(await runHealth(['--url', `http://127.0.0.1:${port}`], a.io)).toBe(1);
      expect(a.out.join('')).toBe('critical web:web FATAL\n');
    } finally {
      web.state = ProcessState.RUNNING;
    }
  });

  it('reads the address from [tsinit] health in the config (wildcard host → loopback)', async () => {
    const conf = path.join(dir, 'supervisord.conf');
    writeFileSync(conf, `[supervisord]\nlogfile=${dir}/s.log\n[tsinit]\nhealth = ${port}\n[program:x]\ncommand=/bin/true\n`);
    expect(await runHealth(['-c', conf], io().io)).toBe(0);
    const m = io();
    expect(await runHealth([`-c${conf}`, '--metrics'], m.io)).toBe(0);
    expect(m.out.join('')).toContain('tsinit_processes 2\n');
  });

  it('exits 1 with a clear message when no health address is configured or the config is broken', async () => {
    const conf = path.join(dir, 'nohealth.conf');
    writeFileSync(conf, `[supervisord]\nlogfile=${dir}/s.log\n`);
    const a = io();
    expect(await runHealth(['-c', conf], a.io)).toBe(1);
    expect(a.err.join('')).toBe(`tsinit health: no health endpoint configured in ${conf} (set [tsinit] health = host:port)\n`);
    const b = io();
    expect(await runHealth(['-c', path.join(dir, 'missing.conf')], b.io)).toBe(1);
    expect(b.err.join('')).toMatch(/^tsinit health: .*missing\.conf/);
  });

  it('exits 1 when nothing listens', async () => {
    const probe = createHealthServer(control, { host: '127.0.0.1', port: 0 }, recordingLog());
    await probe.start();
    const freePort = probe.address()!.port;
    await probe.close();
    const a = io();
    expect(await runHealth(['--url', `http://127.0.0.1:${freePort}`], a.io)).toBe(1);
    expect(a.err.join('')).toBe(`tsinit health: cannot reach http://127.0.0.1:${freePort}/healthz: ECONNREFUSED\n`);
  });

  it('exits 1 on bad arguments and 0 on -h', async () => {
    const a = io();
    expect(await runHealth(['--bogus'], a.io)).toBe(1);
    expect(a.err.join('')).toContain('tsinit health: unknown argument "--bogus"\nUsage: tsinit health');
    expect(await runHealth(['--url', 'x', '-c', 'y'], io().io)).toBe(1);
    expect(await runHealth(['--timeout', '0'], io().io)).toBe(1);
    expect(await runHealth(['--url', 'https://127.0.0.1:1'], io().io)).toBe(1);
    expect(await runHealth(['-h'], io().io)).toBe(0);
  });

  it('parses defaults and maps wildcard hosts to loopback', () => {
    expect(parseHealthArgs([])).toEqual({ kind: 'probe', path: '/healthz', url: null, configFile: '/etc/supervisord.conf', timeoutMs: 5000 });
    expect(parseHealthArgs(['--ready', '--timeout', '1.5'])).toMatchObject({ path: '/readyz', timeoutMs: 1500 });
    expect(connectHost('0.0.0.0')).toBe('127.0.0.1');
    expect(connectHost('')).toBe('127.0.0.1');
    expect(connectHost('::')).toBe('::1');
    expect(connectHost('10.1.2.3')).toBe('10.1.2.3');
  });
});
