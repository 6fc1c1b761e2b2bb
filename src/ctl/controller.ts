// supervisorctl's Controller: runs one command line, maps transport errors to supervisorctl's messages and
// keeps the LSB exit status (spec §8.2).
import { Faults } from '../rpc/faults.js';
import { pyRepr } from '../common/python-repr.js';
import { HELP, helpOverview } from './help.js';
import { ConnectionError, ProtocolError, RpcClient, RpcFaultError } from './rpc-client.js';

export const Exit = {
  SUCCESS: 0,
  GENERIC: 1,
  INVALID_ARGS: 2,
  UNIMPLEMENTED_FEATURE: 3,
  INSUFFICIENT_PRIVILEGES: 4,
  NOT_INSTALLED: 5,
  NOT_RUNNING: 7,
  /** status: a listed process is not running */
  STATUS_NOT_RUNNING: 3,
  /** status: unknown name / no server */
  STATUS_UNKNOWN: 4,
} as const;

export const DEAD_PROGRAM_FAULTS: ReadonlySet<number> = new Set([
  Faults.SPAWN_ERROR,
  Faults.ABNORMAL_TERMINATION,
  Faults.NOT_RUNNING,
]);

export interface CtlIo {
  /** Raw write to standard output. */
  out(text: string): void;
  /** Raw write to standard error. */
  err(text: string): void;
  readonly stdin: NodeJS.ReadableStream;
  /** Run `fn` on Ctrl-C while a streaming command runs; returns the function that unregisters it. */
  onInterrupt(fn: () => void): () => void;
}

export interface ServerSettings {
  serverurl: string;
  username: string | null;
  password: string | null;
}

export type CommandFn = (ctl: Controller, arg: string) => Promise<void>;

/** Python-style names of connection errors, for `error: <class ...>, ...` lines. */
function describeConnectionError(err: ConnectionError): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return "<class 'ConnectionRefusedError'>, [Errno 111] Connection refused";
    case 'ENOENT':
      return "<class 'FileNotFoundError'>, [Errno 2] No such file or directory";
    case 'EACCES':
      return "<class 'PermissionError'>, [Errno 13] Permission denied";
    default:
      return `<class 'OSError'>, ${err.code}: ${err.message}`;
  }
}

export class Controller {
  exitstatus: number = Exit.SUCCESS;
  client: RpcClient;

  constructor(
    readonly server: ServerSettings,
    readonly io: CtlIo,
    readonly commands: ReadonlyMap<string, CommandFn>,
    readonly interactive: boolean,
  ) {
    this.client = new RpcClient(server);
  }

  output(message: string): void {
    this.io.out(`${message}\n`);
  }

  help(topic: string): void {
    const text = HELP[topic];
    if (text === undefined) this.output(`*** No help on ${topic}`);
    else this.output(text);
  }

  /** Switch to another server (the `open` command). */
  reconnect(serverurl: string): void {
    this.client.close();
    this.server.serverurl = serverurl;
    this.client = new RpcClient(this.server);
  }

  setExitstatusFromFault(code: number, ignored?: number): void {
    if (code === ignored || code === Faults.SUCCESS) return;
    this.exitstatus = DEAD_PROGRAM_FAULTS.has(code) ? Exit.NOT_RUNNING : Exit.GENERIC;
  }

  /** supervisorctl's upcheck: supervisor.getVersion() must answer "3.0". */
  async upcheck(): Promise<boolean> {
    try {
      const api = await this.client.call('supervisor.getVersion');
      if (api !== '3.0') {
        this.output(
          'Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, ' +
            `but the remote version is ${String(api)}.`,
        );
        this.exitstatus = Exit.NOT_INSTALLED;
        return false;
      }
    } catch (err) {
      if (err instanceof RpcFaultError && err.faultCode === Faults.UNKNOWN_METHOD) {
        this.output(
          'Sorry, supervisord responded but did not recognize the supervisor namespace commands that ' +
            'supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section is enabled ' +
            'in the configuration file (see sample.conf).',
        );
        this.exitstatus = Exit.UNIMPLEMENTED_FEATURE;
        return false;
      }
      if (err instanceof ConnectionError && err.code === 'ECONNREFUSED') {
        this.output(`${this.server.serverurl} refused connection`);
        this.exitstatus = Exit.INSUFFICIENT_PRIVILEGES;
        return false;
      }
      if (err instanceof ConnectionError && err.code === 'ENOENT') {
        this.output(`${this.server.serverurl} no such file`);
        this.exitstatus = Exit.NOT_RUNNING;
        return false;
      }
      this.exitstatus = Exit.GENERIC;
      throw err;
    }
    return true;
  }

  /** Run one command line (cmd.Cmd's parseline + supervisorctl's onecmd error handling). */
  async onecmd(rawLine: string): Promise<boolean> {
    let line = rawLine.trim();
    if (line === '') return false;
    if (line.startsWith('?')) line = `help ${line.slice(1)}`;
    const m = /^[A-Za-z0-9_]*/.exec(line)!;
    const cmd = m[0];
    const arg = line.slice(cmd.length).trim();
    if (cmd === 'quit' || cmd === 'exit' || cmd === 'EOF') return true;
    if (cmd === 'help') {
      if (arg === '') this.output(helpOverview());
      else this.help(arg.split(/\s+/)[0]!);
      return false;
    }
    const fn = cmd === '' ? undefined : this.commands.get(cmd);
    if (!fn) {
      this.output(`*** Unknown syntax: ${line}`);
      this.exitstatus = Exit.GENERIC;
      return false;
    }
    try {
      await fn(this, arg);
    } catch (err) {
      this.reportError(err);
    }
    return false;
  }

  reportError(err: unknown): void {
    this.exitstatus = Exit.GENERIC;
    if (err instanceof ProtocolError) {
      if (err.status === 401) this.output('Server requires authentication');
      else this.output(`error: <class 'xmlrpc.client.ProtocolError'>, ${err.message}`);
    } else if (err instanceof RpcFaultError) {
      this.output(`error: <class 'xmlrpc.client.Fault'>, <Fault ${err.faultCode}: ${pyRepr(err.faultString)}>`);
    } else if (err instanceof ConnectionError) {
      this.output(`error: ${describeConnectionError(err)}`);
    } else {
      this.output(`error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  close(): void {
    this.client.close();
  }
}
