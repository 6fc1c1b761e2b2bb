// Ported from supervisord's tests/test_supervisorctl.py (status table widths, result lines, avail, reread).
import { describe, expect, it } from 'vitest';
import { availLine, changeLines, clearResult, signalResult, startResult, statusLines, stopResult } from '../../../src/ctl/format.js';
import { helpOverview } from '../../../src/ctl/help.js';

const info = (group: string, name: string, statename = 'RUNNING', description = 'pid 1, uptime 0:00:05') => ({
  group,
  name,
  statename,
  description,
});

describe('status table', () => {
  it('process column has a minimum width of 30 (+3)', () => {
    expect(statusLines([info('foo', 'foo')])).toEqual([`foo${' '.repeat(30)}RUNNING   pid 1, uptime 0:00:05`]);
  });

  it('process column expands to the longest namespec', () => {
    const long = 'a'.repeat(40);
    const lines = statusLines([info('foo', 'foo'), info(long, 'x', 'STARTING', '')]);
    expect(lines[0]).toBe(`foo${' '.repeat(42)}RUNNING   pid 1, uptime 0:00:05`);
    expect(lines[1]).toBe(`${long}:x   STARTING  `);
  });
});

describe('result lines', () => {
  const r = (status: number, description = '') => ({ name: 'foo', group: 'grp', status, description });
  it('start', () => {
    expect(startResult(r(80))).toBe('grp:foo: started');
    expect(startResult(r(10))).toBe('grp:foo: ERROR (no such process)');
    expect(startResult(r(20))).toBe('grp:foo: ERROR (no such file)');
    expect(startResult(r(21))).toBe('grp:foo: ERROR (file is not executable)');
    expect(startResult(r(60))).toBe('grp:foo: ERROR (already started)');
    expect(startResult(r(50))).toBe('grp:foo: ERROR (spawn error)');
    expect(startResult(r(40))).toBe('grp:foo: ERROR (abnormal termination)');
    expect(() => startResult(r(99))).toThrow('Unknown result code 99 for grp:foo');
  });
  it('stop / signal / clear', () => {
    expect(stopResult(r(80))).toBe('grp:foo: stopped');
    expect(stopResult(r(70))).toBe('grp:foo: ERROR (not running)');
    expect(stopResult(r(30, 'FAILED: could not kill'))).toBe('FAILED: could not kill');
    expect(signalResult(r(80))).toBe('grp:foo: signalled');
    expect(signalResult(r(11))).toBe('grp:foo: ERROR (bad signal name)');
    expect(clearResult({ ...r(80), group: 'foo' })).toBe('foo: cleared');
    expect(clearResult(r(30))).toBe('grp:foo: ERROR (failed)');
  });
});

describe('avail and reread', () => {
  it('avail line', () => {
    expect(availLine({ group: 'grp', name: 'm1', inuse: true, autostart: true, group_prio: 999, process_prio: 999 })).toBe(
      'grp:m1                           in use    auto      999:999',
    );
    expect(availLine({ group: 'x', name: 'x', inuse: false, autostart: false, group_prio: 5, process_prio: 1 })).toBe(
      'x                                avail     manual    5:1',
    );
  });
  it('changes sorted by name', () => {
    expect(changeLines(['b'], ['a'], ['c'])).toEqual(['a: changed', 'b: available', 'c: disappeared']);
    expect(changeLines([], [], [])).toEqual(['No config updates to processes']);
  });
  it('help lists the commands', () => {
    const text = helpOverview();
    for (const c of ['add', 'avail', 'clear', 'fg', 'maintail', 'pid', 'reload', 'reread', 'signal', 'tail', 'update', 'version']) {
      expect(text).toContain(c);
    }
  });
  it('help is byte-identical to supervisorctl 4.2 (cmd.Cmd columnize keeps the padding spaces)', () => {
    expect(helpOverview()).toBe(
      '\ndefault commands (type help <topic>):\n=====================================\n' +
        'add    exit      open  reload  restart   start   tail   \n' +
        'avail  fg        pid   remove  shutdown  status  update \n' +
        'clear  maintail  quit  reread  signal    stop    version\n',
    );
  });
});
