// node:net is loaded on first use only (src/common/lazy-net.ts): nothing before the first spawn needs it, and an
// `import ... from 'node:net'` anywhere in the bundle would load it at startup (launch time).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../../../src');

it('no file in src/ imports node:net for its values', () => {
  const importers: string[] = [];
  for (const f of readdirSync(SRC, { recursive: true })) {
    const file = String(f);
    if (!file.endsWith('.ts')) continue;
    const text = readFileSync(path.join(SRC, file), 'utf8');
    if (/^import\s+(?!type\b)[^;]*from\s+'(node:)?net'/m.test(text)) importers.push(file);
  }
  expect(importers).toEqual([]);
});
