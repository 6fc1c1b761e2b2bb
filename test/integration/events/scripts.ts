// Listener programs used by the integration tests, written into a temp dir by each test.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PYTHON_SUPERVISOR_PATH = '/usr/lib/python3/dist-packages';

/** A listener built on supervisor.childutils: records `<header line>\n<payload>\n` per event, answers OK. */
export const CHILDUTILS_LISTENER = `import sys
sys.path.insert(0, ${JSON.stringify(PYTHON_SUPERVISOR_PATH)})
from supervisor import childutils
out = open(sys.argv[1], 'a', encoding='utf-8')
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    out.write(' '.join('%s:%s' % kv for kv in headers.items()) + '\\n' + payload + '\\n')
    out.flush()
    childutils.listener.ok(sys.stdout)
`;

/** The same listener by hand in POSIX sh (reads the payload with head -c). */
export const SHELL_LISTENER = `#!/bin/sh
out="$1"
printf 'READY\\n'
while IFS= read -r line; do
  len=\${line##*len:}
  printf '%s\\n' "$line" >> "$out"
  head -c "$len" >> "$out"
  printf '\\n' >> "$out"
  printf 'RESULT 2\\nOKREADY\\n'
done
`;

/**
 * A childutils listener that answers FAIL the first time it sees a serial and OK the second time; with
 * argv[2] == 'die' it instead exits (without answering) the first time it sees a serial.
 */
export const PICKY_LISTENER = `import os, sys
sys.path.insert(0, ${JSON.stringify(PYTHON_SUPERVISOR_PATH)})
from supervisor import childutils
rec, mode = sys.argv[1], sys.argv[2]
seen = set()
if os.path.exists(rec):
    for line in open(rec):
        seen.add(line.split()[0])
out = open(rec, 'a')
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    serial = headers['serial']
    first = serial not in seen
    seen.add(serial)
    out.write('%s %s %s\\n' % (serial, headers['poolserial'], payload.replace('\\n', '|')))
    out.flush()
    if first and mode == 'die':
        os._exit(1)
    if first and mode == 'fail':
        childutils.listener.fail(sys.stdout)
    else:
        childutils.listener.ok(sys.stdout)
`;

/** A childutils listener that blocks on its first event until the FIFO argv[2] is written to. */
export const GATED_LISTENER = `import sys
sys.path.insert(0, ${JSON.stringify(PYTHON_SUPERVISOR_PATH)})
from supervisor import childutils
rec, gate = sys.argv[1], sys.argv[2]
out = open(rec, 'a')
first = True
while True:
    headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
    out.write('%s %s\\n' % (headers['serial'], payload.replace('\\n', '|')))
    out.flush()
    if first:
        first = False
        open(gate).read()
    childutils.listener.ok(sys.stdout)
`;

export function writeScript(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

export interface ListenerRecord {
  readonly headers: Readonly<Record<string, string>>;
  readonly payload: string;
}

/** Parse a file of `<header line>\n<payload of len code points>\n` records. */
export function parseRecords(text: string): ListenerRecord[] {
  const chars = [...text];
  const out: ListenerRecord[] = [];
  let i = 0;
  while (i < chars.length) {
    let nl = i;
    while (nl < chars.length && chars[nl] !== '\n') nl++;
    if (nl >= chars.length) break;
    const line = chars.slice(i, nl).join('');
    const headers = Object.fromEntries(line.split(' ').map((kv) => [kv.slice(0, kv.indexOf(':')), kv.slice(kv.indexOf(':') + 1)]));
    const len = Number(headers['len']);
    if (nl + 1 + len + 1 > chars.length) break; // incomplete record (still being written)
    out.push({ headers, payload: chars.slice(nl + 1, nl + 1 + len).join('') });
    i = nl + 1 + len + 1;
  }
  return out;
}
