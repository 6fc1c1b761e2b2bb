// Property-based hardening of the config reader: random and mutated configs fed to loadConfig()
// always end in either a valid model or a ConfigError whose message says where the problem is —
// never another exception type (which would be an "unexpected error" at startup or on reload).
// A hang would show up as the test timing out.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { LoadOptions } from '../../../src/config/load.js';
import { loadConfig } from '../../../src/config/load.js';
import type { Config } from '../../../src/config/model.js';
import { ConfigError } from '../../../src/config/model.js';
import * as O from './options.js';

const FIXTURES = path.resolve(import.meta.dirname, '..', '..', 'fixtures', 'configs');
const work = mkdtempSync(path.join(tmpdir(), 'tsinit-cfgfuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ENV = { HOME: '/root', PATH: '/usr/bin:/bin', PCT: '100%', EMPTY: '', HOSTNAME_FOR_TEST: 'box' };
const OPTS: LoadOptions = { env: ENV, cwd: work, hostname: 'box' };

let counter = 0;
/** A fresh directory per case, so that include globs only see this case's files. */
function caseDir(): string {
  const d = path.join(work, `case${counter++}`);
  mkdirSync(d);
  return d;
}

type Outcome = { ok: true; config: Config } | { ok: false; error: ConfigError };

/** Load a config text; anything thrown that is not a ConfigError fails the property with its stack. */
function attempt(file: string, opts: LoadOptions = OPTS): Outcome {
  try {
    return { ok: true, config: loadConfig(file, opts) };
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, error: err };
    throw new Error(`loadConfig threw ${(err as Error)?.constructor?.name}, not a ConfigError, for ${file}:\n${readFileSync(file, 'latin1').slice(0, 2000)}\n${(err as Error)?.stack}`);
  }
}

function writeCase(text: string | Buffer, dir = caseDir(), name = 'supervisord.conf'): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

function expectCleanMessage(err: ConfigError): void {
  expect(err.message.length).toBeGreaterThan(0);
  // The message is supervisord's text, not a JS stack or an internal error.
  expect(err.message).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)|TypeError|RangeError|SyntaxError|undefined|\[object /);
}

const BASE =
  '[supervisord]\nlogfile=/dev/null\n' +
  '[program:a]\ncommand=/bin/a\n' +
  '[eventlistener:l]\ncommand=/bin/l\nevents=TICK_5\n' +
  '[fcgi-program:f]\ncommand=/bin/f\nsocket=tcp://localhost:9000\n' +
  '[group:g]\nprograms=a\n';

const SECTIONS: [string, readonly string[]][] = [
  ['supervisord', O.SUPERVISORD_OPTIONS],
  ['program:a', O.PROGRAM_OPTIONS],
  ['eventlistener:l', [...O.PROGRAM_OPTIONS, ...O.LISTENER_OPTIONS]],
  ['fcgi-program:f', [...O.PROGRAM_OPTIONS, ...O.FCGI_OPTIONS]],
  ['group:g', O.GROUP_OPTIONS],
  ['unix_http_server', O.UNIX_OPTIONS],
  ['inet_http_server', O.INET_OPTIONS],
  ['supervisorctl', O.CTL_OPTIONS],
  ['tsinit', O.TSINIT_OPTIONS],
  ['rpcinterface:supervisor', ['supervisor.rpcinterface_factory']],
];

/** One line's worth of value: interesting tokens, printable strings, full unicode, control chars. */
const valueArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...O.INTERESTING_VALUES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom('%', '(', ')', 's', 'd', 'ENV_HOME', 'here', 'process_num', '0', '2', '"', "'", ',', '=', ' ', ';', '#', '\\'), { maxLength: 12 }).map((a) => a.join('')) },
);
/** Values never contain a line break: a stray \n or \r simply starts a new line (covered by the mutation tests). */
const oneLine = (v: string) => v.replace(/[\n\r\u2028\u2029\u0085\u000b\u000c\u001c-\u001e]/g, ' ');

/** True when the message points at the option or section (supervisord's suffix or tsinit's location). */
function namesPlace(m: string, section: string, option: string, file: string): boolean {
  if (m.includes(`option '${option}'`) && m.includes(file)) return true;
  if (m.includes(`section '${section}'`) && m.includes(file)) return true;
  if (m.includes(`'${section}.${option}'`)) return true;
  if (m.includes(`[${section}]`)) return true;
  if (m.startsWith('Source contains parsing errors') && m.includes(file)) return true;
  return false;
}

describe('config fuzzing: every input ends in a model or a located ConfigError', () => {
  it('a random value for each option of each section', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SECTIONS), fc.nat(), valueArb, ([section, options], k, raw) => {
        const option = options[k % options.length]!;
        const value = oneLine(raw);
        const file = writeCase(`${BASE}[${section}]\n${option}=${value}\n`);
        const r = attempt(file);
        if (r.ok) return;
        expectCleanMessage(r.error);
        if (!namesPlace(r.error.message, section, option, file)) {
          throw new Error(`${section}.${option}=${JSON.stringify(value)} gave an error that does not say where: ${r.error.message}`);
        }
      }),
      { numRuns: 4000 },
    );
  });

  it('random whole configs: any sections, any options, several at once', () => {
    const sectionArb = fc.tuple(fc.constantFrom(...SECTIONS), fc.array(fc.tuple(fc.nat(), valueArb), { maxLength: 8 }));
    fc.assert(
      fc.property(fc.boolean(), fc.array(sectionArb, { maxLength: 8 }), (withSupervisord, sections) => {
        let text = withSupervisord ? '[supervisord]\nlogfile=/dev/null\n' : '';
        for (const [[name, options], opts] of sections) {
          text += `[${name}]\n`;
          for (const [k, v] of opts) text += `${options[k % options.length]}=${oneLine(v)}\n`;
        }
        const r = attempt(writeCase(text));
        if (!r.ok) expectCleanMessage(r.error);
        else expect(r.config.supervisord).toBeDefined();
      }),
      { numRuns: 1500 },
    );
  });

  it('random bytes and random text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
          fc.string({ unit: 'binary', maxLength: 400 }).map((s) => Buffer.from(s)),
          fc.string({ unit: 'binary', maxLength: 400 }).map((s) => Buffer.from('[supervisord]\n' + s)),
        ),
        (bytes) => {
          const r = attempt(writeCase(bytes));
          if (!r.ok) expectCleanMessage(r.error);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('environment= and %-expansions with hostile environment values', () => {
    const envValue = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('%', '%%', '%(here)s', '%(ENV_X)s', '"', "'", ',', '=', '\\'));
    fc.assert(
      fc.property(envValue, valueArb, valueArb, (x, progEnv, sdEnv) => {
        const text = `[supervisord]\nlogfile=/dev/null\nenvironment=${oneLine(sdEnv)}\n[program:p]\ncommand=/bin/echo %(ENV_X)s\nenvironment=${oneLine(progEnv)}\n`;
        const r = attempt(writeCase(text), { ...OPTS, env: { ...ENV, X: x } });
        if (!r.ok) expectCleanMessage(r.error);
        else expect(r.config.groups.flatMap((g) => g.processes).find((p) => p.name === 'p')!.command).toBe(`/bin/echo ${x}`);
      }),
      { numRuns: 1500 },
    );
  });
});

/** Every fixture (with its includes) copied per case, then mutated line by line. */
const fixtureFiles = readdirSync(FIXTURES).filter((f) => f.endsWith('.conf'));

type Mutation =
  | { kind: 'drop'; at: number }
  | { kind: 'dup'; at: number }
  | { kind: 'swap'; at: number; with: number }
  | { kind: 'garble'; at: number; pos: number; text: string }
  | { kind: 'indent'; at: number }
  | { kind: 'value'; at: number; value: string }
  | { kind: 'insert'; at: number; text: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
  fc.record({ kind: fc.constant('garble' as const), at: fc.nat(), pos: fc.nat(), text: fc.string({ unit: 'binary', maxLength: 6 }) }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('value' as const), at: fc.nat(), value: valueArb.map(oneLine) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('[', ']', '[]', '[program:]', '[program:x y]', '[DEFAULT]', '=', ':x', 'key', '[include]', 'files=*', 'files=../*/*.conf', '%', '[supervisord]', '[group:g]', 'programs=nope') }),
);

function mutate(lines: string[], m: Mutation): string[] {
  if (lines.length === 0) return lines;
  const i = m.at % lines.length;
  const out = [...lines];
  switch (m.kind) {
    case 'drop':
      out.splice(i, 1);
      break;
    case 'dup':
      out.splice(i, 0, out[i]!);
      break;
    case 'swap': {
      const j = m.with % lines.length;
      [out[i], out[j]] = [out[j]!, out[i]!];
      break;
    }
    case 'garble': {
      const l = out[i]!;
      const p = m.pos % (l.length + 1);
      out[i] = l.slice(0, p) + m.text + l.slice(p + 1);
      break;
    }
    case 'indent':
      out[i] = '  ' + out[i];
      break;
    case 'value': {
      const l = out[i]!;
      const eq = l.search(/[=:]/);
      out[i] = eq >= 0 ? l.slice(0, eq + 1) + m.value : l;
      break;
    }
    case 'insert':
      out.splice(i, 0, m.text);
      break;
  }
  return out;
}

describe('mutated real-world fixtures', () => {
  it('every fixture loads unmutated (the base of the mutations is valid)', () => {
    for (const f of [...fixtureFiles, 'includes/main.conf']) {
      const d = caseDir();
      cpSync(FIXTURES, d, { recursive: true });
      const r = attempt(path.join(d, f), { ...OPTS, cwd: d });
      expect(r.ok, `${f}: ${r.ok ? '' : r.error.message}`).toBe(true);
    }
  });

  it('dropped, duplicated, swapped, garbled, re-indented and re-valued lines', () => {
    fc.assert(
      fc.property(fc.constantFrom(...fixtureFiles, 'includes/main.conf', 'includes/conf.d/10-web.conf'), fc.array(mutationArb, { minLength: 1, maxLength: 5 }), (fixture, mutations) => {
        const d = caseDir();
        cpSync(FIXTURES, d, { recursive: true });
        const file = path.join(d, fixture);
        let lines = readFileSync(file, 'utf8').split('\n');
        for (const m of mutations) lines = mutate(lines, m);
        writeFileSync(file, lines.join('\n'));
        const main = fixture.startsWith('includes/') ? path.join(d, 'includes', 'main.conf') : file;
        const r = attempt(main, { ...OPTS, cwd: d });
        if (!r.ok) expectCleanMessage(r.error);
      }),
      { numRuns: 800 },
    );
  });
});

describe('huge inputs and deep include globs', () => {
  it('a 4 MB value, 5,000 sections and 100,000 lines load or fail cleanly', () => {
    const huge = attempt(writeCase(`[supervisord]\nlogfile=/dev/null\n[program:a]\ncommand=/bin/echo ${'x'.repeat(4 * 1024 * 1024)}\n`));
    expect(huge.ok && huge.config.groups[0]!.processes[0]!.command.length).toBe(4 * 1024 * 1024 + 10);

    let many = '[supervisord]\nlogfile=/dev/null\n';
    for (let i = 0; i < 5000; i++) many += `[program:p${i}]\ncommand=/bin/true\nautostart=false\n`;
    const m = attempt(writeCase(many));
    expect(m.ok && m.config.groups.length).toBe(5000);

    const lines = attempt(writeCase('[supervisord]\nlogfile=/dev/null\n[program:a]\ncommand=/bin/true\n' + '  continued\n'.repeat(100_000)));
    expect(lines.ok && lines.config.groups[0]!.processes[0]!.command.split('\n').length).toBe(100_001);

    const numbers = attempt(writeCase(`[supervisord]\nlogfile=/dev/null\n[program:a]\ncommand=/bin/true\nnumprocs=${'9'.repeat(300)}\nprocess_name=%(process_num)s\n`));
    if (!numbers.ok) expectCleanMessage(numbers.error);
  });

  it('absurd numprocs / numprocs_start are refused instead of looping until memory runs out', () => {
    const big = attempt(writeCase('[supervisord]\nlogfile=/dev/null\n[program:a]\ncommand=/bin/true\nnumprocs=200000\nprocess_name=%(process_num)s\n'));
    expect(!big.ok && big.error.message).toMatch(/^numprocs 200000 is above tsinit's limit of 10000 processes per program in section 'program:a' .*option 'numprocs'\)$/);
    // Past 2**53, processNum++ no longer changes the number: the loop would never end.
    const start = attempt(writeCase('[supervisord]\nlogfile=/dev/null\n[program:a]\ncommand=/bin/true\nnumprocs=2\nnumprocs_start=9007199254740992\nprocess_name=%(process_num)s\n'));
    expect(!start.ok && start.error.message).toMatch(/^numprocs_start 9007199254740992 is too large .*option 'numprocs_start'\)$/);
    const edge = attempt(writeCase('[supervisord]\nlogfile=/dev/null\n[program:a]\ncommand=/bin/true\nnumprocs=10000\nprocess_name=%(process_num)s\n'));
    expect(edge.ok && edge.config.groups[0]!.processes.length).toBe(10000);
  });

  it('random glob patterns over a deep directory tree', () => {
    // A tree 6 levels deep, 3 wide: 3^6 = 729 leaf directories, each with a .conf file.
    const root = caseDir();
    const build = (dir: string, depth: number, id: string): void => {
      if (depth === 0) {
        writeFileSync(path.join(dir, `leaf${id}.conf`), `[program:p${id}]\ncommand=/bin/true\n`);
        return;
      }
      for (const c of ['a', 'b', 'c']) {
        const sub = path.join(dir, c);
        mkdirSync(sub);
        build(sub, depth - 1, id + c);
      }
    };
    build(root, 6, '');
    const deep = attempt(writeCase('[supervisord]\nlogfile=/dev/null\n[include]\nfiles=*/*/*/*/*/*/*.conf\n', root, 'main.ini'));
    expect(deep.ok && deep.config.groups.length).toBe(729);

    const segment = fc.oneof(
      fc.constantFrom('*', '?', 'a', 'b', '[ab]', '[!a]', '[z-a]', '[]', '[', ']', '..', '.', '', '**', '*.conf', 'leaf*', '[a-c]*', '%(here)s', '%(host_node_name)s', '%(ENV_HOME)s', '%'),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 9 }), fc.boolean(), (segs, absolute) => {
        const pattern = (absolute ? root + '/' : '') + segs.join('/');
        const r = attempt(writeCase(`[supervisord]\nlogfile=/dev/null\n[include]\nfiles=${oneLine(pattern)}\n`, root, `m${counter++}.ini`));
        if (!r.ok) expectCleanMessage(r.error);
      }),
      { numRuns: 400 },
    );
    // The tree really was walked: statSync proves the fixture is there (guards a vacuous pass).
    expect(statSync(path.join(root, 'a', 'b', 'c', 'a', 'b', 'c')).isDirectory()).toBe(true);
  });
});
