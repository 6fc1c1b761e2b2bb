// The control sockets open before the HTTP layer exists: connections made in between wait and are handed
// over in order once a handler attaches; close() drops the waiting ones and removes the socket file. The same
// for a unix socket bound by net.Server and by the native addon (the run mode's first start).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpServerConfig } from '../../../src/config/model.js';
import { HttpServerStartError } from '../../../src/rpc/unix-socket.js';
import { bindListeners } from '../../../src/rpc/listeners.js';
import { nativeSocketCalls, type SocketCalls } from '../../../src/os/native.js';
import { RecordingLog } from '../../helpers/recording-log.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function unixServer(): { config: HttpServerConfig; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-listeners-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 's.sock');
  return { file, config: { kind: 'unix', section: 'unix_http_server', file, chmod: 0o700, chown: null, credentials: null } };
}

/** Connect, send `text`, and resolve with everything the server answers until the connection closes (or is reset). */
function exchange(file: string, text: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const s = connect(file, () => s.write(text));
    s.setEncoding('utf8');
    s.on('data', (d: string) => (got += d));
    s.on('error', () => {});
    s.on('close', () => resolve(got));
  });
}

const ways: [string, SocketCalls | null][] = [
  ['net.Server', null],
  ['the native addon', nativeSocketCalls()],
];

describe.each(ways)('bindListeners, unix socket bound by %s', (_, sockets) => {
  it('holds early connections until a handler attaches, then hands them over in order', async () => {
    const { config, file } = unixServer();
    const log = new RecordingLog();
    const [listener] = await bindListeners([config], { stderr: () => {}, log, rpcinterfaces: ['supervisor'], sockets });
    expect(statSync(file).isSocket()).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o700);
    expect(log.lines).toEqual([
      "INFO RPC interface 'supervisor' initialized",
      "CRIT Server 'unix_http_server' running without any HTTP authentication checking",
    ]);

    const first = exchange(file, 'one');
    const second = exchange(file, 'two');
    // Both connections are accepted (and wait) before anything can answer them.
    await new Promise((r) => setTimeout(r, 50));
    const order: string[] = [];
    listener!.attach((socket: Socket) => {
      socket.setEncoding('utf8');
      socket.once('data', (d: string) => {
        order.push(d);
        socket.end(`echo:${d}`);
      });
      socket.resume();
    });
    expect(await first).toBe('echo:one');
    expect(await second).toBe('echo:two');
    expect(order.sort()).toEqual(['one', 'two']);

    // Later connections go straight to the handler.
    expect(await exchange(file, 'three')).toBe('echo:three');
    await listener!.close();
    expect(existsSync(file)).toBe(false);
  });

  it('close() drops connections nobody took and removes the socket file', async () => {
    const { config, file } = unixServer();
    const [listener] = await bindListeners([config], { stderr: () => {}, log: new RecordingLog(), rpcinterfaces: [], sockets });
    const waiting = exchange(file, 'never answered');
    await new Promise((r) => setTimeout(r, 50));
    await listener!.close();
    await expect(waiting).resolves.toBe('');
    expect(existsSync(file)).toBe(false);
  });

  it('a socket another server answers on is a startup error (servers opened before it are closed again)', async () => {
    const { config } = unixServer();
    const [first] = await bindListeners([config], { stderr: () => {}, log: new RecordingLog(), rpcinterfaces: [], sockets });
    cleanups.push(() => void first!.close());
    const inet: HttpServerConfig = { kind: 'inet', section: 'inet_http_server', host: '127.0.0.1', port: 0, credentials: null };
    const attempt = bindListeners([inet, config], { stderr: () => {}, log: new RecordingLog(), rpcinterfaces: [], sockets });
    await expect(attempt).rejects.toBeInstanceOf(HttpServerStartError);
    await expect(attempt).rejects.toThrow(/Another program is already listening/);
  });
});
