// The health/metrics HTTP listener ([tsinit] health = host:port): GET/HEAD /healthz, /readyz, /metrics.
// Everything is computed on request from SupervisorControl: no timers of its own (Node's periodic
// connection check is pushed out to ~24 days; an idle socket timeout bounds slow clients instead).
// It never throws into the engine: listen errors and handler bugs are logged to the main log.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { MainLog } from '../log/types.js';
import type { SupervisorControl } from '../supervision/control.js';
import { METRICS_CONTENT_TYPE, renderMetrics } from './metrics.js';
import { liveness, readiness } from './probes.js';

export interface HealthListen {
  readonly host: string;
  readonly port: number;
}

export interface HealthServer {
  /** Binds the listener. Resolves true once listening, false (after logging why) when it cannot. Never rejects. */
  start(): Promise<boolean>;
  /** Stops listening and drops open connections. Never rejects. */
  close(): Promise<void>;
  /** The bound address (port 0 → the real port), or null when not listening. */
  address(): { host: string; port: number } | null;
}

const TEXT = 'text/plain; charset=utf-8';
const MAX_TIMER_MS = 2_147_483_647;

/** Formats host:port for messages and URLs (IPv6 hosts in brackets). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(buf.length),
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : buf);
}

/** Handles one request; exported for tests. `now` gives epoch ms. */
export function handleHealthRequest(
  control: SupervisorControl,
  req: IncomingMessage,
  res: ServerResponse,
  now: () => number = Date.now,
): void {
  const path = (req.url ?? '/').split('?')[0];
  const known = path === '/healthz' || path === '/readyz' || path === '/metrics' || path === '/';
  if (!known) return send(req, res, 404, TEXT, 'not found\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(req, res, 405, TEXT, 'method not allowed\n');
  }
  switch (path) {
    case '/healthz': {
      const r = liveness(control);
      return send(req, res, r.ok ? 200 : 503, TEXT, r.body);
    }
    case '/readyz': {
      const r = readiness(control);
      return send(req, res, r.ok ? 200 : 503, TEXT, r.body);
    }
    case '/metrics':
      return send(req, res, 200, METRICS_CONTENT_TYPE, renderMetrics(control, now()));
    default:
      return send(req, res, 200, TEXT, 'tsinit health endpoints: /healthz /readyz /metrics\n');
  }
}

export function createHealthServer(control: SupervisorControl, listen: HealthListen, mainLog: MainLog): HealthServer {
  let server: Server | null = null;
  const where = hostPort(listen.host, listen.port);

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      handleHealthRequest(control, req, res);
    } catch (err) {
      mainLog.error(`health endpoint: error answering ${req.method ?? '?'} ${req.url ?? '?'}: ${(err as Error)?.stack ?? String(err)}`);
      try {
        if (!res.headersSent) send(req, res, 500, TEXT, 'internal error\n');
        else res.destroy();
      } catch {
        res.destroy();
      }
    }
  };

  const address = (): { host: string; port: number } | null => {
    const a = server?.address();
    if (!a || typeof a === 'string') return null;
    return { host: a.address, port: a.port };
  };

  return {
    start(): Promise<boolean> {
      if (server) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        let s: Server;
        try {
          s = createServer({ connectionsCheckingInterval: MAX_TIMER_MS, keepAliveTimeout: 5_000 }, onRequest);
          s.timeout = 10_000; // idle socket timeout: bounds slow or stuck clients
          s.maxHeadersCount = 50;
          s.maxConnections = 64;
        } catch (err) {
          mainLog.error(`could not start the health endpoint on ${where}: ${(err as Error).message}`);
          resolve(false);
          return;
        }
        const onListenError = (err: Error): void => {
          mainLog.error(`could not start the health endpoint on ${where}: ${err.message}`);
          try {
            s.close();
          } catch {
            /* not listening */
          }
          resolve(false);
        };
        s.once('error', onListenError);
        s.on('clientError', (_err, socket) => {
          try {
            socket.destroy();
          } catch {
            /* already gone */
          }
        });
        try {
          s.listen(listen.port, listen.host, () => {
            s.off('error', onListenError);
            s.on('error', (err: Error) => mainLog.error(`health endpoint on ${where}: ${err.message}`));
            server = s;
            const a = address();
            mainLog.info(`health endpoint listening on http://${a ? hostPort(a.host, a.port) : where}/ (/healthz /readyz /metrics)`);
            resolve(true);
          });
        } catch (err) {
          onListenError(err as Error);
        }
      });
    },

    close(): Promise<void> {
      const s = server;
      server = null;
      if (!s) return Promise.resolve();
      return new Promise<void>((resolve) => {
        try {
          s.close(() => resolve());
          s.closeAllConnections();
        } catch {
          resolve();
        }
      });
    },

    address,
  };
}
