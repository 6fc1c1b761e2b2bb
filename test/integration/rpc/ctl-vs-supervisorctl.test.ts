// `tsinit ctl` against the real supervisord gives the same output and exit codes as the real supervisorctl.
// Two identical supervisord instances are driven through the same command sequence, one by each client;
// outputs are compared after normalizing pids, uptimes, dates and the temp directory.
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalSteps, drive, ourCtl, realCtl, startSupervisord, stopStarted } from './compare-harness.js';
import { run, stream, TSINIT, waitFor } from './helpers.js';

afterAll(stopStarted);

describe('tsinit ctl vs supervisorctl against the real supervisord', () => {
  it('same outputs and exit codes for every command', async () => {
    const [real, ours] = await Promise.all([drive(realCtl), drive(ourCtl)]);
    expect(canonicalSteps(ours.outputs)).toEqual(canonicalSteps(real.outputs));
    // the sequence really exercised the server
    const all = real.outputs.join('\n');
    for (const expected of [
      '$ start quick\nquick: ERROR (spawn error)\n[rc=7]',
      '$ start missing\nmissing: ERROR (no such file)\n[rc=1]',
      '$ restart web\nweb: stopped\nweb: started\n[rc=0]',
      '$ update\nmissing: stopped\nmissing: removed process group\nextra: added process group\n[rc=0]',
      '$ status nosuch grp:* nogrp:*\nnosuch: ERROR (no such process)\nnogrp: ERROR (no such group)\n',
      '$ tail web stderr\nhello-err\n\n[rc=0]',
      '$ shutdown\nShut down\n[rc=0]',
      `$ shutdown\nERROR: unix://<DIR>/s.sock no such file (already shut down?)\n[rc=1]`,
      `$ status\nunix://<DIR>/s.sock no such file\n[rc=4]`,
    ]) {
      expect(all).toContain(expected);
    }
  }, 300_000);

  it('tail -f and maintail -f stream like supervisorctl', async () => {
    const { dir, conf } = await startSupervisord();
    for (const argv of [[TSINIT, 'ctl', '-c', conf, 'tail', '-f', 'web'], [TSINIT, 'ctl', '-c', conf, 'maintail', '-f']]) {
      const s = stream(process.execPath, argv);
      await waitFor(() => s.out().includes(argv.includes('web') ? 'hello-out' : 'success: web'), 20_000, 'tail output');
      expect(s.out().startsWith('==> Press Ctrl-C to exit <==\n')).toBe(true);
      if (argv.includes('web')) {
        await run('/usr/bin/supervisorctl', ['-c', conf, 'restart', 'web']);
        await waitFor(() => (s.out().match(/hello-out/g) ?? []).length >= 2, 20_000, 'followed output');
      }
      expect(await s.stop('SIGINT')).toBe(0);
    }
    // an unknown process: supervisorctl reports the 404 on stderr and exits 0
    const bad = await run(process.execPath, [TSINIT, 'ctl', '-c', conf, 'tail', '-f', 'nosuch']);
    expect(bad.code).toBe(0);
    expect(bad.stderr).toBe(`unix://${dir}/s.sock/logtail/nosuch/stdout Cannot read, status code 404\n`);
  }, 120_000);
});
