#!/usr/bin/env node
// npm run bench: tsinit vs supervisord 4.2 (and tini where it applies) on the same work, several rounds,
// medians and raw numbers → bench/results.json → BENCHMARKS.md.
//
//   node bench/run.mjs                    full run (~15 min), every measure, writes BENCHMARKS.md
//   node bench/run.mjs --quick            short rounds and durations; writes to /tmp/tsinit-bench-quick.*
//   node bench/run.mjs --only=launch,idle re-run some measures; merged into the existing results
//   node bench/run.mjs --render           only re-render BENCHMARKS.md from bench/results.json
//   --rounds=N  --no-build  --no-node24  --keep (keep the work dir)
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildTsinit, compileHelpers, node24Path, repoRoot, warmCodeCache } from './lib/tools.mjs';
import { machineInfo } from './lib/machine.mjs';
import { idleExtras, launchExtras, makeVariants } from './lib/variants.mjs';
import { killAll } from './lib/supervisor.mjs';
import { loadavg } from './lib/proc.mjs';
import { renderReport } from './report/render.mjs';
import * as launch from './measures/launch.mjs';
import * as restart from './measures/restart.mjs';
import * as shutdown from './measures/shutdown.mjs';
import * as orphans from './measures/orphans.mjs';
import * as idle from './measures/idle.mjs';
import * as scale from './measures/scale.mjs';
import * as relay from './measures/relay.mjs';

const MEASURES = [launch, restart, shutdown, orphans, idle, scale, relay];

function parseArgs(argv) {
  const a = { quick: false, only: null, rounds: null, build: true, node24: true, keep: false, render: false };
  for (const arg of argv) {
    if (arg === '--quick') a.quick = true;
    else if (arg === '--no-build') a.build = false;
    else if (arg === '--no-node24') a.node24 = false;
    else if (arg === '--keep') a.keep = true;
    else if (arg === '--render') a.render = true;
    else if (arg.startsWith('--only=')) a.only = arg.slice(7).split(',');
    else if (arg.startsWith('--rounds=')) a.rounds = Number(arg.slice(9));
    else throw new Error(`unknown argument ${arg}`);
  }
  return a;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const resultsFile = args.quick ? '/tmp/tsinit-bench-quick.json' : path.join(repoRoot, 'bench', 'results.json');
  const reportFile = args.quick ? '/tmp/tsinit-bench-quick.md' : path.join(repoRoot, 'BENCHMARKS.md');
  const previous = load(resultsFile);
  if (args.render) {
    writeFileSync(reportFile, renderReport(previous));
    console.error(`bench: wrote ${reportFile}`);
    return;
  }
  if (process.getuid?.() !== 0) throw new Error('the bench needs root (PID namespaces for PID-1 runs)');
  const selected = args.only ? MEASURES.filter((m) => args.only.includes(m.id)) : MEASURES;
  if (args.only && selected.length !== args.only.length) {
    throw new Error(`--only: known measures are ${MEASURES.map((m) => m.id).join(', ')}`);
  }

  // supervisord's clearLog (and tsinit's) deletes a program's logfile; a test that clears a program logging to
  // /dev/stdout replaces the machine's /dev/stdout symlink by a regular file, and every later /dev/stdout
  // write (supervisord's relay) lands in that file. Refuse to measure on such a machine.
  for (const [dev, fd] of [['/dev/stdout', 1], ['/dev/stderr', 2]]) {
    let target = null;
    try {
      target = readlinkSync(dev);
    } catch {
      /* not a symlink */
    }
    if (target !== `/proc/self/fd/${fd}`) {
      throw new Error(`${dev} is not the symlink to /proc/self/fd/${fd} (something deleted it); restore it: ln -sf /proc/self/fd/${fd} ${dev}`);
    }
  }
  const work = mkdtempSync('/tmp/tsb-');
  const stop = () => {
    killAll();
    process.exit(130);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const progress = (msg) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

  const tsinitJs = buildTsinit(work, { skipBuild: !args.build, log: progress });
  const bin = compileHelpers(work);
  const node20 = process.execPath;
  const node24 = args.node24 ? node24Path({ log: progress }) : null;
  const variants = makeVariants({ tsinitJs, node20, node24 });
  const machine = machineInfo({ node20, node24 });
  progress(`work dir ${work}; load ${machine.loadavg.join(' ')}; variants ${Object.keys(variants).join(', ')}`);

  let seq = 0;
  const ctx = {
    bin,
    variants,
    idleExtras: idleExtras({ tsinitJs, node20, node24 }),
    launchExtras: launchExtras({ tsinitJs, node24, codeCache: node24 ? warmCodeCache(node24, tsinitJs, work) : null }),
    quick: args.quick,
    rounds: (full, quick) => args.rounds ?? (args.quick ? quick : full),
    runDir: (name) => {
      const d = path.join(work, 'runs', `${String(++seq).padStart(3, '0')}-${name}`);
      mkdirSync(d, { recursive: true });
      return d;
    },
    progress,
  };

  const results = { ...previous, machine, measures: { ...(previous.measures ?? {}) } };
  try {
    for (const m of selected) {
      const load0 = loadavg();
      const t0 = Date.now();
      progress(`== ${m.id}: ${m.title}`);
      const res = await m.run(ctx);
      results.measures[m.id] = {
        ...res,
        quick: args.quick,
        date: new Date().toISOString(),
        elapsedSeconds: Math.round((Date.now() - t0) / 1000),
        loadavg: [load0, loadavg()],
        versions: { node20: machine.node20, node24: machine.node24 },
      };
      writeFileSync(resultsFile, JSON.stringify(results, null, 1) + '\n');
    }
  } finally {
    killAll();
  }
  writeFileSync(reportFile, renderReport(results));
  progress(`wrote ${resultsFile} and ${reportFile}`);
  if (!args.keep) rmSync(work, { recursive: true, force: true });
  else progress(`kept ${work}`);
}

function load(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

main().catch((err) => {
  killAll();
  console.error(`bench: ${err.stack ?? err}`);
  process.exit(1);
});
