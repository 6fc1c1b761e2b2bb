#!/bin/sh
# One of N identical workers; $1 is its number (%(process_num)d). Exits 0 on SIGTERM.
n=${1:-0}
trap 'echo "worker $n: got SIGTERM, exiting"; kill $! 2>/dev/null; exit 0' TERM
echo "worker $n: started (pid $$)"
i=0
while :; do
  sleep 5 &
  wait $!
  i=$((i + 1))
  echo "worker $n: batch $i done"
done
