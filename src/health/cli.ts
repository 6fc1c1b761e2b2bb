// `tsinit health [--ready] [--url URL | -c FILE] [--timeout SECS]`: asks a running tsinit's health
// endpoint and exits 0 when the probe is OK, 1 otherwise (also when unreachable or misconfigured), so it
// fits Docker's HEALTHCHECK (which reserves 2) in images without curl. The body is echoed to stdout.
import { request } from 'node:http';
import { loadConfig } from '../config/load.js';
import { hostPort } from './server.js';

export const HEALTH_USAGE = `Usage: tsinit health [--ready | --live | --metrics] [--url URL | -c FILE] [--timeout SECS]

Asks the health endpoint of a running tsinit ([tsinit] health = host:port).
  --live          liveness: GET /healthz (the default)
  --ready         readiness: GET /readyz
  --metrics       print GET /metrics
  --url URL       endpoint base URL (e.g. http://127.0.0.1:9002); a URL with a path is used as given
  -c FILE         read the address from FILE's [tsinit] health (default /etc/supervisord.conf)
  --timeout SECS  give up after SECS seconds (default 5)
Exit status: 0 when the probe answers 200, 1 otherwise.
`;

export interface HealthCliIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

const defaultIo: HealthCliIo = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};

type Parsed =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'probe'; path: string; url: string | null; configFile: string; timeoutMs: number };

export function parseHealthArgs(argv: readonly string[]): Parsed {
  let path = '/healthz';
  let url: string | null = null;
  let configFile: string | null = null;
  let timeoutMs = 5000;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : null;
    const value = (): string | null => {
      if (inline !== null) return inline;
      if (name.length > 2 && name.startsWith('-c') && !name.startsWith('--')) return name.slice(2);
      const v = argv[i + 1];
      if (v === undefined) return null;
      i++;
      return v;
    };
    switch (true) {
      case name === '-h' || name === '--help':
        return { kind: 'help' };
      case name === '--ready' || name === '--readiness':
        path = '/readyz';
        break;
      case name === '--live' || name === '--liveness':
        path = '/healthz';
        break;
      case name === '--metrics':
        path = '/metrics';
        break;
      case name === '--url': {
        const v = value();
        if (v === null) return { kind: 'error', message: '--url needs a value' };
        url = v;
        break;
      }
      case name === '-c' || name === '--configuration' || (name.startsWith('-c') && !name.startsWith('--')): {
        const v = value();
        if (v === null || v === '') return { kind: 'error', message: '-c needs a file' };
        configFile = v;
        break;
      }
      case name === '--timeout': {
        const v = value();
        const n = v === null ? NaN : Number(v);
        if (!Number.isFinite(n) || n <= 0) return { kind: 'error', message: `--timeout needs a positive number of seconds, got ${v ?? 'nothing'}` };
        timeoutMs = Math.round(n * 1000);
        break;
      }
      default:
        return { kind: 'error', message: `unknown argument ${JSON.stringify(a)}` };
    }
  }
  if (url !== null && configFile !== null) return { kind: 'error', message: 'give either --url or -c, not both' };
  return { kind: 'probe', path, url, configFile: configFile ?? '/etc/supervisord.conf', timeoutMs };
}

/** The host to connect to for a listen address: wildcard binds are reached on loopback. */
export function connectHost(host: string): string {
  if (host === '' || host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

/** Builds the probe URL from --url (a bare base gets the probe path) or from the config's [tsinit] health. */
export function probeUrl(parsed: { path: string; url: string | null; configFile: string }): URL {
  if (parsed.url !== null) {
    const u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(parsed.url) ? parsed.url : `http://${parsed.url}`);
    if (u.protocol !== 'http:') throw new Error(`only http:// URLs are supported, got ${parsed.url}`);
    if (u.pathname === '' || u.pathname === '/') u.pathname = parsed.path;
    return u;
  }
  const config = loadConfig(parsed.configFile);
  const listen = config.tsinit.healthListen;
  if (!listen) throw new Error(`no health endpoint configured in ${parsed.configFile} (set [tsinit] health = host:port)`);
  return new URL(`http://${hostPort(connectHost(listen.host), listen.port)}${parsed.path}`);
}

function get(url: URL, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { Connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 1 << 20) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Runs the subcommand; resolves to the exit status (0 healthy, 1 anything else). Never rejects. */
export async function runHealth(argv: readonly string[], io: HealthCliIo = defaultIo): Promise<number> {
  const parsed = parseHealthArgs(argv);
  if (parsed.kind === 'help') {
    io.out(HEALTH_USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    io.err(`tsinit health: ${parsed.message}\n${HEALTH_USAGE}`);
    return 1;
  }
  let url: URL;
  try {
    url = probeUrl(parsed);
  } catch (err) {
    io.err(`tsinit health: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const { status, body } = await get(url, parsed.timeoutMs);
    io.out(body);
    if (status === 200) return 0;
    io.err(`tsinit health: ${url.href} answered ${status}\n`);
    return 1;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    io.err(`tsinit health: cannot reach ${url.href}: ${e.code ?? e.message}\n`);
    return 1;
  }
}
