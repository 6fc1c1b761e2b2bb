// The loader at the top of dist/tsinit.js (scripts/build.mjs puts the bundle's body below it, see embed.ts).
//
// Why a loader: Node's own compile cache (NODE_COMPILE_CACHE) holds only the code compiled before a module
// runs, so every function on the way to the first spawn (config, PID-1 setup, spawn) is still compiled on
// first call: ~7 ms of launch time on Node 24. vm.Script accepts a V8 code cache made *after* a warm-up run
// (`script.createCachedData()`), and with it those functions arrive compiled (BENCHMARKS.md §1).
//
//   TSINIT_CODE_CACHE=FILE        use FILE as the code cache (the image's launcher sets it). A missing file,
//                                 or one V8 rejects (other Node version or V8 flags), only costs the speed-up.
//   TSINIT_CODE_CACHE_WRITE=FILE  warm-up run: start as usual, write FILE right after the first spawn, stop.
//
// Both are removed from the environment before anything runs, so programs never inherit them. No import or
// export statement and no import.meta: Node may load this file as CommonJS or as an ES module.
import { BOOT_INFO_KEY, type BootInfo, type CodeCacheState } from './info.js';
import { BODY_MARK, decodeBody } from './embed.js';

const fs = process.getBuiltinModule('node:fs');
const vm = process.getBuiltinModule('node:vm');
const path = process.getBuiltinModule('node:path');
const { createRequire } = process.getBuiltinModule('node:module');
const { pathToFileURL } = process.getBuiltinModule('node:url');

/** Everything in one function: the file's text and the cache buffer are garbage once the body has started. */
function load(): void {
  // The real file (npm links bin scripts): the body finds reaper.node next to it.
  const file = fs.realpathSync(typeof __filename === 'string' ? __filename : (process.argv[1] ?? ''));
  const text = fs.readFileSync(file, 'latin1'); // the bundle is ASCII (esbuild charset=ascii)
  // At the start of a line: the loader's own copy of the mark is in a string literal, never on a line of its own.
  const at = text.indexOf(`\n${BODY_MARK}`);
  if (at < 0) throw new Error(`${file} is damaged: no ${JSON.stringify(BODY_MARK.trim())} line`);
  const bodyStart = at + 1 + BODY_MARK.length;
  const source = `(function (exports, require, module, __filename, __dirname, __tsinitBundleUrl) {\n${decodeBody(text.slice(bodyStart))}\n})`;
  // lineOffset: the body's lines keep their line numbers in stack traces (the wrapper takes one line).
  const lineOffset = text.slice(0, bodyStart).split('\n').length - 2;

  const env = process.env;
  const readPath = env.TSINIT_CODE_CACHE || null;
  const writePath = env.TSINIT_CODE_CACHE_WRITE || null;
  delete env.TSINIT_CODE_CACHE;
  delete env.TSINIT_CODE_CACHE_WRITE;

  let cachedData: Buffer | undefined;
  if (readPath !== null && writePath === null) {
    try {
      cachedData = fs.readFileSync(readPath);
    } catch {
      /* missing or unreadable: compile without it */
    }
  }
  const script = new vm.Script(source, { filename: file, lineOffset, cachedData });
  const state: CodeCacheState = cachedData === undefined ? 'missing' : script.cachedDataRejected ? 'rejected' : 'accepted';
  const info: BootInfo = {
    codeCache: readPath === null ? null : { path: readPath, state },
    writeCodeCache:
      writePath === null
        ? null
        : () => {
            const data = script.createCachedData();
            const tmp = `${writePath}.${process.pid}.tmp`;
            fs.writeFileSync(tmp, data);
            fs.renameSync(tmp, writePath);
            return { path: writePath, bytes: data.length };
          },
  };
  (globalThis as Record<symbol, unknown>)[BOOT_INFO_KEY] = info;

  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(
    module.exports,
    createRequire(file),
    module,
    file,
    path.dirname(file),
    pathToFileURL(file).href,
  );
}

load();
