// Python's repr() of a str, as supervisord's messages embed it (`can't find command 'x'`, `can't parse
// command '...'`). Quote choice and escapes follow CPython 3: single quotes unless the text contains a
// single quote and no double quote; \\ \t \n \r and the chosen quote escaped; other non-printable
// characters as \xNN, \uNNNN or \UNNNNNNNN.

function isPrintable(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xad) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false; // lone surrogates
  if (cp === 0x2028 || cp === 0x2029 || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e)) return false;
  if ((cp >= 0x2060 && cp <= 0x206f) || cp === 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb)) return false;
  if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) return false; // private use
  if ((cp & 0xfffe) === 0xfffe) return false; // noncharacters U+xxFFFE/F
  // Other separators (Zs other than the ASCII space) are not printable in Python.
  if (cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x202f || cp === 0x205f || cp === 0x3000) return false;
  return true;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (isPrintable(cp)) out += ch;
    else if (cp <= 0xff) out += '\\x' + hex(cp, 2);
    else if (cp <= 0xffff) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + quote;
}
