// The method table behind /RPC2: each method declares its parameters (for arity/type checks and
// system.methodSignature), its help text and whether the SHUTDOWN_STATE gate applies. Dispatch follows
// supervisord's traverse(): exactly `namespace.method`, no leading underscore, else UNKNOWN_METHOD.
import type { MainLog } from '../../log/types.js';
import { ControlError, type SupervisorControl } from '../../supervision/control.js';
import { SupervisorMood } from '../../supervision/states.js';
import { Faults, RpcFault } from '../faults.js';
import { XmlRpcDouble, isStruct, type XmlRpcStruct, type XmlRpcValue } from '../xmlrpc-values.js';

export interface RpcContext {
  readonly control: SupervisorControl;
  readonly mainLog: MainLog;
  /** Epoch milliseconds (injectable for tests). */
  now(): number;
  /** Runs work after the current response has been handed to the transport (shutdown/restart). */
  afterResponse(fn: () => void): void;
}

/** 'signal' accepts a string or an int; 'any' accepts every value. */
export type ParamType = 'string' | 'int' | 'boolean' | 'array' | 'signal' | 'any';

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  /** Present when the parameter may be omitted. */
  readonly default?: XmlRpcValue;
}

export type ParamValue = string | number | boolean | XmlRpcValue[] | XmlRpcValue;

export interface MethodSpec {
  readonly params: readonly ParamSpec[];
  /** Return type as system.methodSignature reports it. */
  readonly returns: 'string' | 'int' | 'boolean' | 'array' | 'struct';
  readonly help: string;
  /** Fails with SHUTDOWN_STATE while the supervisor is shutting down or restarting. */
  readonly gated: boolean;
  readonly call: (args: readonly ParamValue[]) => XmlRpcValue | Promise<XmlRpcValue>;
}

export type MethodTable = ReadonlyMap<string, MethodSpec>;

export function signatureOf(spec: MethodSpec): string[] {
  return [spec.returns, ...spec.params.map((p) => (p.type === 'signal' || p.type === 'any' ? 'string' : p.type))];
}

function coerce(value: XmlRpcValue, type: ParamType): ParamValue {
  switch (type) {
    case 'any':
      return value;
    case 'string':
      if (typeof value === 'string') return value;
      if (Buffer.isBuffer(value)) return value.toString('utf8');
      break;
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      if (value instanceof XmlRpcDouble && Number.isFinite(value.value)) return Math.trunc(value.value);
      if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number(value.trim());
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'number') return value !== 0;
      break;
    case 'signal':
      if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) return value;
      break;
    case 'array':
      if (Array.isArray(value)) return value;
      break;
  }
  throw new RpcFault('INCORRECT_PARAMETERS');
}

/** Convert anything a method threw into a fault (ControlError carries supervisord's fault name). */
export function toFault(err: unknown, detail?: string): RpcFault | null {
  if (err instanceof RpcFault) return err;
  if (err instanceof ControlError) {
    return new RpcFault(err.code, detail ?? (err.message === '' ? undefined : err.message));
  }
  return null;
}

export class Dispatcher {
  constructor(
    private readonly table: MethodTable,
    private readonly ctx: RpcContext,
  ) {}

  get methods(): MethodTable {
    return this.table;
  }

  /** Look a method up with supervisord's traversal rules. */
  lookup(method: string): MethodSpec {
    const parts = method.split('.');
    if (parts.length !== 2 || parts[1]!.startsWith('_')) throw new RpcFault('UNKNOWN_METHOD');
    const spec = this.table.get(method);
    if (!spec) throw new RpcFault('UNKNOWN_METHOD');
    return spec;
  }

  /**
   * Call a method. Resolves with its value; rejects with RpcFault for every fault, or with any other error
   * for an internal failure (the transport answers 500 for those).
   */
  async call(method: string, params: readonly XmlRpcValue[]): Promise<XmlRpcValue> {
    const spec = this.lookup(method);
    const required = spec.params.filter((p) => !('default' in p)).length;
    if (params.length < required || params.length > spec.params.length) throw new RpcFault('INCORRECT_PARAMETERS');
    if (spec.gated && this.ctx.control.mood < SupervisorMood.RUNNING) throw new RpcFault('SHUTDOWN_STATE');
    const args = spec.params.map((p, i) => (i < params.length ? coerce(params[i]!, p.type) : p.default!));
    try {
      return await spec.call(args);
    } catch (err) {
      throw toFault(err) ?? err;
    }
  }

  /** system.multicall: runs calls one after the other; each result is the bare value or a fault struct. */
  async multicall(calls: readonly XmlRpcValue[]): Promise<XmlRpcValue[]> {
    const results: XmlRpcValue[] = [];
    for (const call of calls) {
      try {
        if (!isStruct(call)) throw new RpcFault('INCORRECT_PARAMETERS', 'No methodName');
        const name = call['methodName'];
        if (typeof name !== 'string') throw new RpcFault('INCORRECT_PARAMETERS', 'No methodName');
        if (name === 'system.multicall') {
          throw new RpcFault('INCORRECT_PARAMETERS', 'Recursive system.multicall forbidden');
        }
        const params = call['params'] ?? [];
        if (!Array.isArray(params)) throw new RpcFault('INCORRECT_PARAMETERS');
        results.push(await this.call(name, params));
      } catch (err) {
        const fault =
          err instanceof RpcFault
            ? err
            : new RpcFault(Faults.FAILED, err instanceof Error ? `${err.name}:${err.message}` : String(err));
        results.push(faultStruct(fault));
      }
    }
    return results;
  }
}

export function faultStruct(fault: RpcFault): XmlRpcStruct {
  return { faultCode: fault.code, faultString: fault.text };
}
