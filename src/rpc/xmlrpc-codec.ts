// XML-RPC wire format: parsing of methodCall / methodResponse documents and serialization in the exact
// layout Python's xmlrpc.client produces (what supervisord sends). Parsing uses saxes, a strict
// non-validating parser: DOCTYPE declarations are refused (so no entity definitions can exist), only the
// five predefined entities and character references are expanded, and element depth/count are bounded.
// Responses first try the one-pass reader (xmlrpc-fast-response.ts). The value types are in xmlrpc-values.ts.
import { SaxesParser } from 'saxes';
import { parseResponseFast } from './xmlrpc-fast-response.js';
import {
  bad,
  cappedInt,
  DEFAULT_LIMITS,
  faultResponse,
  INVALID_XML_CHAR_SOURCE,
  isStruct,
  scalarValue,
  SCALAR_TYPES,
  setMember,
  XmlRpcDouble,
  XmlRpcParseError,
  type MethodCall,
  type MethodResponse,
  type ParseLimits,
  type XmlRpcStruct,
  type XmlRpcValue,
} from './xmlrpc-values.js';

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

function only(node: XmlNode, name: string): XmlNode {
  if (node.children.length !== 1 || node.children[0]!.name !== name) bad(`<${node.name}> must contain one <${name}>`);
  return node.children[0]!;
}

function leaf(node: XmlNode): string {
  if (node.children.length !== 0) bad(`<${node.name}> must not contain elements`);
  return node.text;
}

function parseValue(node: XmlNode): XmlRpcValue {
  if (node.name !== 'value') bad(`expected <value>, got <${node.name}>`);
  if (node.children.length === 0) return node.text; // untyped value = string
  if (node.children.length > 1) bad('<value> with more than one element');
  const typed = node.children[0]!;
  if (SCALAR_TYPES.has(typed.name)) return scalarValue(typed.name, leaf(typed));
  switch (typed.name) {
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
  const fast = fastPath ? parseResponseFast(xml, limits) : null;
  if (fast !== null) return fast;
  const root = buildTree(xml, limits);
  if (root.name !== 'methodResponse') bad(`root element is <${root.name}>, not <methodResponse>`);
  const child = root.children[0];
  if (!child || root.children.length !== 1) bad('<methodResponse> must contain <params> or <fault>');
  if (child.name === 'fault') {
    const value = parseValue(only(child, 'value'));
    if (!isStruct(value)) return bad('fault is not a struct');
    return faultResponse(value);
  }
  if (child.name !== 'params') bad(`unexpected <${child.name}> in <methodResponse>`);
  const params = parseParams(child);
  if (params.length !== 1) bad('a response carries exactly one value');
  return { kind: 'value', value: params[0]! };
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
