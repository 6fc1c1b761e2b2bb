#!/bin/sh
# A helper next to the main program (log shipper, proxy...): runs until stopped.
trap 'echo "sidecar: got SIGTERM, exiting"; kill $! 2>/dev/null; exit 0' TERM
echo "sidecar: started (pid $$)"
while :; do
  sleep 30 &
  wait $!
done
