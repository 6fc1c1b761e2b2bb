// Builds dist/tsinit.js (one esbuild bundle) and dist/reaper.node (plain C N-API addon).
// The addon is compiled with the system C compiler against the node-api-headers package,
// so no download of Node's headers is needed (node-gyp would fetch them).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, chmodSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// TSINIT_OUTDIR: build elsewhere (A/B measurements without touching the shared dist/).
const dist = process.env.TSINIT_OUTDIR ? path.resolve(process.env.TSINIT_OUTDIR) : path.join(root, 'dist');
mkdirSync(dist, { recursive: true });

const require = createRequire(import.meta.url);
const headers = path.dirname(require.resolve('node-api-headers/package.json'));
const cc = process.env.CC || 'cc';
execFileSync(
  cc,
  ['-O2', '-Wall', '-Wextra', '-shared', '-fPIC', '-DNAPI_VERSION=8',
    '-I', path.join(headers, 'include'),
    '-o', path.join(dist, 'reaper.node'), path.join(root, 'native', 'reaper.c')],
  { stdio: 'inherit' },
);

// Node's builtins are loaded with require(), not as ES modules: the ESM facade of a builtin reads every
// export, which runs Node's lazy getters. On Node 24 `import 'node:http'` alone loads undici (~4 MB of heap
// for fetch/WebSocket we never use), `node:util` loads parseArgs + worker_threads, `node:child_process`
// loads dgram, `node:crypto` webcrypto. Measured by bench/ (launch and RssAnon with 10 programs, Node 24):
// 104 -> 76 ms, 22.8 -> 19.9 MB.
const builtins = new Set(builtinModules);
const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.namespace === 'builtin-cjs') return { path: args.path, external: true };
      const id = args.path.startsWith('node:') ? args.path.slice(5) : args.path;
      if (!args.path.startsWith('node:') && !builtins.has(id)) return undefined;
      return { path: `node:${id}`, namespace: 'builtin-cjs' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-cjs' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
  outfile: path.join(dist, 'tsinit.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: process.env.TSINIT_NO_MINIFY ? false : true,
  sourcemap: false,
  legalComments: 'none',
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __tsinitCreateRequire } from 'node:module'; const require = __tsinitCreateRequire(import.meta.url);",
  },
  plugins: [builtinsViaRequire],
  logLevel: 'warning',
});
chmodSync(path.join(dist, 'tsinit.js'), 0o755);
