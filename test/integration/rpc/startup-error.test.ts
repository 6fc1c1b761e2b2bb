// An HTTP server that cannot open is a startup error, as in supervisord: exit 2 with its message on stderr,
// and no program is started.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const bundle = path.resolve(import.meta.dirname, '../../../dist/tsinit.js');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

async function occupiedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

describe('RPC server startup errors', () => {
  it('exits 2 before starting any program when the inet port is in use', async () => {
    const port = await occupiedPort();
    const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-rpc-busy-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const marker = path.join(dir, 'started');
    const conf = path.join(dir, 'supervisord.conf');
    writeFileSync(
      conf,
      `[supervisord]\nlogfile=${dir}/main.log\npidfile=${dir}/s.pid\n\n[inet_http_server]\nport=127.0.0.1:${port}\n\n` +
        `[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n\n` +
        `[program:a]\ncommand=/bin/sh -c "touch ${marker}; sleep 100"\n`,
    );
    // The listener stays bound while spawnSync blocks this worker: bind() in tsinit gets EADDRINUSE.
    const r = spawnSync(process.execPath, [bundle, '-c', conf], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Error: Another program is already listening on a port that one of our HTTP servers is configured to use.');
    expect(r.stdout).not.toMatch(/spawned: 'a'/);
    expect(existsSync(marker)).toBe(false);
  });
});
