#!/bin/sh
# tsinit launcher, installed as /usr/local/lib/tsinit/tsinit (and /usr/local/bin/tsinit -> here).
# `exec` keeps one process: Node itself becomes PID 1. --disable-sigusr1 stops SIGUSR1 from opening
# Node's inspector (a debugger port) inside the container; it needs Node >= 22.14 (the image has 24).
exec node --disable-sigusr1 /usr/local/lib/tsinit/tsinit.js "$@"
