// The control plane's HTTP servers ([unix_http_server], [inet_http_server]): basic auth, POST /RPC2
// (XML-RPC), GET /logtail/... and /mainlogtail. Every handler is wrapped: a failure answers 500 and is
// logged, it never reaches the supervisor.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpServerConfig } from '../config/model.js';
import type { MainLog } from '../log/types.js';
import type { SupervisorControl } from '../supervision/control.js';
import { isAuthorized } from './auth.js';
import { RpcFault } from './faults.js';
import { sendError } from './http-errors.js';
import { serveTail, tailTarget, type Tail } from './logtail.js';
import { createDispatcher, type Dispatcher } from './methods/index.js';
import { pyRepr } from '../common/python-repr.js';
import { bindListeners, type BoundListener } from './listeners.js';
import { parseMethodCall, serializeFault, serializeResponse } from './xmlrpc-codec.js';
import { XmlRpcParseError } from './xmlrpc-values.js';

export { HttpServerStartError } from './unix-socket.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** A connection must have sent a request's headers within this time (slow or stuck clients are dropped). */
const HEADERS_TIMEOUT_MS = 30_000;
/** ...and, once the headers are in, the whole request body within this time. Responses have no deadline. */
const BODY_TIMEOUT_MS = 60_000;
const MAX_TIMER_MS = 2_147_483_647;
const headerDeadlines = new WeakMap<Socket, NodeJS.Timeout>();

export interface RpcServer {
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface RpcServerOptions {
  /** Where startup notices such as `Unlinking stale socket` go (default: process.stderr). */
  readonly stderr?: (line: string) => void;
  /** Clock for process info (default Date.now). */
  readonly now?: () => number;
  /** Override the servers to run (default: control.config.httpServers). */
  readonly servers?: readonly HttpServerConfig[];
  readonly maxBodyBytes?: number;
  /** Sockets opened already (bindListeners; the run mode opens them before the first spawn). Default: open them in start(). */
  readonly listeners?: readonly BoundListener[];
  /** Deadlines for a request's headers (from the connection or the previous response) and its body (tests). */
  readonly headersTimeoutMs?: number;
  readonly bodyTimeoutMs?: number;
}

/** Read and discard a request body (at most `limit` bytes; beyond that the connection is cut). */
function drain(req: IncomingMessage, limit: number): Promise<void> {
  return new Promise((resolve) => {
    if (req.complete) {
      resolve();
      return;
    }
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.socket.destroy();
        resolve();
      }
    });
    req.on('end', () => resolve());
    req.on('error', () => resolve());
    req.on('close', () => resolve());
  });
}

interface Running {
  readonly server: Server;
  readonly listener: BoundListener;
}

export function createRpcServer(control: SupervisorControl, mainLog: MainLog, options: RpcServerOptions = {}): RpcServer {
  const stderr = options.stderr ?? ((line: string) => void process.stderr.write(line));
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const headersTimeoutMs = options.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  const afterHooks = new WeakMap<ServerResponse, (() => void)[]>();
  let currentResponse: ServerResponse | null = null;
  const dispatcher: Dispatcher = createDispatcher({
    control,
    mainLog,
    now: options.now ?? Date.now,
    afterResponse: (fn) => {
      const res = currentResponse;
      if (res === null) {
        setImmediate(fn);
        return;
      }
      const hooks = afterHooks.get(res) ?? [];
      hooks.push(fn);
      afterHooks.set(res, hooks);
    },
  });
  const running: Running[] = [];
  const tails = new Set<Tail>();
  const sockets = new Set<Socket>();
  /** Requests in flight per connection: a connection with none is idle and is cut at once on close. */
  const inFlight = new Map<Socket, number>();
  let closing = false;

  const log = (fn: () => void): void => {
    try {
      fn();
    } catch {
      // the log itself failing must not break request handling
    }
  };

  const runHooks = (res: ServerResponse): void => {
    const hooks = afterHooks.get(res);
    if (!hooks) return;
    afterHooks.delete(res);
    for (const hook of hooks) {
      try {
        hook();
      } catch (err) {
        log(() => mainLog.error(`XML-RPC post-response action failed: ${String(err)}`));
      }
    }
  };

  function readBody(req: IncomingMessage, res: ServerResponse): Promise<string | null> {
    return new Promise((resolve) => {
      const declared = Number(req.headers['content-length'] ?? '0');
      if (Number.isFinite(declared) && declared > maxBody) {
        sendError(res, 413, { Connection: 'close' });
        req.resume();
        res.on('finish', () => req.socket.destroy());
        resolve(null);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      req.on('data', (chunk: Buffer) => {
        if (failed) return;
        size += chunk.length;
        if (size > maxBody) {
          failed = true;
          chunks.length = 0;
          sendError(res, 413, { Connection: 'close' });
          res.on('finish', () => req.socket.destroy());
          resolve(null);
          return;
        }
        chunks.push(chunk);
      });
      req.on('end', () => {
        if (!failed) resolve(Buffer.concat(chunks).toString('utf8'));
      });
      req.on('error', () => {
        if (!failed) {
          failed = true;
          resolve(null);
        }
      });
    });
  }

  function sendXml(res: ServerResponse, body: string): void {
    if (res.writableEnded || res.destroyed) return;
    res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      req.resume();
      sendError(res, 400);
      return;
    }
    const body = await readBody(req, res);
    if (body === null) return;
    let call;
    try {
      call = parseMethodCall(body);
    } catch (err) {
      const reason = err instanceof XmlRpcParseError ? err.reason : 'unmarshallable';
      log(() => mainLog.error(`XML-RPC request data ${pyRepr(body.length > 2000 ? body.slice(0, 2000) : body)}${body.length > 2000 ? '...' : ''} is invalid: ${reason}`));
      sendError(res, 400);
      return;
    }
    const { method, params } = call;
    if (mainLog.enabled('trace')) log(() => mainLog.trace(`XML-RPC method called: ${method}()`));
    let value;
    currentResponse = res;
    let pending;
    try {
      pending = dispatcher.call(method, params);
    } finally {
      currentResponse = null;
    }
    try {
      value = await pending;
    } catch (err) {
      if (err instanceof RpcFault) {
        if (mainLog.enabled('trace')) {
          log(() => mainLog.trace(`XML-RPC method ${method}() returned fault: [${err.code}] ${err.text}`));
        }
        sendXml(res, serializeFault(err.code, err.text));
        return;
      }
      throw err;
    }
    if (mainLog.enabled('trace')) log(() => mainLog.trace(`XML-RPC method ${method}() returned successfully`));
    sendXml(res, serializeResponse(value));
  }

  function credentialsOf(config: HttpServerConfig) {
    return config.credentials;
  }

  async function handle(config: HttpServerConfig, req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('finish', () => runHooks(res));
    res.on('close', () => runHooks(res));
    const credentials = credentialsOf(config);
    if (credentials && !isAuthorized(req.headers.authorization, credentials)) {
      // Take the whole request in first: closing while a client is still sending its body would make it
      // see a broken pipe instead of the 401.
      await drain(req, maxBody);
      sendError(res, 401, { Connection: 'close', 'WWW-Authenticate': 'Basic realm="default"' });
      return;
    }
    const url = req.url ?? '/';
    if (url.startsWith('/RPC2')) {
      await handleRpc(req, res);
      return;
    }
    if (url.startsWith('/logtail') || url.startsWith('/mainlogtail')) {
      req.resume();
      if (req.method !== 'GET') {
        sendError(res, 400);
        return;
      }
      const mainLogfile = control.mainLogfile ?? mainLog.path;
      const file = url.startsWith('/mainlogtail') ? mainLogfile : tailTarget(url, control, mainLogfile);
      let tail: Tail | null = null;
      tail = serveTail(req, res, file, () => {
        if (tail) tails.delete(tail);
      });
      if (tail && !res.writableEnded) tails.add(tail);
      return;
    }
    req.resume();
    sendError(res, 404);
  }

  function makeServer(config: HttpServerConfig): Server {
    // Node enforces headersTimeout/requestTimeout with a 30 s setInterval that runs as long as an http.Server
    // listens, waking an idle tsinit twice a minute (bench/: idle cost). This server never listens itself
    // (src/rpc/listeners.ts accepts and hands connections over), so that interval never starts (and it is
    // pushed out of reach anyway); each connection gets its own headers deadline instead, and each request a
    // body deadline, timers that exist only while they are needed.
    const server = createServer({ requireHostHeader: false, keepAlive: true, connectionsCheckingInterval: MAX_TIMER_MS }, (req, res) => {
      handle(config, req, res).catch((err: unknown) => {
        log(() =>
          mainLog.critical(
            `Handling XML-RPC request raised an unexpected exception: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
          ),
        );
        try {
          sendError(res, 500);
        } catch {
          res.destroy();
        }
      });
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      const t = headerDeadlines.get(socket);
      if (t) clearTimeout(t);
      headerDeadlines.delete(socket);
      // A client that declares a body and then stalls is dropped (req.complete: the parser has the whole
      // message, whether or not the handler has read it yet).
      const bodyDeadline = setTimeout(() => {
        if (!req.complete) socket.destroy();
      }, bodyTimeoutMs);
      bodyDeadline.unref();
      inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
      res.once('close', () => {
        clearTimeout(bodyDeadline);
        const n = (inFlight.get(socket) ?? 1) - 1;
        inFlight.set(socket, n);
        if (closing && n === 0) socket.end();
      });
    });
    server.headersTimeout = headersTimeoutMs;
    server.requestTimeout = headersTimeoutMs + bodyTimeoutMs;
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      const headersDeadline = setTimeout(() => socket.destroy(), headersTimeoutMs);
      headersDeadline.unref();
      headerDeadlines.set(socket, headersDeadline);
      socket.on('close', () => {
        clearTimeout(headersDeadline);
        headerDeadlines.delete(socket);
        sockets.delete(socket);
        inFlight.delete(socket);
      });
      socket.on('error', () => {});
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
    server.on('error', (err) => log(() => mainLog.error(`HTTP server error: ${err.message}`)));
    return server;
  }

  function serve(listener: BoundListener): void {
    const server = makeServer(listener.config);
    // The socket was accepted paused (it may have waited for this handler): the HTTP parser takes it over.
    listener.attach((socket) => {
      server.emit('connection', socket);
      socket.resume();
    });
    running.push({ server, listener });
  }

  async function closeAll(): Promise<void> {
    closing = true;
    for (const tail of [...tails]) tail.stop();
    const closes = running.map((entry) => entry.listener.close());
    // idle keep-alive connections go now; responses in flight may finish (their connection is cut after)
    for (const socket of sockets) if (!inFlight.get(socket)) socket.end();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, 1000).unref());
    await Promise.race([Promise.all(closes), grace]);
    for (const socket of sockets) socket.destroy();
    await Promise.all(closes);
    running.length = 0;
  }

  return {
    async start(): Promise<void> {
      if (closing) throw new Error('RPC server already closed');
      const listeners =
        options.listeners ??
        (await bindListeners(options.servers ?? control.config.httpServers, {
          stderr,
          log: mainLog,
          rpcinterfaces: control.config.rpcinterfaces,
        }));
      for (const listener of listeners) serve(listener);
    },
    close: closeAll,
  };
}
