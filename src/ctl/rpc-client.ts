// XML-RPC client for `tsinit ctl`: one persistent connection per invocation over a unix socket
// (`unix:///path`) or HTTP (`http://host:port`), Basic auth when both username and password are set.
import { Agent, request, type IncomingMessage, type RequestOptions } from 'node:http';
import { parseMethodResponse, serializeCall } from '../rpc/xmlrpc-codec.js';
import type { XmlRpcValue } from '../rpc/xmlrpc-values.js';

/** A fault answer from the server. */
export class RpcFaultError extends Error {
  override readonly name = 'RpcFaultError';
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`<Fault ${faultCode}: ${faultString}>`);
  }
}

/** A non-200 HTTP answer (401 = authentication required). */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly target: string,
  ) {
    super(`<ProtocolError for ${target}: ${status} ${reason}>`);
  }
}

/** The server could not be reached (code: ECONNREFUSED, ENOENT, ...). */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  readonly serverurl: string;
  readonly username: string | null;
  readonly password: string | null;
}

export class RpcClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private readonly base: RequestOptions;
  private readonly hostLabel: string;

  constructor(private readonly options: ClientOptions) {
    const url = options.serverurl;
    if (url.startsWith('unix://')) {
      this.base = { socketPath: url.slice(7), headers: { Host: 'localhost' } };
      this.hostLabel = 'localhost';
    } else {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new ConnectionError('EINVAL', `invalid server URL ${url}`);
      }
      if (parsed.protocol !== 'http:') throw new ConnectionError('EINVAL', `unsupported server URL ${url}`);
      const port = parsed.port === '' ? 80 : Number(parsed.port);
      const host = parsed.hostname.replace(/^\[|\]$/g, '');
      this.base = { host, port };
      this.hostLabel = parsed.port === '' ? host : `${host}:${port}`;
    }
  }

  get serverurl(): string {
    return this.options.serverurl;
  }

  private authHeader(): Record<string, string> {
    const { username, password } = this.options;
    if (username === null || password === null) return {};
    return { Authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` };
  }

  private open(method: string, path: string, headers: Record<string, string>, body?: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const options: RequestOptions & { servername: string } = {
        ...this.base,
        agent: this.agent,
        method,
        path,
        headers: { ...(this.base.headers as Record<string, string> | undefined), ...this.authHeader(), ...headers },
        // No TLS, so no SNI name: without this, Node's Agent works one out and tests it with isIP(), whose
        // IPv6 regex compiles on first use (~3 ms of every `tsinit ctl` command, BENCHMARKS.md §6b).
        servername: '',
      };
      const req = request(options, resolve);
      req.on('error', (err: NodeJS.ErrnoException) => reject(new ConnectionError(err.code ?? 'EIO', err.message)));
      req.end(body);
    });
  }

  /** Call a method; rejects with RpcFaultError, ProtocolError or ConnectionError. */
  async call(method: string, ...params: XmlRpcValue[]): Promise<XmlRpcValue> {
    const body = serializeCall(method, params);
    const res = await this.open('POST', '/RPC2', {
      'Content-Type': 'text/xml',
      Accept: 'text/xml',
      'User-Agent': 'tsinit-ctl',
      'Content-Length': String(Buffer.byteLength(body)),
    }, body);
    const chunks: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve());
      res.on('error', (err: NodeJS.ErrnoException) => reject(new ConnectionError(err.code ?? 'EIO', err.message)));
    });
    if (res.statusCode !== 200) {
      throw new ProtocolError(res.statusCode ?? 0, res.statusMessage ?? '', `${this.hostLabel}/RPC2`);
    }
    const parsed = parseMethodResponse(Buffer.concat(chunks).toString('utf8'));
    if (parsed.kind === 'fault') throw new RpcFaultError(parsed.faultCode, parsed.faultString);
    return parsed.value;
  }

  /** A streamed GET (for /logtail and /mainlogtail). */
  get(path: string): Promise<IncomingMessage> {
    return this.open('GET', path, { Accept: '*/*', 'User-Agent': 'tsinit-ctl' });
  }

  close(): void {
    this.agent.destroy();
  }
}
