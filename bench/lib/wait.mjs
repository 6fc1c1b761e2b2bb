// Waiting for conditions without fixed sleeps in the measurement itself. The harness polls cheaply
// (the timings it reports come from the programs' own CLOCK_MONOTONIC stamps, not from these polls).
import { readFileSync } from 'node:fs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves with fn()'s first truthy value; rejects after timeoutMs with `what` in the message. */
export async function waitFor(fn, { timeoutMs = 30000, intervalMs = 20, what = 'condition' } = {}) {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Lines of a stamp file split into words ([] when missing). */
export function stampLines(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((l) => l.split(' '));
}

/** The first line whose first word is `tag`, as its words, or undefined. */
export function stampLine(path, tag) {
  return stampLines(path).find((w) => w[0] === tag);
}

/** CLOCK_MONOTONIC now, in ns, as the stamps write it (libuv's hrtime is CLOCK_MONOTONIC). */
export const monoNs = () => process.hrtime.bigint();
