// A fast path for the methodResponse documents XML-RPC peers actually send (Python's xmlrpc.client and
// tsinit): an optional XML declaration, elements without attributes, whitespace between elements, text
// with the five predefined entities and character references. `tsinit ctl status` of 1,000 programs reads
// ~1 MB of it. It is read straight into values, in one pass and without a node tree: saxes checks every
// character against the XML grammar, and a tree of ~60,000 nodes that outlives several young-generation
// collections made the garbage collector the largest cost of the command (BENCHMARKS.md §6).
// Anything else (comments, CDATA, DOCTYPE, attributes, processing instructions, unknown entities,
// characters XML forbids, a raw CR that XML would normalise, text between elements, elements in another
// order, any value that does not convert) returns null, and the document goes through saxes and the node
// tree (xmlrpc-codec.ts), which accepts or rejects it in full with its own error. test/unit/rpc checks both
// paths against each other on random values and damaged documents.
import {
  faultResponse,
  INVALID_XML_CHAR,
  INVALID_XML_CHAR_SOURCE,
  isStruct,
  scalarValue,
  SCALAR_TYPES,
  setMember,
  XmlRpcParseError,
  type MethodResponse,
  type ParseLimits,
  type XmlRpcStruct,
  type XmlRpcValue,
} from './xmlrpc-values.js';

// (XML's whitespace is space, tab, CR and LF; JavaScript's \s also matches NBSP, BOM and more)
const XML_DECL_RE =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:'1\.0'|"1\.0")(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:'[A-Za-z][\w.-]*'|"[A-Za-z][\w.-]*"))?[ \t\r\n]*\?>/;
const ENTITY_RE = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));|&/g;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// (plus what the full parser must see: a raw CR, which XML normalises, and `]]>`, which content may not hold)
const FORBIDDEN_CHARS = new RegExp(`${INVALID_XML_CHAR_SOURCE}|\\r|]]>`);

/** Thrown inside the reader to hand the document to the full parser. */
class NeedsFullParser extends Error {}
const FALLBACK = new NeedsFullParser();

/** The response, or null when the document needs the full parser. */
export function parseResponseFast(xml: string, limits: ParseLimits): MethodResponse | null {
  try {
    return new ResponseReader(xml, limits).response();
  } catch (err) {
    // a conversion error too: the full parser reports it, with the same words
    if (err instanceof NeedsFullParser || err instanceof XmlRpcParseError) return null;
    throw err;
  }
}

/** Entity-decoded text, or null when it needs the full parser. */
function decodeText(raw: string): string | null {
  if (FORBIDDEN_CHARS.test(raw)) return null;
  if (!raw.includes('&')) return raw;
  let ok = true;
  const text = raw.replace(ENTITY_RE, (whole, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return PREDEFINED[name]!;
    const code = dec !== undefined ? Number(dec) : hex !== undefined ? parseInt(hex, 16) : NaN;
    const ch = code <= 0x10ffff ? String.fromCodePoint(code) : '';
    if (ch === '' || INVALID_XML_CHAR.test(ch)) {
      ok = false;
      return whole;
    }
    return ch;
  });
  return ok ? text : null;
}

const isWs = (c: number): boolean => c === 32 || c === 9 || c === 10;

class ResponseReader {
  private i: number;
  private elements = 0;
  private depth = 0;

  constructor(
    private readonly xml: string,
    private readonly limits: ParseLimits,
  ) {
    this.i = XML_DECL_RE.exec(xml)?.[0].length ?? 0;
  }

  response(): MethodResponse {
    this.ws();
    this.expectOpen('methodResponse');
    this.ws();
    let out: MethodResponse;
    if (this.at('params')) {
      this.expectOpen('params');
      this.ws();
      this.expectOpen('param');
      this.ws();
      out = { kind: 'value', value: this.value() };
      this.ws();
      this.close('param');
      this.ws();
      this.close('params');
    } else if (this.at('fault')) {
      this.expectOpen('fault');
      this.ws();
      const v = this.value();
      if (!isStruct(v)) throw FALLBACK;
      out = faultResponse(v);
      this.ws();
      this.close('fault');
    } else throw FALLBACK;
    this.ws();
    this.close('methodResponse');
    this.ws();
    if (this.i !== this.xml.length) throw FALLBACK;
    return out;
  }

  private value(): XmlRpcValue {
    if (!this.open('value')) return '';
    const text = this.text();
    if (this.atClose('value')) {
      this.close('value');
      return text; // untyped value = string
    }
    if (!/^[ \t\n]*$/.test(text)) throw FALLBACK;
    const type = this.nextName();
    let v: XmlRpcValue;
    if (SCALAR_TYPES.has(type)) {
      const content = this.open(type) ? this.text() : null;
      if (content !== null) this.close(type);
      v = scalarValue(type, content ?? '');
    } else if (type === 'array') v = this.array();
    else if (type === 'struct') v = this.struct();
    else throw FALLBACK;
    this.ws();
    this.close('value');
    return v;
  }

  private array(): XmlRpcValue[] {
    this.expectOpen('array');
    this.ws();
    const out: XmlRpcValue[] = [];
    if (this.open('data')) {
      this.ws();
      while (this.at('value')) {
        out.push(this.value());
        this.ws();
      }
      this.close('data');
    }
    this.ws();
    this.close('array');
    return out;
  }

  private struct(): XmlRpcStruct {
    const out: XmlRpcStruct = {};
    if (!this.open('struct')) return out;
    this.ws();
    while (this.at('member')) {
      this.expectOpen('member');
      this.ws();
      const key = this.open('name') ? this.text() : null;
      if (key !== null) this.close('name');
      this.ws();
      const v = this.value();
      this.ws();
      this.close('member');
      this.ws();
      setMember(out, key ?? '', v);
    }
    this.close('struct');
    return out;
  }

  private ws(): void {
    while (isWs(this.xml.charCodeAt(this.i))) this.i++;
  }

  /** Whether `<name>` or `<name/>` starts here. */
  private at(name: string): boolean {
    const { xml, i } = this;
    if (xml.charCodeAt(i) !== 60 || !xml.startsWith(name, i + 1)) return false;
    const c = xml.charCodeAt(i + 1 + name.length);
    return c === 62 || (c === 47 && xml.charCodeAt(i + 2 + name.length) === 62);
  }

  private atClose(name: string): boolean {
    const { xml, i } = this;
    return (
      xml.charCodeAt(i) === 60 &&
      xml.charCodeAt(i + 1) === 47 &&
      xml.startsWith(name, i + 2) &&
      xml.charCodeAt(i + 2 + name.length) === 62
    );
  }

  /** Reads `<name>` (true: close() follows) or `<name/>` (false). */
  private open(name: string): boolean {
    if (!this.at(name)) throw FALLBACK;
    if (++this.elements > this.limits.maxElements || this.depth >= this.limits.maxDepth) throw FALLBACK;
    const empty = this.xml.charCodeAt(this.i + 1 + name.length) === 47;
    this.i += name.length + (empty ? 3 : 2);
    if (!empty) this.depth++;
    return !empty;
  }

  private expectOpen(name: string): void {
    if (!this.open(name)) throw FALLBACK;
  }

  private close(name: string): void {
    if (!this.atClose(name)) throw FALLBACK;
    this.i += name.length + 3;
    this.depth--;
  }

  /** The element name of the tag starting here (`<name>` or `<name/>`), without moving. */
  private nextName(): string {
    const { xml, i } = this;
    if (xml.charCodeAt(i) !== 60) throw FALLBACK;
    let j = i + 1;
    while (j < xml.length) {
      const c = xml.charCodeAt(j);
      if (c === 62 || c === 47) break;
      j++;
    }
    return xml.slice(i + 1, j);
  }

  /** Text up to the next tag, entity-decoded. */
  private text(): string {
    const lt = this.xml.indexOf('<', this.i);
    if (lt === -1) throw FALLBACK;
    if (lt === this.i) return '';
    const text = decodeText(this.xml.slice(this.i, lt));
    if (text === null) throw FALLBACK;
    this.i = lt;
    return text;
  }
}
