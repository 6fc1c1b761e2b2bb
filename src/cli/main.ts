// Entry point: a small dispatcher. The exec helper must be checked first (it replaces itself with the
// program and must not touch anything else); then the subcommands; else the supervisor's run mode.
import { isExecHelperInvocation, runExecHelper } from '../os/exec-helper.js';

/**
 * Client modes (ctl, health, --print-config) exit only once their output reached stdout/stderr: on a socket
 * or a pipe Node writes asynchronously and process.exit() would cut it. The run mode exits at once (a stalled
 * stdout must never hold PID 1); it drains with a bound itself.
 */
function exitAfterOutput(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.destroyed || !stream.writable) done();
    else stream.write('', done);
  }
}

interface Mode {
  /** Client modes print a result and exit after it is written; the run mode is PID 1. */
  readonly client: boolean;
  run(): Promise<number>;
}

function modeOf(argv: readonly string[]): Mode {
  if (argv[0] === 'ctl') {
    return { client: true, run: async () => (await import('../ctl/index.js')).runCtl(argv.slice(1)) };
  }
  if (argv[0] === 'health') {
    return { client: true, run: async () => (await import('../health/cli.js')).runHealth(argv.slice(1)) };
  }
  if (argv.includes('--print-config')) {
    return { client: true, run: async () => (await import('./print-config.js')).runPrintConfig(argv) };
  }
  return { client: false, run: async () => (await import('./run.js')).runMode(argv) };
}

if (isExecHelperInvocation()) {
  runExecHelper();
} else {
  const mode = modeOf(process.argv.slice(2));
  // PID 1 stays up while nothing runs (every program EXITED or never started, no server): Node would exit as
  // soon as its loop is empty. A ~24-day timer keeps the loop alive without waking it; process.exit ends it.
  if (!mode.client) setInterval(() => {}, 2 ** 31 - 1);
  mode.run().then(
    (code) => {
      if (mode.client) exitAfterOutput(code);
      else process.exit(code);
    },
    (err: unknown) => {
      try {
        process.stderr.write(`tsinit: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      } catch {
        /* stderr gone */
      }
      process.exit(70);
    },
  );
}
