// The one place tsinit loads node:child_process, on first use. With the native addon, programs are started by
// the addon's spawn (native/spawn.c) and child_process is never loaded (it costs ~1 ms of launch, net ~3 ms);
// without it, and for the syslog helper, it is. The reaper must know every child that child_process starts
// (it must not reap them: node-pid1-notes §1), so it registers a hook here that wraps ChildProcess before
// anyone can spawn with it. Nothing else in src/ may import node:child_process (a test checks).
type ChildProcessModule = typeof import('node:child_process');

let loaded: ChildProcessModule | null = null;
const hooks = new Set<(cp: ChildProcessModule) => void>();

/** node:child_process, loaded now if it is not yet; the load hooks run first. */
export function childProcessModule(): ChildProcessModule {
  if (loaded) return loaded;
  const cp = process.getBuiltinModule('node:child_process') as ChildProcessModule;
  for (const hook of hooks) hook(cp);
  hooks.clear();
  loaded = cp;
  return cp;
}

/** Runs `hook` when child_process gets loaded (at once if it is). Returns a function that cancels a pending hook. */
export function whenChildProcessLoaded(hook: (cp: ChildProcessModule) => void): () => void {
  if (loaded) {
    hook(loaded);
    return () => {};
  }
  hooks.add(hook);
  return () => hooks.delete(hook);
}
