#!/bin/sh
# A healthy long-running program.
trap 'echo "app: got SIGTERM, exiting"; kill $! 2>/dev/null; exit 0' TERM
echo "app: started (pid $$)"
while :; do sleep 30 & wait $!; done
