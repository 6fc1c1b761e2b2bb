// supervisord's minfds/minprocs step with a fake getrlimit/setrlimit.
import { describe, expect, it } from 'vitest';
import { RLIMIT } from '../../../src/os/native.js';
import { applyMinimumLimits, RlimitError } from '../../../src/os/rlimits.js';

function fake(initial: Record<number, [number, number]>, refuse = false) {
  const state = { ...initial };
  const calls: [number, number, number][] = [];
  return {
    state,
    calls,
    getrlimit: (r: number) => state[r]!,
    setrlimit: (r: number, soft: number, hard: number) => {
      calls.push([r, soft, hard]);
      if (refuse) throw new Error('EPERM');
      state[r] = [soft, hard];
    },
  };
}

describe('applyMinimumLimits', () => {
  it('raises a low soft limit (and a lower hard limit) and reports it', () => {
    const f = fake({ [RLIMIT.NOFILE]: [256, 512], [RLIMIT.NPROC]: [100, Infinity] });
    expect(applyMinimumLimits(1024, 200, f)).toEqual(['Increased RLIMIT_NOFILE limit to 1024', 'Increased RLIMIT_NPROC limit to 200']);
    expect(f.calls).toEqual([
      [RLIMIT.NOFILE, 1024, 1024],
      [RLIMIT.NPROC, 200, Infinity],
    ]);
  });

  it('leaves sufficient or unlimited soft limits alone', () => {
    const f = fake({ [RLIMIT.NOFILE]: [4096, 4096], [RLIMIT.NPROC]: [Infinity, Infinity] });
    expect(applyMinimumLimits(1024, 200, f)).toEqual([]);
    expect(f.calls).toEqual([]);
  });

  it("fails with supervisord's text, printing the requested hard value", () => {
    const f = fake({ [RLIMIT.NOFILE]: [256, 512], [RLIMIT.NPROC]: [Infinity, Infinity] }, true);
    expect(() => applyMinimumLimits(1024, 200, f)).toThrow(RlimitError);
    expect(() => applyMinimumLimits(1024, 200, f)).toThrow(
      'The minimum number of file descriptors required to run this process is 1024 as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open 1024 file descriptors.  Either raise',
    );
  });

  it('works against the real addon (no change needed at the current limits)', () => {
    expect(applyMinimumLimits(1, 1)).toEqual([]);
  });
});
