// XML-RPC values: their types, the parse error and limits, and what both parsers (saxes' tree in
// xmlrpc-codec.ts, the direct fast path in xmlrpc-fast-response.ts) share: the conversion of a scalar
// element's text to its value, and struct member assignment.

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
export const INVALID_XML_CHAR_SOURCE = '[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\uFFFE\\uFFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
export const INVALID_XML_CHAR = new RegExp(INVALID_XML_CHAR_SOURCE);

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

/** The response a <fault> carries: its faultCode and faultString (0 and '' when missing or of another type). */
export function faultResponse(value: XmlRpcStruct): MethodResponse {
  const code = value['faultCode'];
  const text = value['faultString'];
  return { kind: 'fault', faultCode: typeof code === 'number' ? code : 0, faultString: typeof text === 'string' ? text : '' };
}

export function bad(detail: string): never {
  throw new XmlRpcParseError('unmarshallable', detail);
}

export function setMember(target: XmlRpcStruct, key: string, value: XmlRpcValue): void {
  // defineProperty: a member called "__proto__" stays a plain member (no prototype change). Any other key
  // is a plain assignment (an own data property either way; defineProperty is ~10x slower).
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

const INT_RE = /^\s*[+-]?\d+\s*$/;
const DATE_RE = /^\s*(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})\s*$/;
const BASE64_RE = /^[A-Za-z0-9+/=\s]*$/;

/** The element names of scalar values (their content is text only). */
export const SCALAR_TYPES: ReadonlySet<string> = new Set([
  'int', 'i4', 'i8', 'boolean', 'string', 'double', 'dateTime.iso8601', 'base64', 'nil',
]);

/** The value of a scalar element `<type>text</type>` (type in SCALAR_TYPES). Throws XmlRpcParseError. */
export function scalarValue(type: string, text: string): XmlRpcValue {
  switch (type) {
    case 'int':
    case 'i4':
    case 'i8': {
      if (!INT_RE.test(text)) bad(`bad integer ${JSON.stringify(text)}`);
      const n = Number(text.trim());
      if (!Number.isSafeInteger(n)) bad(`integer out of range ${JSON.stringify(text)}`);
      return n;
    }
    case 'boolean': {
      const t = text.trim();
      if (t === '1') return true;
      if (t === '0') return false;
      return bad(`bad boolean ${JSON.stringify(t)}`);
    }
    case 'string':
      return text;
    case 'double': {
      const t = text.trim();
      const n = Number(t);
      if (t === '' || Number.isNaN(n)) bad(`bad double ${JSON.stringify(t)}`);
      return new XmlRpcDouble(n);
    }
    case 'dateTime.iso8601': {
      const m = DATE_RE.exec(text);
      if (!m) return bad('bad dateTime.iso8601');
      const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
      const date = new Date(y, mo - 1, d, h, mi, s);
      if (Number.isNaN(date.getTime())) bad('bad dateTime.iso8601');
      return date;
    }
    case 'base64': {
      if (!BASE64_RE.test(text)) bad('bad base64');
      return Buffer.from(text.replace(/\s+/g, ''), 'base64');
    }
    case 'nil':
      return null;
    default:
      return bad(`unknown type <${type}>`);
  }
}
