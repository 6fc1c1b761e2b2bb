// Python's repr() of str and bytes objects, byte for byte as CPython 3 writes them. supervisord embeds
// repr()'d values in its messages (`can't find command 'x'`, `Undecodable: b'\x88'`, parse errors), so
// every layer that reproduces one of those texts uses these two functions.

/** Python's str.isprintable() for one code point (non-printable ones are escaped by repr()). */
function isPrintable(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp === 0xad) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false; // lone surrogates
  if (cp === 0x2028 || cp === 0x2029 || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e)) return false;
  if ((cp >= 0x2060 && cp <= 0x206f) || cp === 0xfeff || (cp >= 0xfff9 && cp <= 0xfffb)) return false;
  if ((cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000) return false; // private use
  if ((cp & 0xfffe) === 0xfffe) return false; // noncharacters U+xxFFFE/F
  // Separators (Zs) other than the ASCII space are not printable in Python.
  if (cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x202f || cp === 0x205f || cp === 0x3000) return false;
  return true;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** Python repr() of a str: single quotes unless it holds a ' and no ". */
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

/** Python repr() of a list of str: ['a', 'b']. */
export function pyReprList(items: readonly string[]): string {
  return '[' + items.map(pyRepr).join(', ') + ']';
}

/** Python repr() of a bytes object: b'...' (or b"..." when it holds ' but no "). */
export function pyBytesRepr(data: Uint8Array): string {
  const quote = data.includes(0x27) && !data.includes(0x22) ? 0x22 : 0x27;
  let out = 'b' + String.fromCharCode(quote);
  for (const b of data) {
    if (b === quote || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b === 0x09) out += '\\t';
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b >= 0x7f) out += '\\x' + hex(b, 2);
    else out += String.fromCharCode(b);
  }
  return out + String.fromCharCode(quote);
}
