import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CtlUsageError, parseCtlArgs } from '../../../src/ctl/args.js';
import { CtlConfigError, readCtlSettings } from '../../../src/ctl/ctl-config.js';

describe('parseCtlArgs', () => {
  it('options stop at the first non-option (getopt), so commands keep their own flags', () => {
    expect(parseCtlArgs(['-c', '/x.conf', 'tail', '-f', 'web'])).toMatchObject({ configFile: '/x.conf', command: ['tail', '-f', 'web'] });
    expect(parseCtlArgs(['-s', 'unix:///tmp/s.sock', '-uadmin', '--password=p:w', 'status'])).toMatchObject({
      serverurl: 'unix:///tmp/s.sock',
      username: 'admin',
      password: 'p:w',
      command: ['status'],
    });
    expect(parseCtlArgs([])).toMatchObject({ command: [], help: false });
    expect(parseCtlArgs(['-h']).help).toBe(true);
    expect(parseCtlArgs(['-?']).help).toBe(true);
  });

  it('usage errors', () => {
    expect(() => parseCtlArgs(['--bogus'])).toThrow(CtlUsageError);
    expect(() => parseCtlArgs(['-c'])).toThrow('option -c requires argument');
    expect(() => parseCtlArgs(['-s', 'nourl'])).toThrow("value 'nourl' is not a URL");
  });
});

describe('readCtlSettings', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctl-conf-'));
  const file = (name: string, text: string): string => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('reads serverurl/username/password with %(here)s and %(ENV_X)s', () => {
    const f = file('a.conf', '[supervisorctl]\nserverurl = unix://%(here)s/run/../s.sock ; comment\nusername=%(ENV_CTL_USER)s\npassword=a:b\n');
    expect(readCtlSettings(f, { CTL_USER: 'bob' })).toEqual({
      serverurl: `unix://${dir}/s.sock`,
      username: 'bob',
      password: 'a:b',
      prompt: 'supervisor',
    });
  });

  it('defaults to http://localhost:9001', () => {
    expect(readCtlSettings(file('b.conf', '[supervisorctl]\n'), {}).serverurl).toBe('http://localhost:9001');
  });

  it("supervisorctl's errors", () => {
    expect(() => readCtlSettings(file('c.conf', '[supervisord]\n'), {})).toThrow('.ini file does not include supervisorctl section');
    expect(() => readCtlSettings(path.join(dir, 'none.conf'), {})).toThrow(`could not find config file ${path.join(dir, 'none.conf')}`);
    expect(() => readCtlSettings(file('d.conf', '[supervisorctl]\nserverurl=%(ENV_NOPE)s\n'), {})).toThrow(CtlConfigError);
  });
});
