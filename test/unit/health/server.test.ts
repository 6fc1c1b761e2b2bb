import { Agent, request } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHealthServer, type HealthServer } from '../../../src/health/server.js';
import { ProcessState, SupervisorMood } from '../../../src/supervision/states.js';
import { FakeControl, proc, recordingLog } from './fake-control.js';

function http(port: number, path: string, method = 'GET'): Promise<{ status: number; type: string; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: Buffer.concat(chunks).toString(), headers: res.headers }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const servers: HealthServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function started(c: FakeControl) {
  const log = recordingLog();
  const s = createHealthServer(c, { host: '127.0.0.1', port: 0 }, log);
  servers.push(s);
  expect(await s.start()).toBe(true);
  return { s, log, port: s.address()!.port };
}

describe('health server', () => {
  it('answers /healthz, /readyz and /metrics from the live control state', async () => {
    const web = proc('web', 'web', ProcessState.STARTING, { cfg: { critical: true } });
    const c = new FakeControl().add('web', [web]);
    const { port, log } = await started(c);
    expect(log.lines).toEqual([`INFO health endpoint listening on http://127.0.0.1:${port}/ (/healthz /readyz /metrics)`]);

    expect(await http(port, '/healthz')).toMatchObject({ status: 200, body: 'ok\n', type: 'text/plain; charset=utf-8' });
    expect(await http(port, '/readyz')).toMatchObject({ status: 503, body: 'web:web STARTING (not ready)\n' });

    web.state = ProcessState.RUNNING;
    expect(await http(port, '/readyz')).toMatchObject({ status: 200, body: 'web:web RUNNING\n' });

    const m = await http(port, '/metrics');
    expect(m.status).toBe(200);
    expect(m.type).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(m.body).toContain('tsinit_process_state{group="web",name="web"} 20\n');
    expect(m.headers['cache-control']).toBe('no-store');

    web.state = ProcessState.FATAL;
    expect(await http(port, '/healthz')).toMatchObject({ status: 503, body: 'critical web:web FATAL\n' });
    c.mood = SupervisorMood.SHUTDOWN;
    expect(await http(port, '/healthz')).toMatchObject({ status: 503, body: 'shutting down\n' });
  });

  it('ignores the query string, answers HEAD without a body, rejects other methods and paths', async () => {
    const { port } = await started(new FakeControl());
    expect(await http(port, '/healthz?verbose=1')).toMatchObject({ status: 200, body: 'ok\n' });
    const head = await http(port, '/healthz', 'HEAD');
    expect(head).toMatchObject({ status: 200, body: '' });
    expect(head.headers['content-length']).toBe('3');
    const post = await http(port, '/healthz', 'POST');
    expect(post).toMatchObject({ status: 405 });
    expect(post.headers['allow']).toBe('GET, HEAD');
    expect(await http(port, '/RPC2')).toMatchObject({ status: 404 });
    expect(await http(port, '/')).toMatchObject({ status: 200 });
  });

  it('turns a failing control into a 500 and a log line, and keeps serving', async () => {
    const c = new FakeControl();
    let broken = true;
    const groups = c.groups.bind(c);
    c.groups = () => {
      if (broken) throw new Error('engine bug');
      return groups();
    };
    const { port, log } = await started(c);
    expect(await http(port, '/metrics')).toMatchObject({ status: 500, body: 'internal error\n' });
    expect(log.lines.some((l) => l.startsWith('ERRO health endpoint: error answering GET /metrics: Error: engine bug'))).toBe(true);
    broken = false;
    expect(await http(port, '/metrics')).toMatchObject({ status: 200 });
  });

  it('logs and resolves false when the port is taken, without throwing', async () => {
    const blocker = createNetServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const log = recordingLog();
      const s = createHealthServer(new FakeControl(), { host: '127.0.0.1', port }, log);
      expect(await s.start()).toBe(false);
      expect(s.address()).toBeNull();
      expect(log.lines).toEqual([`ERRO could not start the health endpoint on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}`]);
      await s.close();
    } finally {
      blocker.close();
    }
  });

  it('closes even with a keep-alive connection open, and frees the port', async () => {
    const { s, port } = await started(new FakeControl());
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/healthz', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', reject).end();
    });
    expect(agent.freeSockets).not.toEqual({}); // an idle keep-alive connection stays open
    await s.close(); // resolves only once every connection is gone
    agent.destroy();
    expect(s.address()).toBeNull();
    await expect(http(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
  });
});
