// Python's repr() of a str, as supervisord puts request data into log lines (long data is cut).

export function pyRepr(s: string, maxChars = Infinity): string {
  const cut = s.length > maxChars;
  const text = cut ? s.slice(0, maxChars) : s;
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\x${cp.toString(16)}`;
    else out += ch;
  }
  return `${out}${quote}${cut ? '...' : ''}`;
}
