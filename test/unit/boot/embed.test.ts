// dist/tsinit.js carries the bundle's body in line comments: scripts/embed-body.mjs writes them at build time,
// src/boot/embed.ts reads them back at every start. Both sides must agree exactly, for any body.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BODY_MARK as BUILD_MARK, encodeBody } from '../../../scripts/embed-body.mjs';
import { BODY_MARK, decodeBody } from '../../../src/boot/embed.js';

describe('the embedded body', () => {
  it('uses the same mark on both sides', () => {
    expect(BUILD_MARK).toBe(BODY_MARK);
  });

  it('decodes to exactly what was encoded, whatever lines it has', () => {
    // Bodies built from the characters that matter: newlines, slashes (lines that already start with //),
    // comment ends, and ordinary code.
    const piece = fc.constantFrom('\n', '/', '//', '*/', '/*', 'a', 'x=1;', ' ', '`', '"');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const body = parts.join('');
        const encoded = encodeBody(body);
        // every line is a line comment, so the loader's own parse skips the whole body
        expect(encoded.split('\n').every((line) => line.startsWith('//'))).toBe(true);
        expect(decodeBody(encoded)).toBe(body);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses a body with a line terminator that would end a line comment early', () => {
    for (const t of ['\r', '\u2028', '\u2029']) expect(() => encodeBody(`a${t}b`)).toThrow(/line terminator/);
  });

  it('refuses a damaged file', () => {
    expect(() => decodeBody('var x = 1;')).toThrow(/damaged/);
  });
});
