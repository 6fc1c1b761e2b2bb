// status, start, stop, restart, signal, pid.
import { Faults } from '../../rpc/faults.js';
import { makeNamespec, splitNamespec } from '../../rpc/methods/names.js';
import type { XmlRpcStruct, XmlRpcValue } from '../../rpc/xmlrpc-values.js';
import { Exit, type Controller } from '../controller.js';
import { asResult, signalResult, startResult, statusLines, stopResult, type ResultStruct } from '../format.js';
import { RpcFaultError } from '../rpc-client.js';

const STOPPED_STATES = new Set([0, 100, 200, 1000]);

function words(arg: string): string[] {
  return arg.split(/\s+/).filter(Boolean);
}

function structs(v: XmlRpcValue): XmlRpcStruct[] {
  return Array.isArray(v) ? (v as XmlRpcStruct[]) : [];
}

function faultResult(err: RpcFaultError, name: string): ResultStruct {
  const { group, process } = splitNamespec(name);
  return { status: err.faultCode, name: process ?? '', group, description: err.faultString };
}

export async function doStatus(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) {
    ctl.exitstatus = Exit.STATUS_UNKNOWN;
    return;
  }
  const all = structs(await ctl.client.call('supervisor.getAllProcessInfo'));
  const names = words(arg);
  let matching: XmlRpcStruct[];
  if (names.length === 0 || names.includes('all')) {
    matching = all;
  } else {
    matching = [];
    for (const name of names) {
      const { group, process } = splitNamespec(name);
      const found = all.filter((i) => i['group'] === group && (process === null || i['name'] === process));
      if (found.length === 0) {
        ctl.output(process === null ? `${group}: ERROR (no such group)` : `${name}: ERROR (no such process)`);
        ctl.exitstatus = Exit.STATUS_UNKNOWN;
      }
      matching.push(...found);
    }
  }
  for (const line of statusLines(matching)) ctl.output(line);
  for (const info of matching) {
    if (STOPPED_STATES.has(Number(info['state']))) ctl.exitstatus = Exit.STATUS_NOT_RUNNING;
  }
}

export async function doStart(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (names.length === 0) {
    ctl.output('Error: start requires a process name');
    ctl.exitstatus = Exit.INVALID_ARGS;
    ctl.help('start');
    return;
  }
  const report = (results: XmlRpcValue): void => {
    for (const r of structs(results).map(asResult)) {
      ctl.output(startResult(r));
      ctl.setExitstatusFromFault(r.status, Faults.ALREADY_STARTED);
    }
  };
  if (names.includes('all')) {
    report(await ctl.client.call('supervisor.startAllProcesses'));
    return;
  }
  for (const name of names) {
    const { group, process } = splitNamespec(name);
    if (process === null) {
      try {
        report(await ctl.client.call('supervisor.startProcessGroup', group));
      } catch (err) {
        if (err instanceof RpcFaultError && err.faultCode === Faults.BAD_NAME) {
          ctl.output(`${group}: ERROR (no such group)`);
          ctl.exitstatus = Exit.INVALID_ARGS;
        } else {
          ctl.exitstatus = Exit.GENERIC;
          throw err;
        }
      }
      continue;
    }
    try {
      await ctl.client.call('supervisor.startProcess', name);
      ctl.output(`${makeNamespec(group, process)}: started`);
    } catch (err) {
      if (!(err instanceof RpcFaultError)) throw err;
      const r = faultResult(err, name);
      ctl.output(startResult(r));
      ctl.setExitstatusFromFault(r.status, Faults.ALREADY_STARTED);
    }
  }
}

export async function doStop(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (names.length === 0) {
    ctl.output('Error: stop requires a process name');
    ctl.exitstatus = Exit.GENERIC;
    ctl.help('stop');
    return;
  }
  const report = (results: XmlRpcValue): void => {
    for (const r of structs(results).map(asResult)) {
      ctl.output(stopResult(r));
      ctl.setExitstatusFromFault(r.status, Faults.NOT_RUNNING);
    }
  };
  if (names.includes('all')) {
    report(await ctl.client.call('supervisor.stopAllProcesses'));
    return;
  }
  for (const name of names) {
    const { group, process } = splitNamespec(name);
    if (process === null) {
      try {
        report(await ctl.client.call('supervisor.stopProcessGroup', group));
      } catch (err) {
        ctl.exitstatus = Exit.GENERIC;
        if (err instanceof RpcFaultError && err.faultCode === Faults.BAD_NAME) ctl.output(`${group}: ERROR (no such group)`);
        else throw err;
      }
      continue;
    }
    try {
      await ctl.client.call('supervisor.stopProcess', name);
      ctl.output(`${makeNamespec(group, process)}: stopped`);
    } catch (err) {
      if (!(err instanceof RpcFaultError)) throw err;
      const r = faultResult(err, name);
      ctl.output(stopResult(r));
      ctl.setExitstatusFromFault(r.status, Faults.NOT_RUNNING);
    }
  }
}

export async function doRestart(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  if (words(arg).length === 0) {
    ctl.output('Error: restart requires a process name');
    ctl.exitstatus = Exit.GENERIC;
    ctl.help('restart');
    return;
  }
  await doStop(ctl, arg);
  await doStart(ctl, arg);
}

export async function doSignal(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const args = words(arg);
  if (args.length < 2) {
    ctl.output('Error: signal requires a signal name and a process name');
    ctl.help('signal');
    ctl.exitstatus = Exit.GENERIC;
    return;
  }
  const [sig, ...names] = args as [string, ...string[]];
  const report = (results: XmlRpcValue): void => {
    for (const r of structs(results).map(asResult)) {
      ctl.output(signalResult(r));
      ctl.setExitstatusFromFault(r.status);
    }
  };
  if (names.includes('all')) {
    report(await ctl.client.call('supervisor.signalAllProcesses', sig));
    return;
  }
  for (const name of names) {
    const { group, process } = splitNamespec(name);
    if (process === null) {
      try {
        report(await ctl.client.call('supervisor.signalProcessGroup', group, sig));
      } catch (err) {
        if (err instanceof RpcFaultError && err.faultCode === Faults.BAD_NAME) {
          ctl.output(`${group}: ERROR (no such group)`);
          ctl.exitstatus = Exit.GENERIC;
        } else {
          throw err;
        }
      }
      continue;
    }
    try {
      await ctl.client.call('supervisor.signalProcess', name, sig);
      ctl.output(`${makeNamespec(group, process)}: signalled`);
    } catch (err) {
      if (!(err instanceof RpcFaultError)) throw err;
      const r = faultResult(err, name);
      ctl.output(signalResult(r));
      ctl.setExitstatusFromFault(r.status);
    }
  }
}

export async function doPid(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (names.length === 0) {
    ctl.output(String(await ctl.client.call('supervisor.getPID')));
    return;
  }
  if (names.includes('all')) {
    for (const info of structs(await ctl.client.call('supervisor.getAllProcessInfo'))) ctl.output(String(info['pid']));
    return;
  }
  for (const name of names) {
    let info: XmlRpcValue;
    try {
      info = await ctl.client.call('supervisor.getProcessInfo', name);
    } catch (err) {
      ctl.exitstatus = Exit.GENERIC;
      if (err instanceof RpcFaultError && err.faultCode === Faults.BAD_NAME) {
        ctl.output(`No such process ${name}`);
        continue;
      }
      throw err;
    }
    const pid = Number((info as XmlRpcStruct)['pid'] ?? 0);
    ctl.output(String(pid));
    if (pid === 0) ctl.exitstatus = Exit.NOT_RUNNING;
  }
}
