#!/bin/sh
# An event listener in plain sh: when any program goes FATAL (gave up restarting), it asks tsinit to
# shut down (SIGTERM to its parent), so the container stops and the orchestrator restarts it.
# Protocol (supervisord's): write READY, read a header line, read len: bytes of payload, answer
# "RESULT 2\nOK", repeat. stdout is the protocol channel: messages go to stderr only.
trap 'exit 0' TERM
printf 'READY\n'
while read -r header; do
  len=${header##*len:}
  len=${len%% *}
  payload=$(head -c "$len")
  event=${header##*eventname:}
  event=${event%% *}
  if [ "$event" = PROCESS_STATE_FATAL ]; then
    name=${payload#*processname:}
    name=${name%% *}
    echo "fatal-listener: $name is FATAL, shutting the container down" >&2
    kill -TERM "$PPID"
  fi
  printf 'RESULT 2\nOK'
  printf 'READY\n'
done
