#!/usr/bin/env bash
# Shared helpers of the smtp-gateway drills and benchmark (sourced, not run).
# Everything listens on loopback only; every process started here is stopped by smtp_cleanup.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
GATEWAY_JAR="$REPO/smtp-gateway/target/quarkus-app/quarkus-run.jar"
SMTP_PIDS=()

need() { # need <command> <debian package>
  command -v "$1" >/dev/null 2>&1 || apt-get install -y "$2" >/dev/null || { echo "missing $1 ($2)" >&2; exit 1; }
}

build_gateway() {
  if [ ! -f "$GATEWAY_JAR" ]; then
    (cd "$REPO" && mvn -B -o -q -pl smtp-gateway install -DskipTests) || { echo "build failed" >&2; exit 1; }
  fi
}

wait_port() { # wait_port <port> <seconds>
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "port $1 did not open in $2 s" >&2
  return 1
}

# start_gateway <workdir> <smtp port> <http port> [-Dkey=value ...]: starts the gateway in the background
start_gateway() {
  local dir="$1" port="$2" http="$3"
  shift 3
  mkdir -p "$dir"
  # GATEWAY_JVM_OPTS is for the JVM only: the gateway would read it as the unknown key gateway.jvm.opts
  # a concrete management port: with port 0 the gateway's metrics fail to register the second
  # HTTP server's meters and its start-up never ends (Micrometer: same name, other tag keys)
  local mgmt
  mgmt=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  env -u GATEWAY_JVM_OPTS java ${GATEWAY_JVM_OPTS:--Xmx256m} -Dgateway.data-dir="$dir/data" -Dgateway.listen="127.0.0.1:$port" \
    -Dquarkus.http.port="$http" -Dquarkus.management.port="$mgmt" -Dquarkus.log.category.\"net.trustbl.gateway.filter.FilterChain\".level=WARN \
    "$@" -jar "$GATEWAY_JAR" >"$dir/gateway.log" 2>&1 &
  GATEWAY_PID=$!
  SMTP_PIDS+=("$GATEWAY_PID")
  wait_port "$port" 90 || { tail -30 "$dir/gateway.log" >&2; exit 1; }
}

# stop_pid <pid>: TERM, then KILL if it has not ended after 15 s (a JVM whose start-up hung
# never runs its shutdown, and a drill must not wait for it forever)
stop_pid() {
  local i
  kill "$1" 2>/dev/null || return 0
  for ((i = 0; i < 150; i++)); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$1" 2>/dev/null
}

stop_gateway() {
  if [ -n "${GATEWAY_PID:-}" ]; then
    stop_pid "$GATEWAY_PID"
    wait "$GATEWAY_PID" 2>/dev/null
    GATEWAY_PID=
  fi
}

smtp_cleanup() {
  local p
  for p in "${SMTP_PIDS[@]}"; do
    stop_pid "$p"
  done
  wait 2>/dev/null
}
