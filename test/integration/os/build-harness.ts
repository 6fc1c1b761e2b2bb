// Bundles test/integration/os/fixtures/harness.ts with esbuild into a temp dir next to a copy of
// dist/reaper.node (the layout of dist/), and gives the argv to run it with a scenario.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..', '..');

export interface BuiltHarness {
  readonly dir: string;
  readonly script: string;
  argv(scenario: object): string[];
  cleanup(): void;
}

export async function buildHarness(): Promise<BuiltHarness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-harness-'));
  chmodSync(dir, 0o755); // readable by the unprivileged users some tests run as
  const script = path.join(dir, 'harness.mjs');
  await build({
    entryPoints: [path.join(root, 'test', 'integration', 'os', 'fixtures', 'harness.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  copyFileSync(path.join(root, 'dist', 'reaper.node'), path.join(dir, 'reaper.node'));
  return {
    dir,
    script,
    // TSINIT_TEST_NODE=/path/to/node runs the harness on another Node (e.g. 24) than the test runner's.
    argv: (scenario) => [process.env.TSINIT_TEST_NODE || process.execPath, script, JSON.stringify(scenario)],
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
