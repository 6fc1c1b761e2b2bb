// Assembles the supervisor.* and system.* method table into a Dispatcher.
import { configMethods } from './supervisor-config.js';
import { infoMethods } from './supervisor-info.js';
import { ioMethods } from './supervisor-io.js';
import { logMethods } from './supervisor-logs.js';
import { processMethods } from './supervisor-process.js';
import { Dispatcher, type MethodSpec, type RpcContext } from './registry.js';
import { systemMethods } from './system.js';

export function createDispatcher(ctx: RpcContext): Dispatcher {
  const table = new Map<string, MethodSpec>();
  // eslint-disable-next-line prefer-const
  let dispatcher: Dispatcher;
  const entries = [
    ...infoMethods(ctx),
    ...configMethods(ctx),
    ...processMethods(ctx),
    ...logMethods(ctx),
    ...ioMethods(ctx),
    ...systemMethods(() => dispatcher),
  ];
  for (const [name, spec] of entries) table.set(name, spec);
  dispatcher = new Dispatcher(table, ctx);
  return dispatcher;
}

export { Dispatcher } from './registry.js';
export type { RpcContext } from './registry.js';
