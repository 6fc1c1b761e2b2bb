// system.* introspection and multicall.
import { RpcFault } from '../faults.js';
import type { Dispatcher, MethodSpec } from './registry.js';
import { signatureOf } from './registry.js';

export function systemMethods(dispatcher: () => Dispatcher): [string, MethodSpec][] {
  const find = (name: string): MethodSpec => {
    const spec = dispatcher().methods.get(name);
    if (!spec) throw new RpcFault('SIGNATURE_UNSUPPORTED');
    return spec;
  };
  return [
    [
      'system.listMethods',
      {
        params: [],
        returns: 'array',
        help: 'Return an array listing the available method names\n\n@return array result An array of method names available (strings).',
        gated: false,
        call: () => [...dispatcher().methods.keys()].sort(),
      },
    ],
    [
      'system.methodHelp',
      {
        params: [{ name: 'name', type: 'string' }],
        returns: 'string',
        help: "Return a string showing the method's documentation\n\n@param string name The name of the method.\n@return string result The documentation for the method name.",
        gated: false,
        call: ([name]) => find(name as string).help,
      },
    ],
    [
      'system.methodSignature',
      {
        params: [{ name: 'name', type: 'string' }],
        returns: 'array',
        help:
          'Return an array describing the method signature in the form [rtype, ptype, ptype...] where rtype is the return data type ' +
          'of the method, and ptypes are the parameter data types that the method accepts in method argument order.\n\n' +
          '@param string name The name of the method.\n@return array result The result.',
        gated: false,
        call: ([name]) => signatureOf(find(name as string)),
      },
    ],
    [
      'system.multicall',
      {
        params: [{ name: 'calls', type: 'array' }],
        returns: 'array',
        help:
          "Process an array of calls, and return an array of results. Calls should be structs of the form {'methodName': string, " +
          "'params': array}. Each result is either the call's value or a struct of the form {'faultCode': int, 'faultString': string}.\n\n" +
          '@param array calls An array of call requests\n@return array result An array of results',
        gated: false,
        call: ([calls]) => dispatcher().multicall(calls as never),
      },
    ],
  ];
}
