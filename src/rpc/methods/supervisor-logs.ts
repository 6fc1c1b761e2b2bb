// supervisor.* process log files: read, tail and clear.
import { existsSync } from 'node:fs';
import type { ProcessView } from '../../supervision/control.js';
import { Faults, RpcFault } from '../faults.js';
import type { XmlRpcStruct } from '../xmlrpc-values.js';
import { LogReadError, readLogFile, tailLogFile } from './log-files.js';
import { allByPriority, makeNamespec, resolveProcess } from './names.js';
import { channelLogfile } from './process-info.js';
import { toFault, type MethodSpec, type RpcContext } from './registry.js';

type Channel = 'stdout' | 'stderr';

export function logMethods(ctx: RpcContext): [string, MethodSpec][] {
  const { control } = ctx;

  async function read(name: string, offset: number, length: number, channel: Channel): Promise<string> {
    const process = resolveProcess(control, name);
    const file = channelLogfile(process, channel);
    if (file === null || !existsSync(file)) throw new RpcFault('NO_FILE', file);
    try {
      return await readLogFile(file, offset, length);
    } catch (err) {
      if (err instanceof LogReadError) throw new RpcFault(err.why);
      throw err;
    }
  }

  async function tail(name: string, offset: number, length: number, channel: Channel): Promise<[string, number, boolean]> {
    const process = resolveProcess(control, name);
    const file = channelLogfile(process, channel);
    if (file === null || !existsSync(file)) return ['', 0, false];
    return tailLogFile(file, offset, length);
  }

  function clear(p: ProcessView, namespec: string): void {
    try {
      control.clearProcessLogs(p.group, p.name);
    } catch (err) {
      const fault = toFault(err);
      if (fault && fault.code === Faults.BAD_NAME) throw new RpcFault('BAD_NAME', namespec);
      throw new RpcFault('FAILED', namespec);
    }
  }

  const readParams = [
    { name: 'name', type: 'string' },
    { name: 'offset', type: 'int' },
    { name: 'length', type: 'int' },
  ] as const;
  const readSpec = (channel: Channel): MethodSpec => ({
    params: readParams,
    returns: 'string',
    help:
      `Read length bytes from name's ${channel} log starting at offset\n\n` +
      "@param string name the name of the process (or 'group:name')\n@param int offset offset to start reading from.\n" +
      '@param int length number of bytes to read from the log.\n@return string result Bytes of log',
    gated: true,
    call: ([name, offset, length]) => read(name as string, offset as number, length as number, channel),
  });
  const tailSpec = (channel: Channel): MethodSpec => ({
    params: readParams,
    returns: 'array',
    help:
      `Tail the (${channel}) log: return up to length bytes ending at the end of the log, the new offset and an ` +
      'overflow flag set when the log grew beyond offset + length.\n\n' +
      "@param string name the name of the process (or 'group:name')\n@param int offset offset to start reading from\n" +
      '@param int length maximum number of bytes to return\n@return array result [string bytes, int offset, bool overflow]',
    gated: true,
    call: ([name, offset, length]) => tail(name as string, offset as number, length as number, channel),
  });
  const clearSpec: MethodSpec = {
    params: [{ name: 'name', type: 'string' }],
    returns: 'boolean',
    help:
      "Clear the stdout and stderr logs for the named process and reopen them.\n\n@param string name The name of the process (or 'group:name')\n" +
      '@return boolean result Always True unless error',
    gated: true,
    call: ([name]) => {
      const process = resolveProcess(control, name as string);
      clear(process, name as string);
      return true;
    },
  };

  return [
    ['supervisor.readProcessStdoutLog', readSpec('stdout')],
    ['supervisor.readProcessLog', readSpec('stdout')],
    ['supervisor.readProcessStderrLog', readSpec('stderr')],
    ['supervisor.tailProcessStdoutLog', tailSpec('stdout')],
    ['supervisor.tailProcessLog', tailSpec('stdout')],
    ['supervisor.tailProcessStderrLog', tailSpec('stderr')],
    ['supervisor.clearProcessLogs', clearSpec],
    ['supervisor.clearProcessLog', clearSpec],
    [
      'supervisor.clearAllProcessLogs',
      {
        params: [],
        returns: 'array',
        help: 'Clear all process log files\n\n@return array result An array of process status info structs',
        gated: true,
        call: () => {
          const results: XmlRpcStruct[] = [];
          for (const p of allByPriority(control)) {
            const namespec = makeNamespec(p.group, p.name);
            try {
              clear(p, namespec);
              results.push({ name: p.name, group: p.group, status: Faults.SUCCESS, description: 'OK' });
            } catch (err) {
              const fault = err as RpcFault;
              results.push({ name: p.name, group: p.group, status: fault.code, description: fault.text });
            }
          }
          return results;
        },
      },
    ],
  ];
}
