// supervisord's stripEscapes (spec §5.1): remove every `ESC [` ... up to and including the first of
// H f A B C D R s u J K h l p m; an unterminated sequence runs to the end of the chunk.
const ANSI = /\x1b\[[^HfABCDRsuJKhlpm]*(?:[HfABCDRsuJKhlpm]|$)/g;

export function stripAnsi(data: Buffer): Buffer {
  if (data.indexOf(0x1b) === -1) return data;
  // latin1 keeps a 1:1 byte↔char mapping, so multi-byte UTF-8 passes through untouched.
  return Buffer.from(data.toString('latin1').replace(ANSI, ''), 'latin1');
}
