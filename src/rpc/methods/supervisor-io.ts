// supervisor.* messaging: stdin of a process and remote communication events.
import { ProcessState } from '../../supervision/states.js';
import { Faults, RpcFault } from '../faults.js';
import { resolveProcess } from './names.js';
import { toFault, type MethodSpec, type RpcContext } from './registry.js';

export function ioMethods(ctx: RpcContext): [string, MethodSpec][] {
  const { control } = ctx;
  return [
    [
      'supervisor.sendProcessStdin',
      {
        params: [
          { name: 'name', type: 'string' },
          { name: 'chars', type: 'any' },
        ],
        returns: 'boolean',
        help:
          "Send a string of chars to the stdin of the process name (UTF-8 encoded).\n\n@param string name The process name to send to (or 'group:name')\n" +
          '@param string chars The character data to send to the process\n@return boolean result Always return True unless error',
        gated: true,
        call: ([name, chars]) => {
          let data: Buffer;
          if (typeof chars === 'string') data = Buffer.from(chars, 'utf8');
          else if (Buffer.isBuffer(chars)) data = chars;
          else throw new RpcFault('INCORRECT_PARAMETERS', typeof chars === 'number' || typeof chars === 'boolean' ? String(chars) : undefined);
          const namespec = name as string;
          const process = resolveProcess(control, namespec);
          if (!process.pid || process.state === ProcessState.STOPPING) throw new RpcFault('NOT_RUNNING', namespec);
          try {
            control.writeStdin(process.group, process.name, data);
          } catch (err) {
            const fault = toFault(err);
            if (fault === null) throw err;
            if (fault.code === Faults.NOT_RUNNING || fault.code === Faults.NO_FILE) throw new RpcFault(fault.code, namespec);
            throw fault;
          }
          return true;
        },
      },
    ],
    [
      'supervisor.sendRemoteCommEvent',
      {
        params: [
          { name: 'type', type: 'string' },
          { name: 'data', type: 'string' },
        ],
        returns: 'boolean',
        help:
          'Send an event that will be received by event listener subprocesses subscribing to the RemoteCommunicationEvent.\n\n' +
          '@param string type String for the "type" key in the event header\n@param string data Data for the event body\n' +
          '@return boolean Always return True unless error',
        gated: false,
        call: ([type, data]) => {
          control.events.publish({ kind: 'remote-communication', type: type as string, data: data as string });
          return true;
        },
      },
    ],
  ];
}
