#!/bin/sh
# A program that cannot start: it exits 1 at once, so after startretries it goes FATAL.
echo "flaky: cannot start (missing \$FLAKY_OK)"
[ -n "$FLAKY_OK" ] || exit 1
trap 'kill $! 2>/dev/null; exit 0' TERM
while :; do sleep 30 & wait $!; done
