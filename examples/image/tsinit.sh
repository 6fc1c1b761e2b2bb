#!/bin/sh
# tsinit launcher, installed as /usr/local/lib/tsinit/tsinit (and /usr/local/bin/tsinit -> here).
# `exec` keeps one process: Node itself becomes PID 1.
# --disable-sigusr1: SIGUSR1 must not open Node's inspector (a debugger port) inside the container; it needs
#   Node >= 22.14 (the image has 24).
# --no-memory-reducer: V8's memory reducer wakes an idle process every few seconds to shrink the heap; without
#   it an idle tsinit makes 0 wakeups (BENCHMARKS.md §5). It is a V8 flag: only the command line can set it.
# NODE_COMPILE_CACHE: the V8 code cache of tsinit.js, warmed when the image was built (launch −7 ms on
#   Node 24, BENCHMARKS.md §1). Only when the directory exists; a read-only one is read and never written.
#   TSINIT_COMPILE_CACHE tells tsinit that the variable is the launcher's, so that it removes both from its
#   environment and programs do not inherit them. A NODE_COMPILE_CACHE of your own is left alone.
dir=/usr/local/lib/tsinit
if [ -z "${NODE_COMPILE_CACHE+x}" ] && [ -d "$dir/cache" ]; then
  NODE_COMPILE_CACHE=$dir/cache TSINIT_COMPILE_CACHE=1 exec node --disable-sigusr1 --no-memory-reducer "$dir/tsinit.js" "$@"
fi
exec node --disable-sigusr1 --no-memory-reducer "$dir/tsinit.js" "$@"
