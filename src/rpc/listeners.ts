// Opening the control plane's sockets ([unix_http_server], [inet_http_server]) apart from the HTTP layer
// that answers on them. supervisord opens its servers before it starts any program, and a server that cannot
// open is a startup error (exit 2): that part must come first. The HTTP and XML-RPC code (node:http, the
// XML parser, the methods) is only needed once a client talks, so the run mode loads it right after the first
// spawn (launch time, BENCHMARKS.md §1). Until a handler is attached, connections wait and are handed over in
// order; a client that connects early is answered a few milliseconds later. A unix socket is bound and
// listening through the native addon when it is given (`sockets`): connections then wait in the kernel's
// backlog, and net.Server (whose first listen() loads Node's cluster modules) takes the socket over only at
// attach(), after the first spawn. Without the addon, net.Server listens at once and holds them, paused.
import { closeSync } from 'node:fs';
import type { Server, Socket } from 'node:net';
import { net } from '../common/lazy-net.js';
import type { HttpServerConfig } from '../config/model.js';
import { pyRepr } from '../common/python-repr.js';
import type { MainLog } from '../log/types.js';
import type { SocketCalls } from '../os/native.js';
import { ALREADY_LISTENING, HttpServerStartError, bindUnixSocket, listen, removeUnixSocket, socketErrorMessage } from './unix-socket.js';

/** Connections beyond this many at once are refused by the kernel-side accept loop (as before: 1024). */
const MAX_CONNECTIONS = 1024;

export interface BoundListener {
  readonly config: HttpServerConfig;
  /** Hand every connection (the ones waiting first) to `handler`. Once. */
  attach(handler: (socket: Socket) => void): void;
  /** Stop accepting, drop connections nobody took yet, and remove the unix socket file (if still ours). */
  close(): Promise<void>;
}

function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

async function bindOne(config: HttpServerConfig, stderr: (line: string) => void, sockets: SocketCalls | null): Promise<BoundListener> {
  const waiting: Socket[] = [];
  let handler: ((socket: Socket) => void) | null = null;
  // The net.Server, made when first needed: for a natively bound unix socket that is attach(), after the first
  // spawn, so node:net is not loaded before it (launch time).
  let server: Server | null = null;
  const netServer = (): Server => {
    if (server) return server;
    server = net().createServer({ pauseOnConnect: true }, (socket) => {
      socket.on('error', () => {});
      if (handler) handler(socket);
      else {
        waiting.push(socket);
        socket.once('close', () => {
          const i = waiting.indexOf(socket);
          if (i >= 0) waiting.splice(i, 1);
        });
      }
    });
    server.maxConnections = MAX_CONNECTIONS;
    server.on('error', () => {});
    return server;
  };
  let unixIno: number | null = null;
  /** A socket listening natively, not yet taken over by `server`. */
  let nativeFd: number | null = null;
  if (config.kind === 'unix') {
    const how = sockets
      ? {
          listen(where: string): void {
            const fd = sockets.bindSocket('unix', where, 0);
            try {
              sockets.listenSocket(fd, 0);
            } catch (err) {
              closeSync(fd);
              throw err;
            }
            nativeFd = fd;
          },
          undo(): void {
            if (nativeFd !== null) closeSync(nativeFd);
            nativeFd = null;
          },
        }
      : { listen: (where: string) => listen(netServer(), where), undo: () => void netServer().close() };
    unixIno = await bindUnixSocket(how, { file: config.file, mode: config.chmod, owner: config.chown, stderr });
  } else {
    const host = config.host === '' || config.host === '*' ? '0.0.0.0' : config.host;
    if (!config.credentials && !isLoopbackHost(host)) {
      throw new HttpServerStartError(
        `[${config.section}] on ${config.host === '' ? '*' : config.host}:${config.port} has no username/password and would ` +
          'accept connections from other hosts; set username and password, or bind it to 127.0.0.1',
      );
    }
    try {
      await listen(netServer(), { port: config.port, host });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new HttpServerStartError(code === 'EADDRINUSE' ? ALREADY_LISTENING : socketErrorMessage(err));
    }
  }
  let closed: Promise<void> | null = null;
  return {
    config,
    attach(h) {
      if (handler) throw new Error(`a handler is already attached to [${config.section}]`);
      handler = h;
      for (const socket of waiting.splice(0)) h(socket);
      if (nativeFd !== null) {
        netServer().listen({ fd: nativeFd });
        nativeFd = null;
      }
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        if (nativeFd !== null) {
          closeSync(nativeFd); // never taken over: the kernel resets the connections still in its backlog
          nativeFd = null;
          resolve();
        } else if (server) server.close(() => resolve());
        else resolve();
        for (const socket of waiting.splice(0)) socket.destroy();
        if (config.kind === 'unix' && unixIno !== null) removeUnixSocket(config.file, unixIno);
      });
      return closed;
    },
  };
}

export interface BindOptions {
  /** Where `Unlinking stale socket` goes (supervisord prints it to stderr). */
  readonly stderr: (line: string) => void;
  readonly log: MainLog;
  /** The [rpcinterface:x] names, announced per server as supervisord's make_http_servers does. */
  readonly rpcinterfaces: readonly string[];
  /** The native addon's socket calls: unix sockets are bound with them (see the top of this file). */
  readonly sockets?: SocketCalls | null;
}

/** supervisord's lines for an opened server: one INFO per [rpcinterface:x], then the CRIT when it has no auth. */
function announce(config: HttpServerConfig, options: BindOptions): void {
  try {
    for (const name of options.rpcinterfaces) options.log.info(`RPC interface ${pyRepr(name)} initialized`);
    if (!config.credentials) options.log.critical(`Server '${config.section}' running without any HTTP authentication checking`);
  } catch {
    // the log failing must not fail the server
  }
}

/**
 * Open every configured server in order. Rejects with HttpServerStartError (supervisord's wording) when one
 * cannot open; the ones already open are closed again.
 */
export async function bindListeners(servers: readonly HttpServerConfig[], options: BindOptions): Promise<BoundListener[]> {
  const bound: BoundListener[] = [];
  try {
    for (const config of servers) {
      bound.push(await bindOne(config, options.stderr, options.sockets ?? null));
      announce(config, options);
    }
  } catch (err) {
    await Promise.all(bound.map((b) => b.close()));
    throw err;
  }
  return bound;
}
