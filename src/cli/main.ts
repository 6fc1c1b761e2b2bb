// Entry point: a small dispatcher. The exec helper must be checked first (it replaces itself with the
// program and must not touch anything else); then the subcommands; else the supervisor's run mode.
import { isExecHelperInvocation, runExecHelper } from '../os/exec-helper.js';

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'ctl') {
    const { runCtl } = await import('../ctl/index.js');
    return runCtl(argv.slice(1));
  }
  if (argv[0] === 'health') {
    const { runHealth } = await import('../health/cli.js');
    return runHealth(argv.slice(1));
  }
  if (argv.includes('--print-config')) {
    const { runPrintConfig } = await import('./print-config.js');
    return runPrintConfig(argv);
  }
  const { runMode } = await import('./run.js');
  return runMode(argv);
}

if (isExecHelperInvocation()) {
  runExecHelper();
} else {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exit(code);
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
