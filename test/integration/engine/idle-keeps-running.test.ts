// supervisord keeps running when no program is running any more (all EXITED / autostart=false, no HTTP
// server): the container stays up and `supervisorctl start` would work again once a server is configured.
// tsinit used to exit 0 as soon as Node's event loop had nothing left (no timer, no socket, no child),
// without any log line. Only visible when stdout is not a pipe or tty (a pipe keeps the loop alive): here
// stdout is a regular file, as with `> file` or a log collector reading files. Found by the QA comparison.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Pid1Run, waitFor } from '../../helpers/pid1.js';
import { TSINIT, Workdir } from './harness.js';

let run: Pid1Run | null = null;
let wd: Workdir | null = null;
afterEach(async () => {
  await run?.dispose();
  wd?.cleanup();
  run = null;
  wd = null;
});

describe('nothing left running', () => {
  it('stays up after its only program exited (autorestart=false), like supervisord; SIGTERM still ends it with exit 0', async () => {
    wd = new Workdir();
    const conf = wd.config('[program:once]\ncommand=/bin/true\nautorestart=false\nstartsecs=0\n');
    const out = path.join(wd.dir, 'stdout.txt');
    run = await Pid1Run.start(['/bin/sh', '-c', `exec "${process.execPath}" "${TSINIT}" -c "${conf}" > "${out}" 2>&1`]);
    const log = (): string => {
      try {
        return readFileSync(out, 'utf8');
      } catch {
        return '';
      }
    };
    await waitFor(() => log().includes('exited: once (exit status 0; expected)'), 20_000, 'the program exited');
    expect(run.signal('SIGTERM')).toBe(true);
    await waitFor(() => log().includes('received SIGTERM indicating exit request'), 20_000, 'SIGTERM logged');
    expect((await run.waitForExit()).code).toBe(0);
  });
});
