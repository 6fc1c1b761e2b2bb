#!/bin/sh
# The "app": a long-running process (here just a heartbeat). Exits 0 on SIGTERM.
trap 'echo "app: got SIGTERM, exiting"; kill $! 2>/dev/null; exit 0' TERM
echo "app: started (pid $$)"
while :; do
  sleep 30 &
  wait $!
done
