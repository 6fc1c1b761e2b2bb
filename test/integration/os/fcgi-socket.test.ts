// The fcgi-program socket (src/os/fcgi-socket.ts) with the real addon: unix (mode, owner, replacing a stale
// file) and tcp sockets, reference counting, supervisord's texts, and a child accepting on its fd 0.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FcgiSocket } from '../../../src/os/fcgi-socket.js';

const dirs: string[] = [];
const sockets: FcgiSocket[] = [];
afterEach(() => {
  while (sockets.length) sockets.pop()!.close();
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'tsinit-fcgi-'));
  dirs.push(d);
  return d;
}

function make(url: string, extra: { mode?: number; owner?: { uid: number; gid: number } | null; backlog?: number } = {}) {
  const lines: string[] = [];
  const s = new FcgiSocket({ url, backlog: extra.backlog ?? 0, owner: extra.owner ?? null, mode: extra.mode ?? 0o700 }, (m) => lines.push(m));
  sockets.push(s);
  return { s, lines };
}

/** A free tcp port on 127.0.0.1 (bound and released). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Runs a node child that serves one greeting per connection on its fd 0 (the socket). */
function serveOnFd0(fd: number) {
  const child = spawn(process.execPath, ['-e', "require('net').createServer((c) => c.end('hello ' + process.pid)).listen({ fd: 0 }, () => console.log('up'))"], {
    stdio: [fd, 'pipe', 'inherit'],
  });
  const up = new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { child, up };
}

function request(target: string | number): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = typeof target === 'number' ? connect(target, '127.0.0.1') : connect(target);
    let data = '';
    c.on('data', (d) => (data += d.toString()));
    c.on('end', () => resolve(data));
    c.on('error', reject);
  });
}

describe('FcgiSocket', () => {
  it('unix: replaces a stale file, applies socket_mode, a child accepts on fd 0; reference counted', async () => {
    const d = tempDir();
    const file = path.join(d, 'fc.sock');
    writeFileSync(file, 'stale');
    const { s, lines } = make(`unix://${file}`, { mode: 0o666 });
    const fd = s.acquire();
    expect(statSync(file).isSocket()).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o666);
    expect(s.acquire()).toBe(fd); // a second process shares it
    const { child, up } = serveOnFd0(fd);
    await up;
    expect(await request(file)).toBe(`hello ${child.pid}`);
    child.kill();
    s.release();
    expect(s.open).toBe(true);
    s.release();
    expect(s.open).toBe(false);
    expect(lines).toEqual([`Creating socket unix://${file}`, `Closing socket unix://${file}`]);
  });

  it('unix: socket_owner is applied', () => {
    const d = tempDir();
    const file = path.join(d, 'fc.sock');
    const { s } = make(`unix://${file}`, { owner: { uid: 65534, gid: 65534 } });
    s.acquire();
    expect([statSync(file).uid, statSync(file).gid]).toEqual([65534, 65534]);
    expect(statSync(file).mode & 0o777).toBe(0o700);
  });

  it('tcp: bound and listening on host:port; the tsinit process never accepts itself', async () => {
    const port = await freePort();
    const { s } = make(`tcp://127.0.0.1:${port}`);
    const fd = s.acquire();
    const { child, up } = serveOnFd0(fd);
    await up;
    for (let i = 0; i < 3; i++) expect(await request(port)).toBe(`hello ${child.pid}`);
    child.kill();
    await new Promise((r) => child.once('exit', r));
    s.release();
    await expect(request(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("errors carry supervisord's texts", async () => {
    const port = await freePort();
    const a = make(`tcp://127.0.0.1:${port}`).s;
    a.acquire();
    const b = make(`tcp://127.0.0.1:${port}`).s;
    expect(() => b.acquire()).toThrow(`Could not create FastCGI socket tcp://127.0.0.1:${port}: [Errno 98] Address already in use`);
    expect(b.open).toBe(false);
    const c = make('unix:///nonexistent-dir/fc.sock').s;
    expect(() => c.acquire()).toThrow('Could not create FastCGI socket unix:///nonexistent-dir/fc.sock: [Errno 2] No such file or directory');
    const h = make('tcp://nonexistent.invalid:9000').s;
    expect(() => h.acquire()).toThrow(/^Could not create FastCGI socket tcp:\/\/nonexistent.invalid:9000: \[Errno -[0-9]+\] /);
  });
});
