// supervisor.* process control: start/stop/signal for one process, a group, or all, and process info.
import type { ProcessView } from '../../supervision/control.js';
import { ProcessState, RUNNING_STATES, SIGNALLABLE_STATES, STOPPED_STATES } from '../../supervision/states.js';
import { Faults, RpcFault, faultName } from '../faults.js';
import { parseSignal } from '../signals.js';
import type { XmlRpcStruct, XmlRpcValue } from '../xmlrpc-values.js';
import { allByPriority, allLexical, byPriority, makeNamespec, resolveName, resolveProcess } from './names.js';
import { processInfo } from './process-info.js';
import { toFault, type MethodSpec, type RpcContext } from './registry.js';
import { startStopReports } from './stop-report.js';
import { KEEP_WAITING, waitForProcess } from './wait.js';

type Result = XmlRpcValue | Promise<XmlRpcValue>;

/** Fault details supervisord gives as the requested name (engine messages are used for the others). */
const NAME_DETAIL = new Set(['ALREADY_STARTED', 'NOT_RUNNING', 'BAD_NAME', 'SPAWN_ERROR', 'ABNORMAL_TERMINATION']);

function controlFault(err: unknown, namespec: string): unknown {
  const fault = toFault(err);
  if (fault === null) return err;
  return NAME_DETAIL.has(faultName(fault.code)) ? new RpcFault(fault.code, namespec) : fault;
}

/**
 * supervisord's make_allfunc: apply `op` to each process passing `predicate`. Results of operations that
 * finish at once come first (in order), then deferred ones in completion order.
 */
async function applyAll(
  processes: readonly ProcessView[],
  predicate: (p: ProcessView) => boolean,
  op: (namespec: string) => Result,
): Promise<XmlRpcStruct[]> {
  const results: XmlRpcStruct[] = [];
  const pending: Promise<void>[] = [];
  const push = (p: ProcessView, err: unknown): void => {
    if (err === undefined) {
      results.push({ name: p.name, group: p.group, status: Faults.SUCCESS, description: 'OK' });
      return;
    }
    const fault = err instanceof RpcFault ? err : (toFault(err) ?? new RpcFault('FAILED', String(err)));
    results.push({ name: p.name, group: p.group, status: fault.code, description: fault.text });
  };
  for (const p of processes) {
    if (!predicate(p)) continue;
    let r: Result;
    try {
      r = op(makeNamespec(p.group, p.name));
    } catch (err) {
      push(p, err);
      continue;
    }
    if (r instanceof Promise) {
      pending.push(
        r.then(
          () => push(p, undefined),
          (err: unknown) => push(p, err),
        ),
      );
    } else {
      push(p, undefined);
    }
  }
  await Promise.all(pending);
  return results;
}

const isRunning = (p: ProcessView): boolean => RUNNING_STATES.has(p.state);
const isNotRunning = (p: ProcessView): boolean => !isRunning(p);
const isSignallable = (p: ProcessView): boolean => SIGNALLABLE_STATES.has(p.state);

export function processMethods(ctx: RpcContext): [string, MethodSpec][] {
  const { control } = ctx;

  function startOne(namespec: string, wait: boolean): Result {
    const { group, process } = resolveName(control, namespec);
    if (process === null) return startGroup(group.name, wait);
    try {
      control.startProcess(process.group, process.name);
    } catch (err) {
      throw controlFault(err, namespec);
    }
    const now = control.process(process.group, process.name);
    if (now?.spawnerr) throw new RpcFault('SPAWN_ERROR', namespec);
    if (!wait || now?.state === ProcessState.RUNNING) return true;
    const startsecs = process.config.startsecs;
    return waitForProcess(
      control,
      process.group,
      process.name,
      (view) => {
        if (!view) return { error: new RpcFault('ABNORMAL_TERMINATION', namespec) };
        if (view.spawnerr) return { error: new RpcFault('SPAWN_ERROR', namespec) };
        if (view.state === ProcessState.RUNNING) return { value: true };
        if (view.state !== ProcessState.STARTING) return { error: new RpcFault('ABNORMAL_TERMINATION', namespec) };
        return KEEP_WAITING;
      },
      startsecs * 1000 + 1000,
    );
  }

  function startGroup(name: string, wait: boolean): Promise<XmlRpcStruct[]> {
    const group = control.group(name);
    if (!group) throw new RpcFault('BAD_NAME', name);
    return applyAll(byPriority(group.processes), isNotRunning, (ns) => startOne(ns, wait));
  }

  function stopOne(namespec: string, wait: boolean): Result {
    const { group, process } = resolveName(control, namespec);
    if (process === null) return stopGroup(group.name, wait);
    if (!RUNNING_STATES.has(process.state)) throw new RpcFault('NOT_RUNNING', namespec);
    try {
      control.stopProcess(process.group, process.name);
    } catch (err) {
      throw controlFault(err, namespec);
    }
    const now = control.process(process.group, process.name);
    if (!wait || !now || STOPPED_STATES.has(now.state)) return true;
    const stopReports = startStopReports(control, process.group, process.name);
    return waitForProcess(
      control,
      process.group,
      process.name,
      (view) => (!view || STOPPED_STATES.has(view.state) ? { value: true } : KEEP_WAITING),
      process.config.stopwaitsecs * 1000 + 1000,
    ).finally(stopReports);
  }

  function stopGroup(name: string, wait: boolean): Promise<XmlRpcStruct[]> {
    const group = control.group(name);
    if (!group) throw new RpcFault('BAD_NAME', name);
    return applyAll(byPriority(group.processes), isRunning, (ns) => stopOne(ns, wait));
  }

  function signalOne(namespec: string, signal: string | number): Result {
    const { group, process } = resolveName(control, namespec);
    if (process === null) return signalGroup(group.name, signal);
    const sig = parseSignal(signal);
    if (sig === null) throw new RpcFault('BAD_SIGNAL', signal);
    if (!SIGNALLABLE_STATES.has(process.state)) throw new RpcFault('NOT_RUNNING', namespec);
    try {
      control.signalProcess(process.group, process.name, sig);
    } catch (err) {
      throw controlFault(err, namespec);
    }
    return true;
  }

  function signalGroup(name: string, signal: string | number): Promise<XmlRpcStruct[]> {
    const group = control.group(name);
    if (!group) throw new RpcFault('BAD_NAME', name);
    return applyAll(byPriority(group.processes), isSignallable, (ns) => signalOne(ns, signal));
  }

  const nameParam = { name: 'name', type: 'string' } as const;
  const waitParam = { name: 'wait', type: 'boolean', default: true } as const;
  const signalParam = { name: 'signal', type: 'signal' } as const;

  return [
    [
      'supervisor.startProcess',
      {
        params: [nameParam, waitParam],
        returns: 'boolean',
        help:
          'Start a process\n\n@param string name Process name (or ``group:name``, or ``group:*``)\n' +
          '@param boolean wait Wait for process to be fully started\n@return boolean result Always true unless error',
        gated: true,
        call: ([name, wait]) => startOne(name as string, wait as boolean),
      },
    ],
    [
      'supervisor.startProcessGroup',
      {
        params: [nameParam, waitParam],
        returns: 'array',
        help:
          "Start all processes in the group named 'name'\n\n@param string name The group name\n" +
          '@param boolean wait Wait for each process to be fully started\n@return array result An array of process status info structs',
        gated: true,
        call: ([name, wait]) => startGroup(name as string, wait as boolean),
      },
    ],
    [
      'supervisor.startAllProcesses',
      {
        params: [waitParam],
        returns: 'array',
        help:
          'Start all processes listed in the configuration file\n\n@param boolean wait Wait for each process to be fully started\n' +
          '@return array result An array of process status info structs',
        gated: true,
        call: ([wait]) => applyAll(allByPriority(control), isNotRunning, (ns) => startOne(ns, wait as boolean)),
      },
    ],
    [
      'supervisor.stopProcess',
      {
        params: [nameParam, waitParam],
        returns: 'boolean',
        help:
          "Stop a process named by name\n\n@param string name The name of the process to stop (or 'group:name')\n" +
          '@param boolean wait Wait for the process to be fully stopped\n@return boolean result Always return True unless error',
        gated: true,
        call: ([name, wait]) => stopOne(name as string, wait as boolean),
      },
    ],
    [
      'supervisor.stopProcessGroup',
      {
        params: [nameParam, waitParam],
        returns: 'array',
        help:
          "Stop all processes in the process group named 'name'\n\n@param string name The group name\n" +
          '@param boolean wait Wait for each process to be fully stopped\n@return array result An array of process status info structs',
        gated: true,
        call: ([name, wait]) => stopGroup(name as string, wait as boolean),
      },
    ],
    [
      'supervisor.stopAllProcesses',
      {
        params: [waitParam],
        returns: 'array',
        help:
          'Stop all processes in the process list\n\n@param boolean wait Wait for each process to be fully stopped\n' +
          '@return array result An array of process status info structs',
        gated: true,
        call: ([wait]) => applyAll(allByPriority(control), isRunning, (ns) => stopOne(ns, wait as boolean)),
      },
    ],
    [
      'supervisor.signalProcess',
      {
        params: [nameParam, signalParam],
        returns: 'boolean',
        help:
          "Send an arbitrary UNIX signal to the process named by name\n\n@param string name Name of the process to signal (or 'group:name')\n" +
          "@param string signal Signal to send, as name ('HUP') or number ('1')\n@return boolean",
        gated: true,
        call: ([name, signal]) => signalOne(name as string, signal as string | number),
      },
    ],
    [
      'supervisor.signalProcessGroup',
      {
        params: [nameParam, signalParam],
        returns: 'array',
        help:
          "Send a signal to all processes in the group named 'name'\n\n@param string name The group name\n" +
          "@param string signal Signal to send, as name ('HUP') or number ('1')\n@return array",
        gated: true,
        call: ([name, signal]) => signalGroup(name as string, signal as string | number),
      },
    ],
    [
      'supervisor.signalAllProcesses',
      {
        params: [signalParam],
        returns: 'array',
        help:
          "Send a signal to all processes in the process list\n\n@param string signal Signal to send, as name ('HUP') or number ('1')\n" +
          '@return array An array of process status info structs',
        gated: true,
        call: ([signal]) => applyAll(allByPriority(control), isSignallable, (ns) => signalOne(ns, signal as string | number)),
      },
    ],
    [
      'supervisor.getProcessInfo',
      {
        params: [nameParam],
        returns: 'struct',
        help:
          "Get info about a process named name\n\n@param string name The name of the process (or 'group:name')\n" +
          '@return struct result A structure containing data about the process',
        gated: true,
        call: ([name]) => processInfo(resolveProcess(control, name as string), ctx.now()),
      },
    ],
    [
      'supervisor.getAllProcessInfo',
      {
        params: [],
        returns: 'array',
        help: 'Get info about all processes\n\n@return array result An array of process status results',
        gated: true,
        call: () => {
          const now = ctx.now();
          return allLexical(control).map((p) => processInfo(p, now));
        },
      },
    ],
  ];
}
