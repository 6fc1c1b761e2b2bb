#!/bin/sh
# The container's main program: works for $RUN_SECS seconds (default 5), then exits with $EXIT_CODE
# (default 3) to show that the container ends with its code. Exits 0 on SIGTERM.
trap 'echo "main: got SIGTERM, exiting"; kill $! 2>/dev/null; exit 0' TERM
echo "main: started (pid $$), will exit with ${EXIT_CODE:-3} in ${RUN_SECS:-5}s"
sleep "${RUN_SECS:-5}" &
wait $!
echo "main: done, exiting with ${EXIT_CODE:-3}"
exit "${EXIT_CODE:-3}"
