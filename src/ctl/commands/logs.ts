// tail, maintail, clear, fg.
import { createInterface } from 'node:readline';
import { Faults } from '../../rpc/faults.js';
import { makeNamespec, splitNamespec } from '../../rpc/methods/names.js';
import type { XmlRpcStruct } from '../../rpc/xmlrpc-values.js';
import { Exit, type Controller } from '../controller.js';
import { asResult, clearResult } from '../format.js';
import { ConnectionError, RpcClient, RpcFaultError } from '../rpc-client.js';

const RUNNING = 20;

function words(arg: string): string[] {
  return arg.split(/\s+/).filter(Boolean);
}

/**
 * Stream GET `path` to stdout until Ctrl-C (or the server ends the stream). Errors are reported on stderr
 * as supervisorctl's HTTP client does: `<url> Cannot read, status code N` / `<url> Cannot connect, ...`.
 */
export async function streamPath(ctl: Controller, client: RpcClient, path: string, stop?: Promise<void>): Promise<void> {
  const url = `${ctl.server.serverurl}${path}`;
  let res;
  try {
    res = await client.get(path);
  } catch (err) {
    const why = err instanceof ConnectionError ? err.message : String(err);
    ctl.io.err(`${url} Cannot connect, error: ${why}\n`);
    return;
  }
  if (res.statusCode !== 200) {
    res.resume();
    ctl.io.err(`${url} Cannot read, status code ${res.statusCode}\n`);
    return;
  }
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      res.destroy();
      resolve();
    };
    res.on('data', (chunk: Buffer) => ctl.io.out(chunk.toString('utf8')));
    res.on('end', finish);
    res.on('error', finish);
    res.on('close', finish);
    void stop?.then(finish);
  });
}

/** Stream until Ctrl-C; prints the empty line supervisorctl prints on interrupt. */
async function tailf(ctl: Controller, path: string): Promise<void> {
  ctl.output('==> Press Ctrl-C to exit <==');
  let interrupted = false;
  let unregister: () => void = () => {};
  const stop = new Promise<void>((resolve) => {
    unregister = ctl.io.onInterrupt(() => {
      interrupted = true;
      resolve();
    });
  });
  try {
    await streamPath(ctl, ctl.client, path, stop);
  } finally {
    unregister();
  }
  if (interrupted) ctl.output('');
}

export async function doTail(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const args = words(arg);
  if (args.length < 1) {
    ctl.output('Error: too few arguments');
    ctl.exitstatus = Exit.GENERIC;
    ctl.help('tail');
    return;
  }
  if (args.length > 3) {
    ctl.output('Error: too many arguments');
    ctl.exitstatus = Exit.GENERIC;
    ctl.help('tail');
    return;
  }
  let modifier: string | null = null;
  if (args[0]!.startsWith('-')) modifier = args.shift()!;
  let name: string;
  let channel: string;
  if (args.length === 1) {
    name = args[0]!;
    channel = 'stdout';
  } else if (args.length > 0) {
    name = args[0]!;
    channel = args[args.length - 1]!.toLowerCase();
    if (channel !== 'stdout' && channel !== 'stderr') {
      ctl.output(`Error: bad channel '${channel}'`);
      ctl.exitstatus = Exit.GENERIC;
      return;
    }
  } else {
    ctl.output('Error: tail requires process name');
    ctl.exitstatus = Exit.GENERIC;
    return;
  }
  let bytes: number | null = 1600;
  if (modifier !== null) {
    const what = modifier.slice(1);
    if (what === 'f') bytes = null;
    else if (/^\s*[+-]?\d+\s*$/.test(what)) bytes = Number(what);
    else {
      ctl.output(`Error: bad argument ${modifier}`);
      ctl.exitstatus = Exit.GENERIC;
      return;
    }
  }
  if (bytes === null) {
    await tailf(ctl, `/logtail/${name}/${channel}`);
    return;
  }
  try {
    const method = channel === 'stdout' ? 'supervisor.readProcessStdoutLog' : 'supervisor.readProcessStderrLog';
    const output = await ctl.client.call(method, name, -bytes, 0);
    ctl.output(String(output));
  } catch (err) {
    if (!(err instanceof RpcFaultError)) throw err;
    ctl.exitstatus = Exit.GENERIC;
    if (err.faultCode === Faults.NO_FILE) ctl.output(`${name}: ERROR (no log file)`);
    else if (err.faultCode === Faults.FAILED) ctl.output(`${name}: ERROR (unknown error reading log)`);
    else if (err.faultCode === Faults.BAD_NAME) ctl.output(`${name}: ERROR (no such process name)`);
    else throw err;
  }
}

export async function doMaintail(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const args = words(arg);
  let bytes = 1600;
  if (args.length > 1) {
    ctl.output('Error: too many arguments');
    ctl.exitstatus = Exit.GENERIC;
    ctl.help('maintail');
    return;
  }
  if (args.length === 1) {
    const a = args[0]!;
    if (!a.startsWith('-')) {
      ctl.output(`Error: bad argument ${a}`);
      ctl.exitstatus = Exit.GENERIC;
      return;
    }
    const what = a.slice(1);
    if (what === 'f') {
      await tailf(ctl, '/mainlogtail');
      return;
    }
    if (!/^\s*[+-]?\d+\s*$/.test(what)) {
      ctl.output(`Error: bad argument ${a}`);
      ctl.exitstatus = Exit.GENERIC;
      return;
    }
    bytes = Number(what);
  }
  try {
    ctl.output(String(await ctl.client.call('supervisor.readLog', -bytes, 0)));
  } catch (err) {
    if (!(err instanceof RpcFaultError)) throw err;
    ctl.exitstatus = Exit.GENERIC;
    if (err.faultCode === Faults.NO_FILE) ctl.output('supervisord: ERROR (no log file)');
    else if (err.faultCode === Faults.FAILED) ctl.output('supervisord: ERROR (unknown error reading log)');
    else throw err;
  }
}

export async function doClear(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (names.length === 0) {
    ctl.output('Error: clear requires a process name');
    ctl.exitstatus = Exit.GENERIC;
    ctl.help('clear');
    return;
  }
  if (names.includes('all')) {
    const results = await ctl.client.call('supervisor.clearAllProcessLogs');
    for (const r of (Array.isArray(results) ? (results as XmlRpcStruct[]) : []).map(asResult)) {
      ctl.output(clearResult(r));
      ctl.setExitstatusFromFault(r.status);
    }
    return;
  }
  for (const name of names) {
    const { group, process } = splitNamespec(name);
    try {
      await ctl.client.call('supervisor.clearProcessLogs', name);
      ctl.output(`${makeNamespec(group, process ?? '')}: cleared`);
    } catch (err) {
      if (!(err instanceof RpcFaultError)) throw err;
      const r = { status: err.faultCode, name: process ?? '', group, description: err.faultString };
      ctl.output(clearResult(r));
      ctl.setExitstatusFromFault(r.status);
    }
  }
}

/** fg: relay the process's output and send stdin lines to it until Ctrl-C / EOF / the process dies. */
export async function doFg(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const names = words(arg);
  if (names.length === 0) {
    ctl.output('ERROR: no process name supplied');
    ctl.exitstatus = Exit.GENERIC;
    ctl.help('fg');
    return;
  }
  if (names.length > 1) {
    ctl.output('ERROR: too many process names supplied');
    ctl.exitstatus = Exit.GENERIC;
    return;
  }
  const name = names[0]!;
  let info: XmlRpcStruct;
  try {
    info = (await ctl.client.call('supervisor.getProcessInfo', name)) as XmlRpcStruct;
  } catch (err) {
    if (err instanceof RpcFaultError && err.faultCode === Faults.BAD_NAME) {
      ctl.output('ERROR: bad process name supplied');
      ctl.exitstatus = Exit.GENERIC;
    } else if (err instanceof RpcFaultError) {
      ctl.output(`ERROR: ${err.message}`);
    } else {
      throw err;
    }
    return;
  }
  if (info['state'] !== RUNNING) {
    ctl.output('ERROR: process not running');
    ctl.exitstatus = Exit.GENERIC;
    return;
  }
  ctl.output('==> Press Ctrl-C to exit <==');
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const unregister = ctl.io.onInterrupt(() => {
    ctl.output('Exiting foreground');
    finish();
  });
  // separate connections for the two streams and for the calls
  const outClient = new RpcClient(ctl.server);
  const errClient = new RpcClient(ctl.server);
  void streamPath(ctl, outClient, `/logtail/${name}/stdout`, finished);
  void streamPath(ctl, errClient, `/logtail/${name}/stderr`, finished);
  const rl = createInterface({ input: ctl.io.stdin, terminal: false });
  const lines = (async () => {
    for await (const line of rl) {
      try {
        await ctl.client.call('supervisor.sendProcessStdin', name, `${line}\n`);
      } catch (err) {
        if (err instanceof RpcFaultError && err.faultCode === Faults.NOT_RUNNING) ctl.output('Process got killed');
        else ctl.output(`ERROR: ${err instanceof Error ? err.message : String(err)}`);
        ctl.output('Exiting foreground');
        return;
      }
      const now = (await ctl.client.call('supervisor.getProcessInfo', name)) as XmlRpcStruct;
      if (now['state'] !== RUNNING) {
        ctl.output('Process got killed');
        ctl.output('Exiting foreground');
        return;
      }
    }
    ctl.output('Exiting foreground');
  })();
  await Promise.race([lines, finished]);
  unregister();
  rl.close();
  finish();
  outClient.close();
  errClient.close();
}
