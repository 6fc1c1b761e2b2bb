#!/usr/bin/env bash
# Container tests: builds the tsinit image with the container lab (podman or dockerd, no registry) and
# checks in real containers that
#   1. tsinit is PID 1 (and its programs are its children);
#   2. `stop` ends with exit code 0 after every program got its own stopsignal;
#   3. a critical program going FATAL ends the container with that program's exit code; the code cache
#      warmed at image build is accepted, and programs do not inherit its variable;
#   4. no zombies remain after a program leaves orphans (and the orphans were counted);
#   5. the health endpoint answers from outside the container on loopback (--network=host), and the
#      image's HEALTHCHECK (`tsinit health`) passes;
#   6. the image works copied into another image (COPY --from) with Node, and without Node;
#   7. docker-compose.yml comes up, turns healthy, serves HTTP and goes down cleanly.
#
# Exit status: 0 when every check passed OR when the container lab is not available here (it says why);
# 1 when the lab is available and a check failed. CONTAINER_TEST=require makes "lab not available" an
# error; CONTAINER_TEST=skip skips everything. LAB_ENGINE=docker runs the same against dockerd.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${CONTAINER_TEST:-auto}
TAG=localhost/tsinit-ci:test
WORK=$(mktemp -d /tmp/tsinit-container-test.XXXXXX)
LOG=$WORK/log
PASS=0
FAIL=0
FAILED=()
CONTAINERS=()
T0=$(date +%s)

say() { printf '[container-test %(%H:%M:%S)T] %s\n' -1 "$*"; }
pass() { PASS=$((PASS + 1)); say "PASS $*"; }
fail() { FAIL=$((FAIL + 1)); FAILED+=("$1"); say "FAIL $*"; }
skip_or_fail() { # lab unavailable: why
  if [[ $MODE == require ]]; then say "container lab required but not available: $*"; exit 1; fi
  say "SKIPPED: container lab not available: $*"
  exit 0
}

[[ $MODE == skip ]] && { say "SKIPPED (CONTAINER_TEST=skip)"; exit 0; }

# ------------------------------------------------------------------ find and prepare the lab
LAB=${CONTAINER_LAB:-}
if [[ -z $LAB ]]; then
  for c in "$ROOT/../shared/container-lab/container-lab.sh" /work/shared/container-lab/container-lab.sh; do
    [[ -x $c ]] && { LAB=$c; break; }
  done
fi
[[ -n $LAB && -x $LAB ]] || skip_or_fail "container-lab.sh not found (set CONTAINER_LAB=/path/to/container-lab.sh)"
[[ $(id -u) == 0 ]] || skip_or_fail "needs root (rootful podman/dockerd)"
command -v node >/dev/null || skip_or_fail "node is not on PATH (used for host-side HTTP checks)"
say "lab: $LAB (engine ${LAB_ENGINE:-podman}); work dir $WORK"
if ! "$LAB" setup >"$WORK/setup.log" 2>&1; then
  tail -5 "$WORK/setup.log"
  skip_or_fail "'container-lab.sh setup' failed (see $WORK/setup.log)"
fi

lab() { "$LAB" "$@"; }
cli() { "$LAB" cli "$@"; }
ENGINE=${LAB_ENGINE:-podman}

cleanup() {
  for c in "${CONTAINERS[@]}"; do cli rm -f "$c" >/dev/null 2>&1; done
  if [[ -n ${COMPOSE_UP:-} ]]; then (cd "$ROOT" && lab compose . down >/dev/null 2>&1); fi
  if ((FAIL == 0)); then rm -rf "$WORK"; fi
}
trap cleanup EXIT

# wait_for <seconds> <command...>: retry until the command succeeds (condition, not a fixed sleep)
wait_for() {
  local deadline=$(($(date +%s) + $1)); shift
  until "$@" >/dev/null 2>&1; do
    (($(date +%s) >= deadline)) && return 1
    sleep 0.3
  done
}
logs_have() { cli logs "$1" 2>&1 | grep -qF -- "$2"; }
# wait_log <seconds> <container> <text>: like wait_for logs_have, but gives up at once when the container ended
wait_log() {
  local deadline=$(($(date +%s) + $1))
  until logs_have "$2" "$3"; do
    { (($(date +%s) >= deadline)) || not_running "$2"; } && { logs_have "$2" "$3"; return; }
    sleep 0.3
  done
}
state_of() { cli inspect -f '{{.State.Status}}' "$1" 2>/dev/null; }
exit_of() { cli inspect -f '{{.State.ExitCode}}' "$1" 2>/dev/null; }
not_running() { [[ $(state_of "$1") != running ]]; }
# http_get <url> [expected status]: prints the body, succeeds when the status matches (default 200)
http_get() {
  node -e '
    const http = require("node:http");
    const req = http.get(process.argv[1], { agent: false }, (res) => {
      let b = ""; res.setEncoding("utf8"); res.on("data", (c) => (b += c));
      res.on("end", () => { process.stdout.write(b); process.exit(res.statusCode === Number(process.argv[2]) ? 0 : 1); });
    });
    req.setTimeout(3000, () => req.destroy(new Error("timeout")));
    req.on("error", () => process.exit(2));' "$1" "${2:-200}"
}
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
start() { # start <name> <run options...> -- detached, remembered for cleanup
  local name=$1; shift
  cli rm -f "$name" >/dev/null 2>&1
  CONTAINERS+=("$name")
  cli run -d --name "$name" "$@" >/dev/null 2>>"$WORK/engine.log"
}
show_logs() { say "--- logs of $1"; cli logs "$1" 2>&1 | tail -n "${2:-30}" | sed 's/^/    /'; }

# Test programs and configs live in $WORK/t, mounted read-only at /t.
T=$WORK/t
mkdir -p "$T"
base_conf() { # base_conf <file> [tsinit section lines...]
  {
    printf '[supervisord]\nnodaemon=true\nlogfile=/dev/stdout\nlogfile_maxbytes=0\npidfile=/run/supervisord.pid\n'
    printf '[tsinit]\n'
    local l; for l in "${@:2}"; do printf '%s\n' "$l"; done
  } >"$1"
}
program() { # program <file> <name> <command> [extra lines...]
  {
    printf '\n[program:%s]\ncommand=%s\nstdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nredirect_stderr=true\n' "$2" "$3"
    local l; for l in "${@:4}"; do printf '%s\n' "$l"; done
  } >>"$1"
}

# A program that announces itself, then reports the signal it gets and exits 0.
cat >"$T/sig.sh" <<'EOF'
#!/bin/sh
name=$1
for s in TERM INT HUP QUIT USR1 USR2; do trap "echo \"$name: got SIG$s\"; kill \$! 2>/dev/null; exit 0" $s; done
echo "$name: up ppid=$PPID pid1=$(tr '\0' ' ' </proc/1/cmdline)"
while :; do sleep 60 & wait $!; done
EOF
# Leaves orphans: each inner sh exits at once, its `sleep 1` is re-parented to PID 1 and exits later.
cat >"$T/orphans.sh" <<'EOF'
#!/bin/sh
for i in 1 2 3 4 5; do sh -c 'sleep 1 & exit 0'; done
echo "orphans: left 5"
exec sleep 1000
EOF

# ------------------------------------------------------------------ build
say "building the image ($TAG)"
if lab build "$ROOT" "$TAG" >"$WORK/build.log" 2>&1; then
  pass "image builds"
else
  tail -20 "$WORK/build.log"
  fail build "image build failed (see $WORK/build.log)"
  say "$PASS passed, $FAIL failed"
  exit 1
fi
SIZE=$(cli image inspect -f '{{.Size}}' "$TAG" 2>/dev/null || echo '?')
BASE=$(cli image inspect -f '{{.Size}}' docker.io/library/node:24-bookworm-slim 2>/dev/null || echo '?')
say "image size: $SIZE bytes (node:24-bookworm-slim: $BASE bytes)"

# ------------------------------------------------------------------ 1+2. PID 1; stop -> 0 after each stopsignal
C=$T/stop.conf
base_conf "$C"
program "$C" a "sh /t/sig.sh a" "stopsignal=TERM"
program "$C" b "sh /t/sig.sh b" "stopsignal=INT"
program "$C" c "sh /t/sig.sh c" "stopsignal=HUP" "stopwaitsecs=15"
program "$C" d "sh /t/sig.sh d" "stopsignal=USR1"
N=tsinit-ct-stop
start "$N" --network=none -v "$T:/t:ro" -v "$C:/etc/supervisord.conf:ro" "$TAG"
if wait_log 30 "$N" "success: d entered RUNNING state"; then
  out=$(cli logs "$N" 2>&1)
  if grep -q "^a: up ppid=1 pid1=node --disable-sigusr1 --no-memory-reducer /usr/local/lib/tsinit/tsinit.js -c /etc/supervisord.conf" <<<"$out" ||
     grep -q "| a: up ppid=1 pid1=node --disable-sigusr1 --no-memory-reducer /usr/local/lib/tsinit/tsinit.js" <<<"$out"; then
    pass "tsinit is PID 1 (node --disable-sigusr1 --no-memory-reducer .../tsinit.js) and the programs' parent"
  else
    fail pid1 "PID 1 / parent not as expected: $(grep -m1 'a: up' <<<"$out")"
  fi
  cli stop -t 30 "$N" >/dev/null 2>&1
  wait_for 40 not_running "$N"
  code=$(exit_of "$N")
  out=$(cli logs "$N" 2>&1)
  missing=()
  for x in "a: got SIGTERM" "b: got SIGINT" "c: got SIGHUP" "d: got SIGUSR1" \
           "stopped: a (exit status 0)" "stopped: b (exit status 0)" "stopped: c (exit status 0)" "stopped: d (exit status 0)"; do
    grep -qF -- "$x" <<<"$out" || missing+=("$x")
  done
  if [[ $code == 0 && ${#missing[@]} == 0 ]]; then
    pass "stop: every program got its stopsignal (TERM/INT/HUP/USR1), container exit code 0"
  else
    fail stop "stop: exit code $code (want 0), missing log lines: ${missing[*]:-none}"
    show_logs "$N"
  fi
else
  fail pid1 "programs did not reach RUNNING"
  show_logs "$N"
fi

# ------------------------------------------------------------------ 3. critical FATAL -> its exit code
C=$T/critical.conf
base_conf "$C"
program "$C" main "sh -c 'echo main: failing, TSINIT_ variables: \$(env | grep -c ^TSINIT_); exit 3'" "critical=true" "startsecs=1" "startretries=1"
program "$C" side "sh /t/sig.sh side"
N=tsinit-ct-critical
# -e debug (supervisord's --loglevel): the launcher's code cache (warmed at image build) shows at DEBUG.
start "$N" --network=none -v "$T:/t:ro" -v "$C:/etc/supervisord.conf:ro" "$TAG" -e debug
if wait_for 60 not_running "$N"; then
  code=$(exit_of "$N")
  out=$(cli logs "$N" 2>&1)
  if [[ $code == 3 ]] && grep -qF "gave up: main entered FATAL state" <<<"$out" && grep -qF "side: got SIGTERM" <<<"$out"; then
    pass "critical program FATAL: container exit code 3 (main's), sidecar stopped first"
  else
    fail critical "critical FATAL: exit code $code (want 3) or missing 'gave up: main entered FATAL state' / 'side: got SIGTERM'"
    show_logs "$N"
  fi
  if grep -qF "code cache /usr/local/lib/tsinit/code-cache: accepted" <<<"$out" && grep -qF "main: failing, TSINIT_ variables: 0" <<<"$out"; then
    pass "the image's code cache is used (accepted by V8) and programs do not inherit TSINIT_CODE_CACHE"
  else
    fail code-cache "no 'code cache /usr/local/lib/tsinit/code-cache: accepted' line, or a program saw TSINIT_ variables"
    show_logs "$N"
  fi
else
  fail critical "container still running 60 s after its critical program kept failing"
  show_logs "$N"
fi

# ------------------------------------------------------------------ 4+5. orphans/zombies; health from outside
HP=$(free_port)
C=$T/health.conf
base_conf "$C" "health = 127.0.0.1:$HP"
program "$C" web "sh /t/sig.sh web"
program "$C" orphans "sh /t/orphans.sh"
N=tsinit-ct-health
start "$N" --network=host -v "$T:/t:ro" -v "$C:/etc/supervisord.conf:ro" "$TAG"
zombies() { cli exec "$N" sh -c 'grep -l "^State:[[:space:]]*Z" /proc/[0-9]*/status 2>/dev/null | wc -l'; }
orphans_gone() { # every orphaned `sleep 1` has exited and none is left as a zombie
  local z s
  z=$(zombies) || return 1
  s=$(cli exec "$N" sh -c 'for f in /proc/[0-9]*/cmdline; do tr "\0" " " <$f; echo; done | grep -c "^sleep 1 $"') 
  [[ $z == 0 && $s == 0 ]]
}
if wait_for 30 http_get "http://127.0.0.1:$HP/readyz"; then
  body=$(http_get "http://127.0.0.1:$HP/readyz")
  if [[ $body == *"web:web RUNNING"* && $body == *"orphans:orphans RUNNING"* ]]; then
    pass "health endpoint answers from outside on loopback: /readyz 200 ($(tr '\n' ';' <<<"$body"))"
  else
    fail health "/readyz body: $body"
  fi
  live=$(http_get "http://127.0.0.1:$HP/healthz") && [[ $live == ok ]] && pass "/healthz 200 ok" || fail health "/healthz: $live"
  if cli exec "$N" tsinit health --ready >/dev/null 2>&1 && ! cli exec "$N" tsinit health --url "http://127.0.0.1:1" >/dev/null 2>&1; then
    pass "tsinit health inside the container: 0 when ready, 1 when unreachable"
  else
    fail health "tsinit health exit codes inside the container"
  fi
  if [[ $ENGINE == podman ]]; then hc() { cli healthcheck run "$N"; }; else hc() { [[ $(cli inspect -f '{{.State.Health.Status}}' "$N") == healthy ]]; }; fi
  if wait_for 40 hc; then pass "image HEALTHCHECK (tsinit health) reports healthy"; else fail health "HEALTHCHECK never healthy"; fi
  if wait_log 30 "$N" "orphans: left 5" && wait_for 30 orphans_gone; then
    metrics=$(http_get "http://127.0.0.1:$HP/metrics")
    reaped=$(sed -n 's/^tsinit_orphans_reaped_total \([0-9]*\)$/\1/p' <<<"$metrics")
    if [[ -n $reaped && $reaped -ge 5 ]]; then
      pass "no zombies after 5 orphans exited; /metrics tsinit_orphans_reaped_total $reaped"
    else
      fail zombies "no zombies, but tsinit_orphans_reaped_total is '${reaped}' (want >= 5)"
    fi
    grep -q '^tsinit_process_state{group="web",name="web"} 20$' <<<"$metrics" && pass "/metrics reports web RUNNING (20)" ||
      fail health "/metrics lacks tsinit_process_state for web"
  else
    fail zombies "zombies or orphans left: $(zombies) zombie(s); processes: $(cli exec "$N" sh -c 'grep -H "^State" /proc/[0-9]*/status' 2>&1 | tr '\n' ' ')"
  fi
else
  fail health "health endpoint on 127.0.0.1:$HP never answered 200 on /readyz"
  show_logs "$N"
fi
cli stop -t 20 "$N" >/dev/null 2>&1

# ------------------------------------------------------------------ 6. COPY --from into other images
for variant in Dockerfile:node Dockerfile.no-node:no-node; do
  df=${variant%%:*}; v=${variant##*:}
  tag=localhost/tsinit-ci-copy-$v:test
  if lab build "$ROOT" "$tag" -f "$ROOT/examples/copy-from/$df" --build-arg "TSINIT_IMAGE=$TAG" >"$WORK/build-$v.log" 2>&1; then
    N=tsinit-ct-copy-$v
    start "$N" --network=none "$tag"
    want=$([[ $v == node ]] && echo "success: worker entered RUNNING state" || echo "success: periodic entered RUNNING state")
    if wait_log 30 "$N" "$want" && [[ $(cli exec "$N" sh -c 'tr "\0" " " </proc/1/cmdline') == "node --disable-sigusr1 --no-memory-reducer /usr/local/lib/tsinit/tsinit.js"* ]]; then
      cli stop -t 20 "$N" >/dev/null 2>&1
      wait_for 30 not_running "$N"
      code=$(exit_of "$N")
      [[ $code == 0 ]] && pass "COPY --from=tsinit into $([[ $v == node ]] && echo node:24-bookworm-slim || echo 'debian:bookworm-slim (no Node: node binary copied too)'): PID 1, stop -> 0" ||
        { fail copy-$v "copy-from $v: stop exit code $code"; show_logs "$N"; }
    else
      fail copy-$v "copy-from $v: programs not running or tsinit not PID 1"
      show_logs "$N"
    fi
  else
    tail -10 "$WORK/build-$v.log"
    fail copy-$v "build of examples/copy-from/$df failed (see $WORK/build-$v.log)"
  fi
done

# ------------------------------------------------------------------ 7. docker-compose.yml
busy=$(node -e '
  const net = require("net"); let n = 0, busy = [];
  for (const p of [8080, 9002]) { const s = net.connect(p, "127.0.0.1");
    s.on("connect", () => { busy.push(p); s.destroy(); done(); }); s.on("error", done); }
  function done() { if (++n === 2) console.log(busy.join(" ")); }')
if [[ -n $busy ]]; then
  fail compose "ports in use on 127.0.0.1: $busy (docker-compose.yml publishes 8080 and 9002)"
else
  COMPOSE_UP=1
  # leftovers of an interrupted run would be picked up by the label search: clear them first
  (cd "$ROOT" && lab compose . down >/dev/null 2>&1)
  if (cd "$ROOT" && lab compose . up -d --build >"$WORK/compose-up.log" 2>&1); then
    cid=$(cli ps -q --filter label=com.docker.compose.service=app | head -1)
    if [[ -z $cid ]]; then
      fail compose "compose up: no container with label com.docker.compose.service=app"
    else
      N=$cid
      if [[ $ENGINE == podman ]]; then hc() { cli healthcheck run "$N"; }; else hc() { [[ $(cli inspect -f '{{.State.Health.Status}}' "$N") == healthy ]]; }; fi
      if wait_for 60 hc; then
        pass "compose: container up and healthy (tsinit health --ready)"
      else
        fail compose "compose: never healthy"
        show_logs "$N"
      fi
      if wait_for 20 http_get http://127.0.0.1:8080/ && wait_for 20 http_get http://127.0.0.1:9002/readyz; then
        pass "compose: web on 127.0.0.1:8080 and /readyz on 127.0.0.1:9002 answer ($(http_get http://127.0.0.1:8080/ | tr -d '\n'))"
      else
        fail compose "compose: published ports do not answer"
      fi
      wait_log 30 "$N" "success: periodic entered RUNNING state"
      (cd "$ROOT" && lab compose . stop >"$WORK/compose-stop.log" 2>&1)
      wait_for 40 not_running "$N"
      code=$(exit_of "$N")
      out=$(cli logs "$N" 2>&1)
      missing=()
      for x in "web: got SIGTERM, exiting" "worker: got SIGTERM, exiting" "periodic: got SIGTERM, exiting" \
               "stopped: web (exit status 0)" "stopped: worker (exit status 0)" "stopped: periodic (exit status 0)"; do
        grep -qF -- "$x" <<<"$out" || missing+=("$x")
      done
      if [[ $code == 0 && ${#missing[@]} == 0 ]]; then
        pass "compose stop: every program stopped cleanly, exit code 0"
      else
        fail compose "compose stop: exit code $code (want 0), missing: ${missing[*]:-none}"
        show_logs "$N" 40
      fi
    fi
    if (cd "$ROOT" && lab compose . down >"$WORK/compose-down.log" 2>&1); then
      COMPOSE_UP=
      pass "compose down"
    else
      fail compose "compose down failed (see $WORK/compose-down.log)"
    fi
  else
    tail -20 "$WORK/compose-up.log"
    fail compose "compose up failed (see $WORK/compose-up.log)"
  fi
fi

say "$PASS passed, $FAIL failed in $(($(date +%s) - T0)) s${FAILED[*]:+ (failed: ${FAILED[*]})}"
((FAIL == 0))
