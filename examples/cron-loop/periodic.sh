#!/bin/sh
# A cron-like loop: runs JOB every INTERVAL seconds (default 60), aligned to the wall clock, and logs
# each run with its exit status. SIGTERM ends it between or during runs (exit 0).
# Usage: periodic.sh INTERVAL JOB [ARGS...]
interval=${1:-60}
shift
[ $# -gt 0 ] || set -- echo "periodic: (no job given)"
trap 'echo "periodic: got SIGTERM, exiting"; exit 0' TERM
echo "periodic: running '$*' every ${interval}s"
while :; do
  now=$(date +%s)
  # sleep until the next multiple of $interval (like cron's */N), in the background so SIGTERM is handled at once
  sleep $((interval - now % interval)) &
  wait $!
  "$@"
  echo "periodic: job exited with $? at $(date -u +%H:%M:%S)"
done
