// Entry point (placeholder until the engine lands).
import { runPrintConfig } from './print-config.js';

const argv = process.argv.slice(2);
if (argv[0] !== 'ctl' && argv[0] !== 'health' && argv.includes('--print-config')) {
  process.exitCode = runPrintConfig(argv);
} else {
  process.stdout.write('tsinit: not yet implemented\n');
}
