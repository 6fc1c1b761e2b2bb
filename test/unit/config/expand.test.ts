// Python %-formatting with supervisord's error texts (spec §1.5).
import { describe, expect, it } from 'vitest';
import { expand } from '../../../src/config/expand.js';

const names = { here: '/etc', program_name: 'web', process_num: 3, numprocs: 10, ENV_HOME: '/root' };

describe('expand', () => {
  it('substitutes names with s/d and width/zero padding', () => {
    expect(expand('%(here)s/x', names, 'l')).toBe('/etc/x');
    expect(expand('%(program_name)s_%(process_num)02d', names, 'l')).toBe('web_03');
    expect(expand('%(process_num)d/%(numprocs)d', names, 'l')).toBe('3/10');
    expect(expand('%(process_num)s', names, 'l')).toBe('3');
    expect(expand('[%(process_num)3d][%(process_num)-3d]', names, 'l')).toBe('[  3][3  ]');
    expect(expand('%(program_name).2s', names, 'l')).toBe('we');
  });

  it('%% is a literal percent; substituted values are not re-expanded', () => {
    expect(expand('100%%', names, 'l')).toBe('100%');
    expect(expand('%(x)s', { x: '%(here)s 50%' }, 'l')).toBe('%(here)s 50%');
  });

  it('unknown name lists every available name, sorted', () => {
    expect(() => expand('/bin/echo %(nope)s', names, 'program:a.command')).toThrow(
      "Format string '/bin/echo %(nope)s' for 'program:a.command' contains names ('nope') which cannot be expanded. Available names: ENV_HOME, here, numprocs, process_num, program_name",
    );
  });

  it('badly formatted strings', () => {
    expect(() => expand('/bin/echo 100%', names, 'program:a.command')).toThrow(
      "Format string '/bin/echo 100%' for 'program:a.command' is badly formatted: incomplete format",
    );
    expect(() => expand('%z', names, 'l')).toThrow("is badly formatted: unsupported format character 'z' (0x7a) at index 1");
    expect(() => expand('%(here', names, 'l')).toThrow('is badly formatted: incomplete format key');
    expect(() => expand('%(here)', names, 'l')).toThrow('is badly formatted: incomplete format');
    expect(() => expand('%(here)d', names, 'l')).toThrow('is badly formatted: %d format: a real number is required, not str');
  });

  it('rejects a bare %s (Python would dump the whole mapping)', () => {
    expect(() => expand('echo %s', names, 'l')).toThrow("Format string 'echo %s' for 'l' is badly formatted");
  });
});
