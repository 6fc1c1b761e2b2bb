// Client modes (ctl, health, --print-config) must deliver all their output before exiting, also when
// stdout is a socket (child_process pipes are socketpairs, where Node writes asynchronously).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const bundle = path.resolve(import.meta.dirname, '../../../dist/tsinit.js');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('client output on a socket stdout', () => {
  it('--print-config of a large config arrives whole', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-client-out-'));
    dirs.push(dir);
    const conf = path.join(dir, 'supervisord.conf');
    writeFileSync(
      conf,
      `[supervisord]\nlogfile=${dir}/s.log\npidfile=${dir}/s.pid\nchildlogdir=${dir}\n\n` +
        `[program:w]\ncommand=/bin/sleep 100\nnumprocs=1500\nprocess_name=%(program_name)s_%(process_num)04d\n`,
    );
    const { code, stdout } = await run(['--print-config', '-c', conf]);
    expect(code).toBe(0);
    expect(stdout.length).toBeGreaterThan(500_000);
    const parsed = JSON.parse(stdout) as { processes: unknown[] };
    expect(parsed.processes).toHaveLength(1500);
  });
});
