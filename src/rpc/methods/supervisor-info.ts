// supervisor.* identity, state and main-log methods, and shutdown/restart.
import { existsSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { SupervisorMood } from '../../supervision/states.js';
import { RpcFault } from '../faults.js';
import { LogReadError, readLogFile } from './log-files.js';
import type { MethodSpec, RpcContext } from './registry.js';

export const API_VERSION = '3.0';
export const SUPERVISOR_VERSION = '4.2.5';

function mainLogfile(ctx: RpcContext): string | null {
  return ctx.control.mainLogfile ?? ctx.mainLog.path;
}

export function infoMethods(ctx: RpcContext): [string, MethodSpec][] {
  const apiVersion: MethodSpec = {
    params: [],
    returns: 'string',
    help: 'Return the version of the RPC API used by supervisord\n\n@return string version version id',
    gated: true,
    call: () => API_VERSION,
  };
  const readLog: MethodSpec = {
    params: [
      { name: 'offset', type: 'int' },
      { name: 'length', type: 'int' },
    ],
    returns: 'string',
    help:
      'Read length bytes from the main log starting at offset\n\n' +
      '@param int offset offset to start reading from.\n@param int length number of bytes to read from the log.\n' +
      '@return string result Bytes of log',
    gated: true,
    call: async ([offset, length]) => {
      const file = mainLogfile(ctx);
      if (file === null || !existsSync(file)) throw new RpcFault('NO_FILE', file);
      try {
        return await readLogFile(file, offset as number, length as number);
      } catch (err) {
        if (err instanceof LogReadError) throw new RpcFault(err.why);
        throw err;
      }
    },
  };
  return [
    ['supervisor.getAPIVersion', apiVersion],
    ['supervisor.getVersion', apiVersion],
    [
      'supervisor.getSupervisorVersion',
      {
        params: [],
        returns: 'string',
        help: 'Return the version of the supervisor package in use by supervisord\n\n@return string version version id',
        gated: true,
        call: () => SUPERVISOR_VERSION,
      },
    ],
    [
      'supervisor.getIdentification',
      {
        params: [],
        returns: 'string',
        help: 'Return identifying string of supervisord\n\n@return string identifier identifying string',
        gated: true,
        call: () => ctx.control.config.supervisord.identifier,
      },
    ],
    [
      'supervisor.getState',
      {
        params: [],
        returns: 'struct',
        help: 'Return current state of supervisord as a struct\n\n@return struct A struct with keys int statecode, string statename',
        gated: true,
        call: () => {
          const mood = ctx.control.mood;
          return { statecode: mood, statename: SupervisorMood[mood] ?? 'UNKNOWN' };
        },
      },
    ],
    [
      'supervisor.getPID',
      {
        params: [],
        returns: 'int',
        help: 'Return the PID of supervisord\n\n@return int PID',
        gated: true,
        call: () => ctx.control.pid,
      },
    ],
    ['supervisor.readLog', readLog],
    ['supervisor.readMainLog', readLog],
    [
      'supervisor.clearLog',
      {
        params: [],
        returns: 'boolean',
        help: 'Clear the main log.\n\n@return boolean result always returns True unless error',
        gated: true,
        call: async () => {
          const file = mainLogfile(ctx);
          if (file === null || !existsSync(file)) throw new RpcFault('NO_FILE');
          try {
            await unlink(file);
          } catch {
            throw new RpcFault('FAILED');
          }
          ctx.mainLog.info('reopening log file');
          ctx.mainLog.reopen();
          return true;
        },
      },
    ],
    [
      'supervisor.shutdown',
      {
        params: [],
        returns: 'boolean',
        help: 'Shut down the supervisor process\n\n@return boolean result always returns True unless error',
        gated: true,
        call: () => {
          // supervisord logs nothing at INFO here (only its state changes follow): DEBUG, so the log matches it
          ctx.mainLog.debug('shutdown requested over XML-RPC');
          ctx.afterResponse(() => ctx.control.shutdown(''));
          return true;
        },
      },
    ],
    [
      'supervisor.restart',
      {
        params: [],
        returns: 'boolean',
        help: 'Restart the supervisor process\n\n@return boolean result always return True unless error',
        gated: true,
        call: () => {
          ctx.afterResponse(() => ctx.control.restart());
          return true;
        },
      },
    ],
  ];
}
