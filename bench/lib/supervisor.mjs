// Starting a supervisor under trun (as PID 1 of a new PID namespace, like a container's init), finding its
// host pid, signalling it, and waiting for its exit. Every started run is remembered so an interrupted
// bench kills what it started (SIGKILL to a namespace's init takes the whole namespace down).
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { shq } from './variants.mjs';
import { monoNs, stampLine, waitFor } from './wait.mjs';

const live = new Set();

/**
 * argv: the supervisor command. opts.stdoutTo: a shell command reading the supervisor's stdout through a
 * real pipe (default: /dev/null). Returns a handle once trun has reported the pid.
 */
export async function startSupervisor(bin, dir, argv, { pid1 = true, stdoutTo } = {}) {
  const trunOut = path.join(dir, 'trun.out');
  const trunArgv = [bin.trun, trunOut, ...(pid1 ? ['--pid1'] : []), '--', ...argv];
  const errFd = openSync(path.join(dir, 'stderr.txt'), 'a');
  let proc;
  if (stdoutTo) {
    const line = `${trunArgv.map(shq).join(' ')} | ${stdoutTo}`;
    proc = spawn('/bin/sh', ['-c', line], { stdio: ['ignore', 'ignore', errFd], cwd: dir });
  } else {
    proc = spawn(trunArgv[0], trunArgv.slice(1), { stdio: ['ignore', 'ignore', errFd], cwd: dir });
  }
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const h = { proc, dir, trunOut, exited, pid: 0, execNs: 0n };
  live.add(h);
  exited.then(() => live.delete(h));
  const pidLine = await waitFor(() => stampLine(trunOut, 'pid'), { timeoutMs: 10000, what: 'trun pid' });
  const execLine = await waitFor(() => stampLine(trunOut, 'exec'), { timeoutMs: 10000, what: 'trun exec' });
  h.pid = Number(pidLine[1]);
  h.execNs = BigInt(execLine[1]);
  return h;
}

/** SIGTERM; resolves with { termNs, exitNs, status } once trun saw the supervisor exit (SIGKILL after timeoutMs). */
export async function stopSupervisor(h, { timeoutMs = 30000, signal = 'SIGTERM' } = {}) {
  const termNs = monoNs();
  try {
    process.kill(h.pid, signal);
  } catch {
    /* already gone */
  }
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    kill(h);
  }, timeoutMs);
  await h.exited;
  clearTimeout(timer);
  const exitLine = stampLine(h.trunOut, 'exit');
  return { termNs, exitNs: exitLine ? BigInt(exitLine[1]) : null, status: exitLine ? Number(exitLine[2]) : null, killed };
}

export function kill(h) {
  try {
    process.kill(h.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

export function killAll() {
  for (const h of live) kill(h);
}
