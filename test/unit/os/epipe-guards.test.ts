// installEpipeGuards: process.stdout/stderr get an 'error' listener (so an EPIPE is not an unhandled 'error'
// event that kills PID 1) when they are created, lazily, by their first user, and exactly once.
import { afterEach, describe, expect, it } from 'vitest';
import { installEpipeGuards } from '../../../src/os/signals.js';

const saved = (['stdout', 'stderr'] as const).map((name) => [name, Object.getOwnPropertyDescriptor(process, name)!] as const);
afterEach(() => {
  for (const [name, desc] of saved) Object.defineProperty(process, name, desc);
});

describe('EPIPE guards on process.stdout/stderr', () => {
  it('are added on first use, once', () => {
    // (in this worker the streams exist already; Node's getter still hands them out, and the guard wraps it)
    const before = { stdout: process.stdout.listenerCount('error'), stderr: process.stderr.listenerCount('error') };
    installEpipeGuards();
    for (const name of ['stdout', 'stderr'] as const) {
      expect(process[name].listenerCount('error')).toBe(before[name] + 1);
      expect(process[name].listenerCount('error')).toBe(before[name] + 1); // a second read adds nothing
    }
  });
});
