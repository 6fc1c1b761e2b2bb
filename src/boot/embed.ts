// How dist/tsinit.js carries its code (see entry.ts): after a small loader, the bundle's body sits in line
// comments, one `//` in front of each of its lines, below the BODY_MARK line. Node parses the file and
// skips the comments in well under a millisecond; the loader reads the file, strips the `//`s, and compiles
// the body with vm.Script, which can take a V8 code cache of the functions a real start ran. The build makes
// the body one line (template literals lowered), so the usual decoding is a slice: no copy of the body.
// scripts/embed-body.mjs writes this format; test/unit/boot/embed.test.ts checks both sides agree.

/** The line in dist/tsinit.js after which the body starts. */
export const BODY_MARK = '//# tsinit-body\n';

/** The body's source from the text after BODY_MARK (the inverse of scripts/embed-body.mjs's encodeBody). */
export function decodeBody(embedded: string): string {
  if (!embedded.startsWith('//')) throw new Error('tsinit.js is damaged: its body does not start with //');
  const body = embedded.slice(2);
  return body.includes('\n//') ? body.replaceAll('\n//', '\n') : body;
}
