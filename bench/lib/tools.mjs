// Prepares what the bench runs: a private copy of the freshly built bundle (other engineers rebuild
// dist/ while the bench runs), the C helpers compiled into the work dir, and the Node binaries.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const helperDir = path.join(repoRoot, 'bench', 'c');
export const HELPERS = ['trun', 'stamp', 'spew', 'sink', 'storm'];

/** `npm run build` then copy dist/tsinit.js + dist/reaper.node into work/tsinit/. Returns the bundle path. */
export function buildTsinit(work, { skipBuild = false, log = console.error } = {}) {
  if (!skipBuild) {
    try {
      execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: 'pipe' });
    } catch (err) {
      log(`bench: build failed, using the existing dist/: ${String(err.stderr ?? err.message).trim().slice(0, 400)}`);
    }
  }
  const dir = path.join(work, 'tsinit');
  mkdirSync(dir, { recursive: true });
  for (const f of ['tsinit.js', 'reaper.node']) copyFileSync(path.join(repoRoot, 'dist', f), path.join(dir, f));
  // No package.json beside it, as in the image: the bundle's loader has no import/export, so Node runs it as
  // CommonJS at once (src/boot/entry.ts).
  return path.join(dir, 'tsinit.js');
}

/**
 * The image's RUN step (Dockerfile): a warm-up run of tsinit on examples/image/code-cache-warm-up.conf, with the
 * launcher's flags, writes the V8 code cache of a start to a file (src/boot/entry.ts). Returns its path.
 */
export function warmCodeCache(node, tsinitJs, work) {
  const file = path.join(work, 'code-cache');
  const conf = path.join(repoRoot, 'examples', 'image', 'code-cache-warm-up.conf');
  execFileSync(node, ['--disable-sigusr1', '--no-memory-reducer', tsinitJs, '-c', conf], {
    env: { ...process.env, TSINIT_CODE_CACHE_WRITE: file },
    stdio: 'ignore',
  });
  return file;
}

/** cc -O2 each bench/c/<name>.c into work/bin/<name>. Returns { name: path }. */
export function compileHelpers(work) {
  const bin = path.join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  const out = {};
  for (const name of HELPERS) {
    out[name] = path.join(bin, name);
    execFileSync(process.env.CC || 'cc', ['-O2', '-Wall', '-o', out[name], path.join(helperDir, `${name}.c`)], {
      stdio: 'inherit',
    });
  }
  return out;
}

/** The Node 24 binary: $TSINIT_BENCH_NODE24, else /tmp/node24 (installed there from the npm registry). */
export function node24Path({ install = true, log = console.error } = {}) {
  if (process.env.TSINIT_BENCH_NODE24) return process.env.TSINIT_BENCH_NODE24;
  const p = '/tmp/node24/node_modules/node/bin/node';
  if (!existsSync(p) && install) {
    log('bench: installing Node 24 from the npm registry into /tmp/node24 (npm i --prefix /tmp/node24 node@24)');
    execFileSync('npm', ['i', '--prefix', '/tmp/node24', '--no-audit', '--no-fund', 'node@24'], { stdio: 'inherit' });
  }
  return existsSync(p) ? p : null;
}

export function versionOf(cmd, args = ['--version']) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n')[0];
  } catch {
    return null;
  }
}
