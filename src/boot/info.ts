// What dist/tsinit.js's loader (entry.ts) tells the code it runs: whether a V8 code cache was used, and, in
// a warm-up run, how to write one. Absent when tsinit runs from its sources (tests).

export type CodeCacheState = 'accepted' | 'rejected' | 'missing';

export interface BootInfo {
  /** TSINIT_CODE_CACHE, when it was set: the file and what V8 made of it. */
  readonly codeCache: { readonly path: string; readonly state: CodeCacheState } | null;
  /**
   * TSINIT_CODE_CACHE_WRITE, when it was set: a warm-up run. The run mode calls this right after the first
   * spawn, so the cache holds every function a start compiles, then stops. Returns the bytes written.
   */
  readonly writeCodeCache: (() => { path: string; bytes: number }) | null;
}

/** The global the loader sets (a registered symbol: no name clash, invisible to Object.keys). */
export const BOOT_INFO_KEY = Symbol.for('tsinit.boot');

export function bootInfo(): BootInfo | null {
  return ((globalThis as Record<symbol, unknown>)[BOOT_INFO_KEY] as BootInfo | undefined) ?? null;
}
