// dist/tsinit.js's loader (src/boot/entry.ts) and its V8 code cache, end to end: a warm-up run
// (TSINIT_CODE_CACHE_WRITE) writes the cache right after the first spawn and exits 0; a later start with
// TSINIT_CODE_CACHE uses it; a damaged or missing cache costs only the speed-up; programs never inherit
// either variable. tsinit runs as PID 1 of its own PID namespace, as in a container.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pid1Run, waitFor } from '../../helpers/pid1.js';
import { messages, TSINIT, Workdir } from '../engine/harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  run = null;
  wd?.cleanup();
  wd = null;
});

/** A program that records its environment, then stays up. */
function setup(): { wd: Workdir; conf: string; cache: string; envFile: string } {
  const w = new Workdir();
  const envFile = path.join(w.dir, 'program-env');
  const prog = w.script('prog.sh', `env > ${envFile}.tmp && mv ${envFile}.tmp ${envFile}\nexec sleep 300`);
  const conf = w.config(`[program:prog]\ncommand=${prog}\nstartsecs=0\nstopsignal=KILL\n`);
  return { wd: w, conf, cache: path.join(w.dir, 'code-cache'), envFile };
}

async function startWith(conf: string, env: Record<string, string>, envFile: string): Promise<Pid1Run> {
  const r = await Pid1Run.start([process.execPath, TSINIT, '-c', conf], { env: { ...process.env, ...env } });
  await waitFor(() => existsSync(envFile), 20_000, 'the program to record its environment');
  return r;
}

describe('the code cache of dist/tsinit.js', () => {
  it('a warm-up run writes it after the first spawn and exits 0; the next start uses it', async () => {
    const s = setup();
    wd = s.wd;
    const warm = spawnSync(process.execPath, [TSINIT, '-c', s.conf], {
      env: { ...process.env, TSINIT_CODE_CACHE_WRITE: s.cache },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(warm.status).toBe(0);
    expect(warm.stdout).toMatch(/spawned: 'prog' with pid \d+\n.*INFO code cache written to .*code-cache \(\d+ bytes\); warm-up run done/);
    expect(statSync(s.cache).size).toBeGreaterThan(10_000);

    run = await startWith(s.conf, { TSINIT_CODE_CACHE: s.cache }, s.envFile);
    await run.waitForLine(/code cache .*: accepted/);
    const programEnv = readFileSync(s.envFile, 'utf8');
    expect(programEnv).toMatch(/^PATH=/m);
    expect(programEnv).not.toMatch(/^TSINIT_CODE_CACHE/m);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('a damaged cache is reported and not used; tsinit starts as usual', async () => {
    const s = setup();
    wd = s.wd;
    writeFileSync(s.cache, Buffer.alloc(4096, 7));
    run = await startWith(s.conf, { TSINIT_CODE_CACHE: s.cache }, s.envFile);
    await run.waitForLine(/INFO code cache .*code-cache not used: made by another Node version or with other V8 flags/);
    expect(messages(run).some((m) => m.startsWith("spawned: 'prog'"))).toBe(true);
    expect(readFileSync(s.envFile, 'utf8')).not.toMatch(/^TSINIT_CODE_CACHE/m);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });

  it('a missing cache only shows at DEBUG', async () => {
    const s = setup();
    wd = s.wd;
    run = await startWith(s.conf, { TSINIT_CODE_CACHE: s.cache }, s.envFile);
    await run.waitForLine(/DEBG code cache .*code-cache: missing/);
    expect(existsSync(s.cache)).toBe(false);
    run.signal('SIGTERM');
    expect((await run.waitForExit()).code).toBe(0);
  });
});
