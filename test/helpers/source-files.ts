// The TypeScript sources under src/, for tests that check a rule about how modules import things.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');

/** Every src/**\/*.ts file: its path relative to src/ and its text. */
export function sourceFiles(): { file: string; text: string }[] {
  return readdirSync(SRC, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((file) => ({ file, text: readFileSync(path.join(SRC, file), 'utf8') }));
}
