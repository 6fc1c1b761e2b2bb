// Child environment layering (spec §4.9), including the CR example from the spec.
import { describe, expect, it } from 'vitest';
import { buildChildEnv } from '../../../src/os/child-env.js';

describe('buildChildEnv', () => {
  it('layers own env, SUPERVISOR_* and the configured environment (spec CR example)', () => {
    const env = buildChildEnv(
      {
        name: 'envdump',
        group: 'envdump',
        serverurl: null,
        // [supervisord] environment= overlaid with the program's (done by the config layer).
        environment: { GLOBAL: 'g1', SHARED: 'from_prog', PATH: '/usr/bin:/bin', ONLY_PROG: 'p' },
      },
      'unix:///run/supervisor.sock',
      { FOO_OUTER: 'outer', PATH: '/sbin', UNDEF: undefined },
    );
    expect(env).toEqual({
      FOO_OUTER: 'outer',
      PATH: '/usr/bin:/bin',
      GLOBAL: 'g1',
      SHARED: 'from_prog',
      ONLY_PROG: 'p',
      SUPERVISOR_ENABLED: '1',
      SUPERVISOR_SERVER_URL: 'unix:///run/supervisor.sock',
      SUPERVISOR_PROCESS_NAME: 'envdump',
      SUPERVISOR_GROUP_NAME: 'envdump',
    });
  });

  it("prefers the program's serverurl and omits the variable when no URL is known", () => {
    const proc = { name: 'web_0', group: 'grp', serverurl: 'http://127.0.0.1:9001', environment: {} };
    expect(buildChildEnv(proc, 'unix:///x.sock', {}).SUPERVISOR_SERVER_URL).toBe('http://127.0.0.1:9001');
    const none = buildChildEnv({ ...proc, serverurl: null }, null, {});
    expect('SUPERVISOR_SERVER_URL' in none).toBe(false);
    expect(none.SUPERVISOR_PROCESS_NAME).toBe('web_0');
    expect(none.SUPERVISOR_GROUP_NAME).toBe('grp');
  });

  it('lets the configured environment override the SUPERVISOR_* variables and tsinit\'s own env', () => {
    const env = buildChildEnv(
      { name: 'p', group: 'g', serverurl: null, environment: { SUPERVISOR_ENABLED: '0', SUPERVISOR_PROCESS_NAME: 'other', HOME: '/h' } },
      null,
      { HOME: '/root', SUPERVISOR_ENABLED: 'stale' },
    );
    expect(env.SUPERVISOR_ENABLED).toBe('0');
    expect(env.SUPERVISOR_PROCESS_NAME).toBe('other');
    expect(env.HOME).toBe('/h');
  });
});
