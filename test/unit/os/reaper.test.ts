// The reaper with a fake addon: adopted children (the native spawn's) get their status; orphans go to onOrphan.
import { describe, expect, it } from 'vitest';
import { Reaper, type OrphanReport } from '../../../src/os/reaper.js';

/** A fake reapExcept that hands out the given [pid, status] pairs once, then reports nothing left. */
function fakeAddon(pairs: [number, number][]): { reapExcept(managed: Int32Array): Int32Array } {
  let left = pairs.slice();
  return {
    reapExcept: () => {
      const out = Int32Array.from([...left.flat(), 0]);
      left = [];
      return out;
    },
  };
}

describe('Reaper', () => {
  it('hands an adopted pid its raw status, once, and counts only real orphans', () => {
    const orphans: OrphanReport[] = [];
    const reaper = new Reaper({ addon: fakeAddon([[100, 3 << 8], [200, 9]]), onOrphan: (o) => orphans.push(o) });
    const got: number[] = [];
    reaper.adopt(100, (status) => got.push(status));
    reaper.drain();
    expect(got).toEqual([3 << 8]);
    expect(orphans.map((o) => [o.pid, o.message])).toEqual([[200, 'terminated by SIGKILL']]);
    expect(reaper.orphansReaped).toBe(1);
  });

  it('a throwing exit callback is reported, and the other pids are still handled', () => {
    const errors: unknown[] = [];
    const orphans: number[] = [];
    const reaper = new Reaper({
      addon: fakeAddon([[1, 0], [2, 0]]),
      onOrphan: (o) => orphans.push(o.pid),
      onError: (e) => errors.push(e),
    });
    reaper.adopt(1, () => {
      throw new Error('bug');
    });
    reaper.drain();
    expect(errors.map((e) => (e as Error).message)).toEqual(['bug']);
    expect(orphans).toEqual([2]);
  });
});
