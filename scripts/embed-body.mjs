// The build side of src/boot/embed.ts: dist/tsinit.js = loader + BODY_MARK + the body in line comments.
// Kept in plain JavaScript for scripts/build.mjs; test/unit/boot/embed.test.ts checks it against decodeBody.

export const BODY_MARK = '//# tsinit-body\n';

/**
 * `//` in front of every line. Only \n may end a line in the body: a \r, U+2028 or U+2029 would end the
 * line comment early and expose code to the loader's own parse (esbuild's charset=ascii escapes them).
 */
export function encodeBody(body) {
  const bad = /[\r\u2028\u2029]/.exec(body);
  if (bad) throw new Error(`the bundle body contains a line terminator other than \\n at ${bad.index}`);
  return `//${body.replaceAll('\n', '\n//')}`;
}
