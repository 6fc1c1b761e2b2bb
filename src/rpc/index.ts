// The control plane's entry point: `createRpcServer(control, mainLog)` → `{ start(), close() }`.
// start() rejects with HttpServerStartError (message in supervisord's wording) when a server cannot be
// opened; the caller prints `Error: <message>` and exits 2 as supervisord does.
export { createRpcServer, HttpServerStartError, MAX_BODY_BYTES } from './http-server.js';
export type { RpcServer, RpcServerOptions } from './http-server.js';
