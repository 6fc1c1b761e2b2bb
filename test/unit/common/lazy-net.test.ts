// node:net is loaded on first use only (src/common/lazy-net.ts): nothing before the first spawn needs it, and an
// `import ... from 'node:net'` anywhere in the bundle would load it at startup (launch time).
import { expect, it } from 'vitest';
import { sourceFiles } from '../../helpers/source-files.js';

it('no file in src/ imports node:net for its values', () => {
  const importers = sourceFiles()
    .filter(({ text }) => /^import\s+(?!type\b)[^;]*from\s+'(node:)?net'/m.test(text))
    .map(({ file }) => file);
  expect(importers).toEqual([]);
});
