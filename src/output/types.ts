// Contract between the engine and the output layer: how a program's stdout/stderr are wired at spawn
// and where their bytes go afterwards (files with rotation, the container's stdout, prefix relay, events).
import type { ProcessConfig } from '../config/model.js';
import type { ChildHandle, ChildOutput } from '../os/edge.js';

export interface ProcessOutput {
  /** How to wire the child's fds for the next spawn (fd inheritance = zero-copy fast path). */
  readonly stdout: ChildOutput;
  readonly stderr: ChildOutput | { readonly kind: 'stdout' };
  /**
   * Start consuming the child's piped channels. Resolves when every piped channel reached EOF and all its
   * data was written (partial last lines flushed). Never rejects.
   */
  attach(child: ChildHandle): Promise<void>;
  /** Actual file paths (AUTO resolved) for RPC/tail, or null. */
  readonly stdoutLogfile: string | null;
  readonly stderrLogfile: string | null;
  /** RPC clearProcessLogs: delete and reopen the files. */
  clear(): void;
  /** SIGUSR2: reopen files (outside rotation). */
  reopen(): void;
  /** Group removed / shutdown: release files. */
  close(): void;
}

export interface OutputOptions {
  /** Listener pools read their protocol from stdout: every stdout chunk is passed here as well. */
  readonly stdoutTap?: (chunk: Buffer) => void;
}

export interface OutputManager {
  forProcess(proc: ProcessConfig, options?: OutputOptions): ProcessOutput;
  /** SIGUSR2. */
  reopenAll(): void;
  /** Delete old AUTO logs in childlogdir (unless nocleanup), at start and reload. */
  cleanupAutoLogs(): void;
}
