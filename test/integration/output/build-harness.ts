// Bundles harness.ts with esbuild into a temp dir so the integration tests can run it as a real process.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export async function buildHarness(): Promise<{ file: string; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsinit-harness-'));
  const file = path.join(dir, 'harness.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'harness.ts')],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  return { file, dir };
}
