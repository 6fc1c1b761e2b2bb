// Builds dist/tsinit.js (one esbuild bundle) and dist/reaper.node (plain C N-API addon).
// The addon is compiled with the system C compiler against the node-api-headers package,
// so no download of Node's headers is needed (node-gyp would fetch them).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { BODY_MARK, encodeBody } from './embed-body.mjs';

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
    '-o', path.join(dist, 'reaper.node'), path.join(root, 'native', 'reaper.c'), path.join(root, 'native', 'spawn.c')],
  { stdio: 'inherit' },
);

// Node's builtins are loaded with require(), not as ES modules: the ESM facade of a builtin reads every
// export, which runs Node's lazy getters. On Node 24 `import 'node:http'` alone loads undici (~4 MB of heap
// for fetch/WebSocket we never use), `node:util` loads parseArgs + worker_threads, `node:child_process`
// loads dgram, `node:crypto` webcrypto. Measured by bench/ (launch and RssAnon with 10 programs, Node 24):
// 104 -> 76 ms, 22.8 -> 19.9 MB.
const builtins = new Set(builtinModules);
// For our own ES imports, the shim is an ES module that exports exactly the names our sources import from that
// builtin (found by scanning src/), each read once; esbuild binds the named imports straight to them. A
// CommonJS shim would be copied property by property (`__toESM`) once per importing module: ~1,500
// defineProperty calls at startup, ~3 ms of launch time (BENCHMARKS.md §1). Reading every property instead
// would run lazy getters and deprecation warnings (fs.F_OK on Node 24).
function importedNames() {
  const names = new Map();
  const files = readdirSync(path.join(root, 'src'), { recursive: true }).filter((f) => String(f).endsWith('.ts'));
  const re = /import\s+(?:type\s+)?(?:[\w$]+\s*,\s*)?\{([^}]*)\}\s*from\s*'(?:node:)?([\w/]+)'/g;
  for (const f of files) {
    for (const m of readFileSync(path.join(root, 'src', String(f)), 'utf8').matchAll(re)) {
      if (!builtins.has(m[2])) continue;
      const set = names.get(m[2]) ?? new Set();
      for (const part of m[1].split(',')) {
        const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0].trim();
        if (name && !part.trim().startsWith('type ')) set.add(name);
      }
      names.set(m[2], set);
    }
  }
  return names;
}
const namesByBuiltin = importedNames();
function esmShim(id) {
  const names = [...(namesByBuiltin.get(id.replace(/^node:/, '')) ?? [])];
  return [
    `const m = require(${JSON.stringify(id)});`,
    'export default m;',
    ...names.map((k) => `export const ${k} = m.${k};`),
  ].join('\n');
}
const builtinsViaRequire = {
  name: 'builtins-via-require',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.namespace === 'builtin-cjs' || args.namespace === 'builtin-esm') return { path: args.path, external: true };
      const id = args.path.startsWith('node:') ? args.path.slice(5) : args.path;
      if (!args.path.startsWith('node:') && !builtins.has(id)) return undefined;
      const esm = args.kind === 'import-statement' || args.kind === 'dynamic-import';
      return { path: `node:${id}`, namespace: esm ? 'builtin-esm' : 'builtin-cjs' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-cjs' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'builtin-esm' }, (args) => ({ contents: esmShim(args.path), loader: 'js' }));
  },
};

// dist/tsinit.js is one file in two parts (src/boot/entry.ts says why): the loader, an ES module with no
// imports, then the body, the CommonJS bundle of src/cli/main.ts in line comments (scripts/embed-body.mjs).
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: process.env.TSINIT_NO_MINIFY ? false : true,
  charset: 'ascii',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
};
const [loader, body] = await Promise.all([
  build({ ...common, entryPoints: [path.join(root, 'src', 'boot', 'entry.ts')], format: 'esm' }),
  build({
    ...common,
    entryPoints: [path.join(root, 'src', 'cli', 'main.ts')],
    format: 'cjs',
    // The loader passes the bundle's URL (the sources use import.meta.url to find reaper.node).
    define: { 'import.meta.url': '__tsinitBundleUrl' },
    // Template literals lowered to string concatenation: they are the only place esbuild writes raw newlines,
    // so the body is one line and the loader takes it out of its comment with a slice (src/boot/embed.ts).
    supported: { 'template-literal': false },
    plugins: [builtinsViaRequire],
  }),
]);
const loaderJs = loader.outputFiles[0].text;
const bodyJs = body.outputFiles[0].text.trimEnd();
// (TSINIT_NO_MINIFY=1, for reading profiles, keeps esbuild's lines: the loader then copies the body once.)
if (common.minify && bodyJs.includes('\n')) throw new Error('the bundle body must be one line (src/boot/embed.ts)');
// vm.Script gets no dynamic-import callback: every import() must have been bundled (builtins go through require).
if (/\bimport\s*\(/.test(bodyJs.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""'))) {
  throw new Error('the bundle body still contains an import() call');
}
if (/^\s*(import|export)\s/m.test(loaderJs)) throw new Error('the loader must have no import/export statements');
writeFileSync(
  path.join(dist, 'tsinit.js'),
  `#!/usr/bin/env node\n${loaderJs}${loaderJs.endsWith('\n') ? '' : '\n'}${BODY_MARK}${encodeBody(bodyJs)}\n`,
);
chmodSync(path.join(dist, 'tsinit.js'), 0o755);
