// avail, reread, update, add, remove, shutdown, reload, version, open.
import { Faults } from '../../rpc/faults.js';
import type { XmlRpcStruct, XmlRpcValue } from '../../rpc/xmlrpc-values.js';
import { Exit, type Controller } from '../controller.js';
import { availLine, changeLines } from '../format.js';
import { ConnectionError, RpcFaultError } from '../rpc-client.js';
import { doStatus } from './process.js';

function words(arg: string): string[] {
  return arg.split(/\s+/).filter(Boolean);
}

function noArgs(ctl: Controller, cmd: string, arg: string): boolean {
  if (arg === '') return true;
  ctl.output(`Error: ${cmd} accepts no arguments`);
  ctl.exitstatus = Exit.GENERIC;
  ctl.help(cmd);
  return false;
}

function names(v: XmlRpcValue | undefined): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** reloadConfig's `[[added, changed, removed]]`. */
function changes(result: XmlRpcValue): [string[], string[], string[]] {
  const first = Array.isArray(result) ? result[0] : undefined;
  const triple = Array.isArray(first) ? first : [];
  return [names(triple[0]), names(triple[1]), names(triple[2])];
}

export async function doAvail(ctl: Controller, arg: string): Promise<void> {
  if (!noArgs(ctl, 'avail', arg)) return;
  try {
    const infos = await ctl.client.call('supervisor.getAllConfigInfo');
    for (const info of Array.isArray(infos) ? (infos as XmlRpcStruct[]) : []) ctl.output(availLine(info));
  } catch (err) {
    if (err instanceof RpcFaultError && err.faultCode === Faults.SHUTDOWN_STATE) {
      ctl.exitstatus = Exit.GENERIC;
      ctl.output('ERROR: supervisor shutting down');
    } else {
      throw err;
    }
  }
}

export async function doReread(ctl: Controller, arg: string): Promise<void> {
  if (!noArgs(ctl, 'reread', arg)) return;
  let result: XmlRpcValue;
  try {
    result = await ctl.client.call('supervisor.reloadConfig');
  } catch (err) {
    if (!(err instanceof RpcFaultError)) throw err;
    ctl.exitstatus = Exit.GENERIC;
    if (err.faultCode === Faults.SHUTDOWN_STATE) ctl.output('ERROR: supervisor shutting down');
    else if (err.faultCode === Faults.CANT_REREAD) ctl.output(`ERROR: ${err.faultString}`);
    else throw err;
    return;
  }
  for (const line of changeLines(...changes(result))) ctl.output(line);
}

export async function doAdd(ctl: Controller, arg: string): Promise<void> {
  for (const name of words(arg)) {
    try {
      await ctl.client.call('supervisor.addProcessGroup', name);
      ctl.output(`${name}: added process group`);
    } catch (err) {
      if (!(err instanceof RpcFaultError)) {
        ctl.exitstatus = Exit.GENERIC;
        throw err;
      }
      if (err.faultCode === Faults.SHUTDOWN_STATE) {
        ctl.output('ERROR: shutting down');
        ctl.exitstatus = Exit.GENERIC;
      } else if (err.faultCode === Faults.ALREADY_ADDED) {
        ctl.output('ERROR: process group already active');
      } else if (err.faultCode === Faults.BAD_NAME) {
        ctl.output(`ERROR: no such process/group: ${name}`);
        ctl.exitstatus = Exit.GENERIC;
      } else {
        ctl.exitstatus = Exit.GENERIC;
        throw err;
      }
    }
  }
}

export async function doRemove(ctl: Controller, arg: string): Promise<void> {
  for (const name of words(arg)) {
    try {
      await ctl.client.call('supervisor.removeProcessGroup', name);
      ctl.output(`${name}: removed process group`);
    } catch (err) {
      ctl.exitstatus = Exit.GENERIC;
      if (err instanceof RpcFaultError && err.faultCode === Faults.STILL_RUNNING) {
        ctl.output(`ERROR: process/group still running: ${name}`);
      } else if (err instanceof RpcFaultError && err.faultCode === Faults.BAD_NAME) {
        ctl.output(`ERROR: no such process/group: ${name}`);
      } else {
        throw err;
      }
    }
  }
}

export async function doUpdate(ctl: Controller, arg: string): Promise<void> {
  let result: XmlRpcValue;
  try {
    result = await ctl.client.call('supervisor.reloadConfig');
  } catch (err) {
    ctl.exitstatus = Exit.GENERIC;
    if (err instanceof RpcFaultError && err.faultCode === Faults.SHUTDOWN_STATE) {
      ctl.output('ERROR: already shutting down');
      return;
    }
    throw err;
  }
  const [added, changed, removed] = changes(result);
  let wanted = new Set(words(arg));
  if (wanted.has('all')) wanted = new Set();
  if (wanted.size > 0) {
    const groups = new Set<string>(added);
    const infos = await ctl.client.call('supervisor.getAllProcessInfo');
    for (const info of Array.isArray(infos) ? (infos as XmlRpcStruct[]) : []) groups.add(String(info['group']));
    for (const g of wanted) {
      if (!groups.has(g)) {
        ctl.output(`ERROR: no such group: ${g}`);
        ctl.exitstatus = Exit.GENERIC;
      }
    }
  }
  const selected = (g: string): boolean => wanted.size === 0 || wanted.has(g);
  for (const g of removed.filter(selected)) {
    const results = await ctl.client.call('supervisor.stopProcessGroup', g);
    ctl.output(`${g}: stopped`);
    const failed = (Array.isArray(results) ? (results as XmlRpcStruct[]) : []).some((r) => r['status'] === Faults.FAILED);
    if (failed) {
      ctl.output(`${g}: has problems; not removing`);
      ctl.exitstatus = Exit.GENERIC;
      continue;
    }
    await ctl.client.call('supervisor.removeProcessGroup', g);
    ctl.output(`${g}: removed process group`);
  }
  for (const g of changed.filter(selected)) {
    await ctl.client.call('supervisor.stopProcessGroup', g);
    ctl.output(`${g}: stopped`);
    await ctl.client.call('supervisor.removeProcessGroup', g);
    await ctl.client.call('supervisor.addProcessGroup', g);
    ctl.output(`${g}: updated process group`);
  }
  for (const g of added.filter(selected)) {
    await ctl.client.call('supervisor.addProcessGroup', g);
    ctl.output(`${g}: added process group`);
  }
}

async function confirm(ctl: Controller, question: string): Promise<boolean> {
  if (!ctl.interactive) return true;
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: ctl.io.stdin, output: process.stdout, terminal: false });
  try {
    const answer = await rl.question(question);
    return answer.toLowerCase().startsWith('y');
  } finally {
    rl.close();
  }
}

export async function doShutdown(ctl: Controller, arg: string): Promise<void> {
  if (!noArgs(ctl, 'shutdown', arg)) return;
  if (!(await confirm(ctl, 'Really shut the remote supervisord process down y/N? '))) return;
  try {
    await ctl.client.call('supervisor.shutdown');
    ctl.output('Shut down');
  } catch (err) {
    if (err instanceof RpcFaultError && err.faultCode === Faults.SHUTDOWN_STATE) {
      ctl.output('ERROR: already shutting down');
      return;
    }
    ctl.exitstatus = Exit.GENERIC;
    if (err instanceof ConnectionError && err.code === 'ECONNREFUSED') {
      ctl.output(`ERROR: ${ctl.server.serverurl} refused connection (already shut down?)`);
    } else if (err instanceof ConnectionError && err.code === 'ENOENT') {
      ctl.output(`ERROR: ${ctl.server.serverurl} no such file (already shut down?)`);
    } else {
      throw err;
    }
  }
}

export async function doReload(ctl: Controller, arg: string): Promise<void> {
  if (!noArgs(ctl, 'reload', arg)) return;
  if (!(await confirm(ctl, 'Really restart the remote supervisord process y/N? '))) return;
  try {
    await ctl.client.call('supervisor.restart');
    ctl.output('Restarted supervisord');
  } catch (err) {
    ctl.exitstatus = Exit.GENERIC;
    if (err instanceof RpcFaultError && err.faultCode === Faults.SHUTDOWN_STATE) ctl.output('ERROR: already shutting down');
    else throw err;
  }
}

export async function doVersion(ctl: Controller, arg: string): Promise<void> {
  if (!noArgs(ctl, 'version', arg)) return;
  if (!(await ctl.upcheck())) return;
  ctl.output(String(await ctl.client.call('supervisor.getSupervisorVersion')));
}

export async function doOpen(ctl: Controller, arg: string): Promise<void> {
  const url = arg.trim();
  if (!/^(unix|http):/.test(url)) {
    ctl.output('ERROR: url must be http:// or unix://');
    ctl.exitstatus = Exit.GENERIC;
    return;
  }
  ctl.reconnect(url);
  const saved = ctl.exitstatus;
  await doStatus(ctl, '');
  ctl.exitstatus = saved;
}
