// node:net, loaded when first used rather than when a module imports it: nothing between tsinit's loader and
// its first spawn needs it, and loading it (with node:stream) costs ~3 ms of launch time (BENCHMARKS.md §1).
// Modules import its types only (`import type`), and call net() where they make a socket or a server.
export const net = (): typeof import('node:net') => process.getBuiltinModule('node:net');
