#!/bin/sh
# tsinit launcher, installed as /usr/local/lib/tsinit/tsinit (and /usr/local/bin/tsinit -> here).
# `exec` keeps one process: Node itself becomes PID 1.
# --disable-sigusr1: SIGUSR1 must not open Node's inspector (a debugger port) inside the container; it needs
#   Node >= 22.14 (the image has 24).
# --no-memory-reducer: V8's memory reducer wakes an idle process every few seconds to shrink the heap; without
#   it an idle tsinit makes 0 wakeups (BENCHMARKS.md §5). It is a V8 flag: only the command line can set it.
# TSINIT_CODE_CACHE: the V8 code cache of every function a start runs, written by a warm-up run when the image
#   was built (Dockerfile; launch -7 ms on Node 24, BENCHMARKS.md §1). Read only; a missing one, or one made by
#   another Node or with other V8 flags, only costs that speed-up. tsinit removes it from the programs' env.
#   One of your own (e.g. an empty value to turn it off) is left alone.
dir=/usr/local/lib/tsinit
TSINIT_CODE_CACHE=${TSINIT_CODE_CACHE-$dir/code-cache} exec node --disable-sigusr1 --no-memory-reducer "$dir/tsinit.js" "$@"
