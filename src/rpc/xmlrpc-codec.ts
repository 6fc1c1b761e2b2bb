// XML-RPC wire format: parsing of methodCall / methodResponse documents and serialization in the exact
// layout Python's xmlrpc.client produces (what supervisord sends). Parsing uses saxes, a strict
// non-validating parser: DOCTYPE declarations are refused (so no entity definitions can exist), only the
// five predefined entities and character references are expanded, and element depth/count are bounded.
import { SaxesParser } from 'saxes';

/** An explicit XML-RPC double (plain non-integer numbers serialize as doubles too). */
export class XmlRpcDouble {
  constructor(readonly value: number) {}
}

export type XmlRpcValue =
  | number
  | boolean
  | string
  | Date
  | Buffer
  | XmlRpcDouble
  | null
  | XmlRpcValue[]
  | XmlRpcStruct;

export interface XmlRpcStruct {
  [member: string]: XmlRpcValue;
}

export interface MethodCall {
  readonly method: string;
  readonly params: XmlRpcValue[];
}

export type MethodResponse =
  | { readonly kind: 'value'; readonly value: XmlRpcValue }
  | { readonly kind: 'fault'; readonly faultCode: number; readonly faultString: string };

/** Why a document could not be understood; `reason` is supervisord's log wording. */
export class XmlRpcParseError extends Error {
  override readonly name = 'XmlRpcParseError';
  constructor(
    readonly reason: 'unmarshallable' | 'no method name',
    detail: string,
  ) {
    super(detail);
  }
}

export interface ParseLimits {
  /** Deepest element nesting accepted. */
  readonly maxDepth: number;
  /** Most elements accepted in one document. */
  readonly maxElements: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxDepth: 64, maxElements: 200_000 };

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;

/** Clamp to the XML-RPC int range, as supervisord's capped_int. */
export function cappedInt(n: number): number {
  if (!Number.isFinite(n)) return n > 0 ? INT32_MAX : n < 0 ? INT32_MIN : 0;
  const i = Math.trunc(n);
  return i < INT32_MIN ? INT32_MIN : i > INT32_MAX ? INT32_MAX : i;
}

/** Characters XML 1.0 cannot carry at all (controls, U+FFFE/U+FFFF, unpaired surrogates). */
const INVALID_XML_CHAR_SOURCE = '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const INVALID_XML_CHAR = new RegExp(INVALID_XML_CHAR_SOURCE);

// ---------------------------------------------------------------------------------------------------
// Parsing

interface XmlNode {
  readonly name: string;
  readonly children: XmlNode[];
  text: string;
}

function buildTree(xml: string, limits: ParseLimits): XmlNode {
  const parser = new SaxesParser({ position: false });
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;
  let count = 0;
  let failure: string | null = null;
  const fail = (msg: string): void => {
    if (failure === null) failure = msg;
  };
  parser.on('error', (err) => fail(err.message));
  parser.on('doctype', () => fail('DOCTYPE is not allowed'));
  parser.on('opentag', (tag) => {
    if (failure !== null) return;
    count += 1;
    if (count > limits.maxElements) return fail('too many elements');
    if (stack.length >= limits.maxDepth) return fail('elements nested too deeply');
    const node: XmlNode = { name: tag.name, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('closetag', () => {
    if (failure === null) stack.pop();
  });
  const onText = (text: string): void => {
    if (failure !== null) return;
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(xml);
    if (failure === null) parser.close();
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  if (failure !== null) throw new XmlRpcParseError('unmarshallable', failure);
  if (root === null) throw new XmlRpcParseError('unmarshallable', 'no root element');
  return root;
}

// A fast path for the documents XML-RPC peers actually send (Python's xmlrpc.client and tsinit): an optional
// XML declaration, elements without attributes, text with the five predefined entities and character
// references. `tsinit ctl status` of 1,000 programs reads ~1 MB of it, and saxes, which checks every
// character against the XML grammar, took most of the command's time. Anything else (comments, CDATA,
// DOCTYPE, attributes, processing instructions, non-ASCII names, unknown entities, characters XML forbids,
// mismatched tags, a raw CR that XML would normalise) returns null and the document goes through saxes,
// which accepts or rejects it in full.
// (XML's whitespace is space, tab, CR and LF; JavaScript's \s also matches NBSP, BOM and more)
const XML_DECL_RE =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:'1\.0'|"1\.0")(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:'[A-Za-z][\w.-]*'|"[A-Za-z][\w.-]*"))?[ \t\r\n]*\?>/;
const ENTITY_RE = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));|&/g;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// (plus what the full parser must see: a raw CR, which XML normalises, and `]]>`, which content may not hold)
const FORBIDDEN_CHARS = new RegExp(`${INVALID_XML_CHAR_SOURCE}|\\r|]]>`);

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

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 58) || c === 45 || c === 46;
const isWs = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

function buildTreeFast(xml: string, limits: ParseLimits): XmlNode | null {
  const decl = XML_DECL_RE.exec(xml);
  let i = decl ? decl[0].length : 0;
  const len = xml.length;
  const stack: XmlNode[] = [];
  let top: XmlNode | undefined;
  let root: XmlNode | null = null;
  let count = 0;
  while (i < len) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? len : lt;
    if (textEnd > i) {
      const raw = xml.slice(i, textEnd);
      if (!top) {
        if (!/^[ \t\n]*$/.test(raw)) return null; // text outside the root element
      } else {
        const text = decodeText(raw);
        if (text === null) return null;
        top.text = top.text === '' ? text : top.text + text;
      }
    }
    if (lt === -1) break;
    let j = lt + 1;
    const closing = xml.charCodeAt(j) === 47;
    if (closing) j++;
    const nameStart = j;
    if (!isNameStart(xml.charCodeAt(j))) return null;
    j++;
    while (isNameChar(xml.charCodeAt(j))) j++;
    const nameEnd = j;
    while (isWs(xml.charCodeAt(j))) j++;
    const selfClosing = xml.charCodeAt(j) === 47;
    if (selfClosing) j++;
    if (xml.charCodeAt(j) !== 62) return null;
    i = j + 1;
    const name = xml.slice(nameStart, nameEnd);
    if (closing) {
      if (selfClosing || top === undefined || top.name !== name) return null;
      stack.pop();
      top = stack[stack.length - 1];
      continue;
    }
    if (root !== null && stack.length === 0) return null; // a second root element
    if (++count > limits.maxElements || stack.length >= limits.maxDepth) return null;
    const node: XmlNode = { name, children: [], text: '' };
    if (top) top.children.push(node);
    else root = node;
    if (!selfClosing) {
      stack.push(node);
      top = node;
    }
  }
  return stack.length === 0 ? root : null;
}

function bad(detail: string): never {
  throw new XmlRpcParseError('unmarshallable', detail);
}

function only(node: XmlNode, name: string): XmlNode {
  if (node.children.length !== 1 || node.children[0]!.name !== name) bad(`<${node.name}> must contain one <${name}>`);
  return node.children[0]!;
}

function leaf(node: XmlNode): string {
  if (node.children.length !== 0) bad(`<${node.name}> must not contain elements`);
  return node.text;
}

const INT_RE = /^\s*[+-]?\d+\s*$/;
const DATE_RE = /^\s*(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})\s*$/;
const BASE64_RE = /^[A-Za-z0-9+/=\s]*$/;

function setMember(target: XmlRpcStruct, key: string, value: XmlRpcValue): void {
  // defineProperty: a member called "__proto__" stays a plain member (no prototype change). Any other key
  // is a plain assignment (an own data property either way; defineProperty is ~10x slower).
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function parseValue(node: XmlNode): XmlRpcValue {
  if (node.name !== 'value') bad(`expected <value>, got <${node.name}>`);
  if (node.children.length === 0) return node.text; // untyped value = string
  if (node.children.length > 1) bad('<value> with more than one element');
  const typed = node.children[0]!;
  switch (typed.name) {
    case 'int':
    case 'i4':
    case 'i8': {
      const text = leaf(typed);
      if (!INT_RE.test(text)) bad(`bad integer ${JSON.stringify(text)}`);
      const n = Number(text.trim());
      if (!Number.isSafeInteger(n)) bad(`integer out of range ${JSON.stringify(text)}`);
      return n;
    }
    case 'boolean': {
      const text = leaf(typed).trim();
      if (text === '1') return true;
      if (text === '0') return false;
      return bad(`bad boolean ${JSON.stringify(text)}`);
    }
    case 'string':
      return leaf(typed);
    case 'double': {
      const text = leaf(typed).trim();
      const n = Number(text);
      if (text === '' || Number.isNaN(n)) bad(`bad double ${JSON.stringify(text)}`);
      return new XmlRpcDouble(n);
    }
    case 'dateTime.iso8601': {
      const m = DATE_RE.exec(leaf(typed));
      if (!m) return bad('bad dateTime.iso8601');
      const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
      const date = new Date(y, mo - 1, d, h, mi, s);
      if (Number.isNaN(date.getTime())) bad('bad dateTime.iso8601');
      return date;
    }
    case 'base64': {
      const text = leaf(typed);
      if (!BASE64_RE.test(text)) bad('bad base64');
      return Buffer.from(text.replace(/\s+/g, ''), 'base64');
    }
    case 'nil':
      leaf(typed);
      return null;
    case 'array': {
      const data = only(typed, 'data');
      return data.children.map(parseValue);
    }
    case 'struct': {
      const out: XmlRpcStruct = {};
      for (const member of typed.children) {
        if (member.name !== 'member') bad(`<struct> must contain <member>, not <${member.name}>`);
        const nameNode = member.children.find((c) => c.name === 'name');
        const valueNode = member.children.find((c) => c.name === 'value');
        if (!nameNode || !valueNode || member.children.length !== 2) bad('<member> needs one <name> and one <value>');
        setMember(out, leaf(nameNode), parseValue(valueNode));
      }
      return out;
    }
    default:
      return bad(`unknown type <${typed.name}>`);
  }
}

function parseParams(node: XmlNode): XmlRpcValue[] {
  return node.children.map((param) => {
    if (param.name !== 'param') bad(`<params> must contain <param>, not <${param.name}>`);
    return parseValue(only(param, 'value'));
  });
}

/** Parse a methodCall document. Throws XmlRpcParseError. */
export function parseMethodCall(xml: string, limits: ParseLimits = DEFAULT_LIMITS): MethodCall {
  const root = buildTree(xml, limits);
  if (root.name !== 'methodCall') bad(`root element is <${root.name}>, not <methodCall>`);
  let method: string | null = null;
  let params: XmlRpcValue[] = [];
  for (const child of root.children) {
    if (child.name === 'methodName') method = leaf(child).trim();
    else if (child.name === 'params') params = parseParams(child);
    else bad(`unexpected <${child.name}> in <methodCall>`);
  }
  if (!method) throw new XmlRpcParseError('no method name', 'no method name');
  return { method, params };
}

/**
 * Parse a methodResponse document (client side). Throws XmlRpcParseError. `fastPath: false` parses with
 * saxes only (the tests compare both).
 */
export function parseMethodResponse(xml: string, limits: ParseLimits = DEFAULT_LIMITS, fastPath = true): MethodResponse {
  const root = (fastPath ? buildTreeFast(xml, limits) : null) ?? buildTree(xml, limits);
  if (root.name !== 'methodResponse') bad(`root element is <${root.name}>, not <methodResponse>`);
  const child = root.children[0];
  if (!child || root.children.length !== 1) bad('<methodResponse> must contain <params> or <fault>');
  if (child.name === 'fault') {
    const value = parseValue(only(child, 'value'));
    if (!isStruct(value)) return bad('fault is not a struct');
    const code = value['faultCode'];
    const text = value['faultString'];
    return {
      kind: 'fault',
      faultCode: typeof code === 'number' ? code : 0,
      faultString: typeof text === 'string' ? text : '',
    };
  }
  if (child.name !== 'params') bad(`unexpected <${child.name}> in <methodResponse>`);
  const params = parseParams(child);
  if (params.length !== 1) bad('a response carries exactly one value');
  return { kind: 'value', value: params[0]! };
}

export function isStruct(v: XmlRpcValue | undefined): v is XmlRpcStruct {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !(v instanceof Date) &&
    !Buffer.isBuffer(v) &&
    !(v instanceof XmlRpcDouble)
  );
}

// ---------------------------------------------------------------------------------------------------
// Serialization (Python xmlrpc.client.dumps layout)

// Characters XML 1.0 cannot carry at all are replaced so the document stays well-formed.
const INVALID_XML_CHARS = new RegExp(INVALID_XML_CHAR_SOURCE, 'g');

export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML_CHARS, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatDate(d: Date): string {
  return `${pad(d.getFullYear(), 4)}${pad(d.getMonth() + 1)}${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const s = String(n);
  return Number.isInteger(n) && !s.includes('e') ? `${s}.0` : s;
}

function dumpValue(v: XmlRpcValue, out: string[], seen: Set<object>): void {
  if (v === null || v === undefined) {
    out.push('<value><nil/></value>');
  } else if (typeof v === 'boolean') {
    out.push(`<value><boolean>${v ? 1 : 0}</boolean></value>\n`);
  } else if (typeof v === 'number') {
    if (Number.isInteger(v)) out.push(`<value><int>${cappedInt(v)}</int></value>\n`);
    else out.push(`<value><double>${formatDouble(v)}</double></value>\n`);
  } else if (typeof v === 'string') {
    out.push(`<value><string>${escapeXml(v)}</string></value>\n`);
  } else if (v instanceof XmlRpcDouble) {
    out.push(`<value><double>${formatDouble(v.value)}</double></value>\n`);
  } else if (v instanceof Date) {
    out.push(`<value><dateTime.iso8601>${formatDate(v)}</dateTime.iso8601></value>\n`);
  } else if (Buffer.isBuffer(v)) {
    const b64 = v.toString('base64').replace(/(.{76})/g, '$1\n');
    out.push(`<value><base64>\n${b64}${b64.endsWith('\n') ? '' : '\n'}</base64></value>\n`);
  } else {
    if (seen.has(v)) throw new TypeError('cannot marshal recursive structures');
    seen.add(v);
    if (Array.isArray(v)) {
      out.push('<value><array><data>\n');
      for (const item of v) dumpValue(item, out, seen);
      out.push('</data></array></value>\n');
    } else {
      out.push('<value><struct>\n');
      for (const key of Object.keys(v)) {
        out.push(`<member>\n<name>${escapeXml(key)}</name>\n`);
        dumpValue(v[key] as XmlRpcValue, out, seen);
        out.push('</member>\n');
      }
      out.push('</struct></value>\n');
    }
    seen.delete(v);
  }
}

function dumpParams(values: readonly XmlRpcValue[]): string {
  const out: string[] = ['<params>\n'];
  for (const v of values) {
    out.push('<param>\n');
    dumpValue(v, out, new Set());
    out.push('</param>\n');
  }
  out.push('</params>\n');
  return out.join('');
}

const XML_DECL = "<?xml version='1.0'?>\n";

export function serializeResponse(value: XmlRpcValue): string {
  return `${XML_DECL}<methodResponse>\n${dumpParams([value])}</methodResponse>\n`;
}

export function serializeFault(code: number, text: string): string {
  const out: string[] = [];
  dumpValue({ faultCode: code, faultString: text }, out, new Set());
  return `${XML_DECL}<methodResponse>\n<fault>\n${out.join('')}</fault>\n</methodResponse>\n`;
}

export function serializeCall(method: string, params: readonly XmlRpcValue[]): string {
  return `${XML_DECL}<methodCall>\n<methodName>${escapeXml(method)}</methodName>\n${dumpParams(params)}</methodCall>\n`;
}
