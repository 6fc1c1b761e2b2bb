// ChildHandle.onExit's promise, shared by both ways of spawning (spawn.ts, native-spawn.ts): every callback
// gets the exit status exactly once, also one added after the exit (on a later turn).
import type { ExitStatus } from './edge.js';

export class ExitCallbacks {
  private status: ExitStatus | null = null;
  private readonly callbacks: ((status: ExitStatus) => void)[] = [];

  /** The status, once the child has exited. */
  get settled(): ExitStatus | null {
    return this.status;
  }

  /** Records the exit and calls every waiting callback. Later calls are ignored. */
  settle(status: ExitStatus): void {
    if (this.status) return;
    this.status = status;
    for (const cb of this.callbacks.splice(0)) this.call(cb, status);
  }

  add(cb: (status: ExitStatus) => void): void {
    const status = this.status;
    if (status) setImmediate(() => this.call(cb, status));
    else this.callbacks.push(cb);
  }

  private call(cb: (status: ExitStatus) => void, status: ExitStatus): void {
    try {
      cb(status);
    } catch (err) {
      // A listener bug must not break the exit path of other listeners; surface it asynchronously.
      process.nextTick(() => {
        throw err;
      });
    }
  }
}
