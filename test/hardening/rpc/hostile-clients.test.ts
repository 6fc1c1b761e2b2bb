// The control plane under attack, against the real run mode (tsinit as PID 1, unix socket with
// credentials): malformed XML, wrong types for every method, huge bodies, deep nesting, entity
// expansion, unknown methods, garbled auth, HTTP garbage, path traversal, slowloris connections and
// hundreds of concurrent clients. Each gets a fault or an HTTP error, the server keeps serving, and
// the supervised program keeps its pid and RUNNING state throughout.
import fc from 'fast-check';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeCall } from '../../../src/rpc/xmlrpc-codec.js';
import type { XmlRpcValue } from '../../../src/rpc/xmlrpc-values.js';
import { AUTH, PASSWORD, USER, httpUnix, processInfo, rawUnix, rpcCall, startTsinit, statusOf, waitState, type Tsinit } from '../helpers.js';

let t: Tsinit;
let sleeperPid = 0;

beforeAll(async () => {
  t = await startTsinit('rpc', '[program:sleeper]\ncommand=/bin/sleep 1000000\nstartsecs=1\n', { loglevel: 'debug' });
  sleeperPid = (await waitState(t, 'sleeper', 'RUNNING')).pid;
});

afterAll(async () => {
  await t?.dispose();
});

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  httpUnix(t.socket, { headers: { 'Content-Type': 'text/xml', Authorization: AUTH, ...headers }, body });

/** The supervised program is untouched and the server still answers. */
async function supervisionUnaffected(): Promise<void> {
  const info = await processInfo(t, 'sleeper');
  expect(info.statename).toBe('RUNNING');
  expect(info.pid).toBe(sleeperPid);
  expect(t.log()).not.toMatch(/unexpected exception|uncaughtException|unhandledRejection/);
  expect(t.run.exited).toBeNull();
}

describe('malformed and hostile XML', () => {
  const BODIES: [string, string | Buffer][] = [
    ['empty body', ''],
    ['not XML', 'hello world'],
    ['truncated', '<?xml version="1.0"?><methodCall><methodName>supervisor.getState'],
    ['unclosed tags', '<methodCall><methodName>supervisor.getState</methodName><params>'],
    ['mismatched tags', '<methodCall><methodName>x</methodCall></methodName>'],
    ['two roots', '<methodCall><methodName>a</methodName></methodCall><methodCall/>'],
    ['no methodName', '<methodCall><params/></methodCall>'],
    ['wrong root', '<methodResponse><params/></methodResponse>'],
    ['bad int', '<methodCall><methodName>supervisor.getProcessInfo</methodName><params><param><value><int>12x</int></value></param></params></methodCall>'],
    ['huge int', '<methodCall><methodName>supervisor.readLog</methodName><params><param><value><int>99999999999999999999999</int></value></param><param><value><int>1</int></value></param></params></methodCall>'],
    ['bad boolean', '<methodCall><methodName>supervisor.stopProcess</methodName><params><param><value><boolean>yes</boolean></value></param></params></methodCall>'],
    ['bad double', '<methodCall><methodName>x</methodName><params><param><value><double>NaNx</double></value></param></params></methodCall>'],
    ['bad base64', '<methodCall><methodName>x</methodName><params><param><value><base64>!!!</base64></value></param></params></methodCall>'],
    ['bad date', '<methodCall><methodName>x</methodName><params><param><value><dateTime.iso8601>yesterday</dateTime.iso8601></value></param></params></methodCall>'],
    ['struct member without name', '<methodCall><methodName>x</methodName><params><param><value><struct><member><value>1</value></member></struct></value></param></params></methodCall>'],
    ['unknown value type', '<methodCall><methodName>x</methodName><params><param><value><bigdecimal>1</bigdecimal></value></param></params></methodCall>'],
    ['invalid UTF-8', Buffer.from([0x3c, 0x6d, 0x65, 0x74, 0x68, 0x6f, 0x64, 0x43, 0x61, 0x6c, 0x6c, 0x3e, 0xff, 0xfe, 0xfd])],
    ['NUL bytes', '<methodCall>\u0000<methodName>x</methodName></methodCall>'],
    ['undefined entity', '<methodCall><methodName>&boom;</methodName></methodCall>'],
    [
      'billion laughs',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">' +
        '<!ENTITY lol9 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">]><methodCall><methodName>&lol9;</methodName></methodCall>',
    ],
    [
      'external entity (XXE)',
      '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><methodCall><methodName>supervisor.getState</methodName>' +
        '<params><param><value><string>&xxe;</string></value></param></params></methodCall>',
    ],
    ['parameter entity', '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY % p SYSTEM "file:///etc/shadow"> %p;]><methodCall/>'],
    // Both stay under the 1 MB body limit, so they reach the parser (its depth and element limits).
    ['deep nesting (20,000 arrays)', `<methodCall><methodName>system.listMethods</methodName><params><param>${'<value><array><data>'.repeat(20_000)}${'</data></array></value>'.repeat(20_000)}</param></params></methodCall>`],
    ['240,000 elements', `<methodCall><methodName>system.listMethods</methodName><params><param><value><array><data>${'<i/>'.repeat(240_000)}</data></array></value></param></params></methodCall>`],
    ['processing instruction soup', '<?xml version="1.0"?><?foo bar?><!-- c --><methodCall><methodName>x</methodName><![CDATA[ ]]></methodCall><?x?>'],
  ];

  it.each(BODIES)('%s → HTTP 400 (or a fault), server keeps serving', async (_label, body) => {
    const r = await post(body);
    if (r.status === 200) expect(r.body).toContain('<fault>');
    else expect(r.status).toBe(400);
    expect(r.body).not.toContain('root:x:0:0');
    expect((await rpcCall(t.socket, 'supervisor.getState')).kind).toBe('value');
  });

  it('the XXE and billion-laughs payloads were never expanded into the log', () => {
    expect(t.log()).not.toContain('root:x:0:0');
    expect(t.log()).not.toContain('lollollollollollollol');
  });

  it('supervision unaffected', supervisionUnaffected);
});

describe('methods with wrong, missing and extra parameters', () => {
  // Methods that would stop the supervised program or tsinit itself even with "valid" arguments.
  const DESTRUCTIVE = new Set([
    'supervisor.shutdown',
    'supervisor.restart',
    'supervisor.stopAllProcesses',
    'supervisor.signalAllProcesses',
    'supervisor.stopProcessGroup',
    'supervisor.signalProcessGroup',
    'supervisor.removeProcessGroup',
    'supervisor.reloadConfig',
  ]);

  it('unknown methods give UNKNOWN_METHOD', async () => {
    // An empty method name is a 400, as supervisord ("XML-RPC request received with no method name").
    expect((await post(serializeCall('', []))).status).toBe(400);
    for (const m of ['nope', 'supervisor.nope', 'system.nope', '.', 'supervisor.', '__proto__', 'constructor', 'supervisor.__proto__', 'supervisor.constructor', 'toString', 'supervisor._startProcess', 'a'.repeat(10_000)]) {
      const r = await rpcCall(t.socket, m);
      expect(r.kind, m).toBe('fault');
      if (r.kind === 'fault') expect(r.faultCode, m).toBe(1);
    }
  });

  it('every method, random parameters: a value or a fault, never an HTTP error', async () => {
    const methods = ((await t.value('system.listMethods')) as string[]).filter((m) => !DESTRUCTIVE.has(m));
    expect(methods.length).toBeGreaterThan(20);
    const leaf: fc.Arbitrary<XmlRpcValue> = fc.oneof(
      fc.integer({ min: -2147483648, max: 2147483647 }),
      fc.boolean(),
      fc.string({ maxLength: 20 }),
      fc.constantFrom('nosuch', 'nosuch:*', 'sleeper:nosuch', '', ':', '*', 'A'.repeat(70_000), -1, 0, 2147483647),
      fc.constant(null),
    );
    const value = fc.letrec<{ v: XmlRpcValue }>((tie) => ({
      v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 3 })),
    })).v;
    const samples = fc.sample(fc.tuple(fc.constantFrom(...methods), fc.array(value, { maxLength: 4 })), { numRuns: 600, seed: 7 });
    // sendProcessStdin to the sleeper would just be read by nobody; writes of random data are fine.
    for (const [method, params] of samples) {
      const r = await post(serializeCall(method, params));
      expect(r.status, `${method}(${JSON.stringify(params).slice(0, 200)})`).toBe(200);
    }
    // multicall with hostile entries, including recursion into itself
    for (const calls of [
      [{ methodName: 'system.multicall', params: [[]] }],
      [{ methodName: 42 }],
      [{ params: [] }],
      ['not a struct'],
      Array.from({ length: 2000 }, () => ({ methodName: 'supervisor.getState', params: [] })),
      [{ methodName: 'supervisor.shutdown', params: ['extra'] }],
    ] as XmlRpcValue[][]) {
      const r = await post(serializeCall('system.multicall', [calls]));
      expect(r.status).toBe(200);
    }
  });

  it('supervision unaffected', supervisionUnaffected);
});

describe('HTTP-level abuse', () => {
  /**
   * Sends `head` then `pieces` (respecting back-pressure) and returns the status the server answers with.
   * The pieces add up to just over the 1 MB limit: the server reads all of them before it refuses, so the
   * client is not cut off by EPIPE with the answer still unread.
   */
  function streamUntilAnswered(head: string, pieces: string[]): Promise<number> {
    return new Promise((resolve) => {
      const sock = connect(t.socket);
      let got = '';
      const done = (): void => {
        sock.destroy();
        resolve(statusOf(got));
      };
      sock.on('data', (d) => {
        got += d.toString('latin1');
        if (statusOf(got)) done();
      });
      sock.on('error', done);
      sock.on('close', done);
      sock.write(head);
      const queue = [...pieces];
      const pump = (): void => {
        while (queue.length > 0 && !sock.destroyed && !statusOf(got)) {
          if (!sock.write(queue.shift()!)) {
            sock.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
  }

  it('huge bodies are refused with 413, declared or not', async () => {
    // A declared length over the limit is answered before any of the body is read.
    const lying = await rawUnix(t.socket, `POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Length: 99999999999\r\n\r\n<methodCall>`);
    expect(statusOf(lying)).toBe(413);
    // Chunked, no length declared: refused once the body passes 1 MB.
    const piece = 'A'.repeat(64 * 1024);
    const chunks = Array.from({ length: 17 }, () => `${piece.length.toString(16)}\r\n${piece}\r\n`);
    const chunked = await streamUntilAnswered(`POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nTransfer-Encoding: chunked\r\n\r\n`, chunks);
    expect(chunked).toBe(413);
  });

  it('bad Authorization headers get 401 and never reach a method', async () => {
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    const headers: (string | null)[] = [
      null,
      '',
      'Basic',
      'Basic ',
      'Basic !!!notbase64!!!',
      `Basic ${b64('admin')}`,
      `Basic ${b64(':')}`,
      `Basic ${b64(`${USER}:wrong`)}`,
      `Basic ${b64(`${USER}:${PASSWORD}x`)}`,
      `Basic ${b64(`${USER.toUpperCase()}:${PASSWORD}`)}`,
      `Basic ${b64(`${USER}:${PASSWORD.slice(0, -1)}`)}`,
      `Bearer ${b64(`${USER}:${PASSWORD}`)}`,
      `Digest username="${USER}"`,
      `Basic ${b64(`${USER}:${PASSWORD}`)} trailing`,
      `Basic ${'A'.repeat(8000)}`,
      `Basic ${b64('\u00e9\u00e8:\u{1F600}')}`,
    ];
    for (const h of headers) {
      const raw = await rawUnix(
        t.socket,
        `POST /RPC2 HTTP/1.1\r\nHost: x\r\n${h === null ? '' : `Authorization: ${h}\r\n`}Content-Length: ${serializeCall('supervisor.stopProcess', ['sleeper']).length}\r\n\r\n${serializeCall('supervisor.stopProcess', ['sleeper'])}`,
        { timeoutMs: 10_000 },
      );
      expect(statusOf(raw), String(h)).toBe(401);
    }
    // A header with raw non-ASCII bytes and control characters.
    const weird = await rawUnix(t.socket, Buffer.concat([Buffer.from('POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \xff\xfe\x01\r\nContent-Length: 0\r\n\r\n', 'latin1')]));
    expect([400, 401]).toContain(statusOf(weird));
  });

  it('HTTP garbage, odd methods, oversized headers and path traversal', async () => {
    expect(statusOf(await rawUnix(t.socket, 'GARBAGE\r\n\r\n'))).toBe(400);
    expect(statusOf(await rawUnix(t.socket, 'POST /RPC2 HTTP/9.9\r\n\r\n'))).toBeGreaterThanOrEqual(400);
    expect(statusOf(await rawUnix(t.socket, `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`))).toBeGreaterThanOrEqual(400);
    expect([400, 431]).toContain(statusOf(await rawUnix(t.socket, `GET / HTTP/1.1\r\nHost: x\r\n${'X-Pad: y\r\n'.repeat(5000)}\r\n`)));
    expect(statusOf(await rawUnix(t.socket, `\u0000\u0001\u0002\r\n\r\n`))).toBe(400);
    const auth = { Authorization: AUTH };
    expect((await httpUnix(t.socket, { method: 'GET', path: '/RPC2', headers: auth })).status).toBe(400);
    expect((await httpUnix(t.socket, { method: 'DELETE', path: '/RPC2', headers: auth })).status).toBe(400);
    expect((await httpUnix(t.socket, { method: 'GET', path: '/nothing-here', headers: auth })).status).toBe(404);
    for (const p of ['/logtail/../../../../etc/passwd', '/logtail/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/logtail/sleeper/../../../etc/passwd', '/logtail//etc/passwd', '/logtail/sleeper/stdout/../../../../etc/passwd']) {
      const r = await httpUnix(t.socket, { method: 'GET', path: p, headers: auth, timeoutMs: 5_000 }).catch(() => ({ status: 0, body: '' }));
      expect(r.body, p).not.toContain('root:x:0:0');
    }
  });

  it('supervision unaffected', supervisionUnaffected);
});

describe('connection floods', () => {
  it('slowloris: 200 half-sent requests do not block other clients', async () => {
    const slow: Socket[] = [];
    try {
      for (let i = 0; i < 200; i++) {
        const s = connect(t.socket);
        s.on('error', () => {});
        // Half the sockets stop inside the headers, half inside a declared body.
        s.write(i % 2 ? 'POST /RPC2 HTTP/1.1\r\nHost: x\r\nX-Slow: ' : `POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Length: 100000\r\n\r\n<methodCall>`);
        slow.push(s);
      }
      for (let i = 0; i < 20; i++) expect((await rpcCall(t.socket, 'supervisor.getState')).kind).toBe('value');
    } finally {
      for (const s of slow) s.destroy();
    }
  });

  it('500 concurrent clients all get answers', async () => {
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        i % 5 === 0
          ? post('<methodCall><methodName>broken').then((r) => r.status)
          : rpcCall(t.socket, 'supervisor.getProcessInfo', ['sleeper']).then((r) => (r.kind === 'value' ? 200 : -1)),
      ),
    );
    expect(results.filter((s) => s === 200)).toHaveLength(400);
    expect(results.filter((s) => s === 400)).toHaveLength(100);
  });

  it('clients that vanish mid-request or mid-response are harmless', async () => {
    for (let i = 0; i < 100; i++) {
      const s = connect(t.socket);
      s.on('error', () => {});
      s.write(`POST /RPC2 HTTP/1.1\r\nHost: x\r\nAuthorization: ${AUTH}\r\nContent-Length: ${serializeCall('supervisor.readLog', [0, 100_000]).length}\r\n\r\n${serializeCall('supervisor.readLog', [0, 100_000])}`);
      if (i % 2) s.destroy();
      else setImmediate(() => s.destroy());
    }
    expect((await rpcCall(t.socket, 'supervisor.getState')).kind).toBe('value');
  });

  it('supervision unaffected', supervisionUnaffected);
});
