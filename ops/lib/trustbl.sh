# shellcheck shell=bash
# Shared helpers for the ops scripts (benchmarks and drills). Source it; do not run it.
#
#   source "$(dirname "$0")/../lib/trustbl.sh"
#
# Everything runs on loopback, in throw-away folders under /tmp, and every process a helper
# starts is recorded so that tb_cleanup (installed as an EXIT trap by tb_init) ends it.
# Functions print their result on stdout and talk on stderr.

TB_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TB_ROOT="$(cd "$TB_LIB_DIR/../.." && pwd)"
TB_PIDS=()          # processes to end on exit (ours only, by id)
TB_WORK=""          # scratch folder of this run
TB_KEEP="${TB_KEEP:-0}"   # TB_KEEP=1 keeps the scratch folder for a post-mortem

tb_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
tb_die() { tb_log "FAILED: $*"; exit 1; }

# tb_init NAME: scratch folder /tmp/trustbl-NAME.XXXX and the cleanup trap.
tb_init() {
    TB_WORK="$(mktemp -d "/tmp/trustbl-$1.XXXXXX")"
    trap tb_cleanup EXIT
    trap 'exit 130' INT TERM
    tb_log "scratch folder $TB_WORK"
}

tb_cleanup() {
    local rc=$? pid
    for pid in "${TB_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -CONT "$pid" 2>/dev/null || true
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${TB_PIDS[@]}"; do
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    # an embedded PostgreSQL orphaned by a kill -9 in a drill: stop it too
    if [[ -n "$TB_WORK" && -d "$TB_WORK" ]]; then
        local pidfile
        while IFS= read -r pidfile; do
            pid="$(head -1 "$pidfile" 2>/dev/null || true)"
            if [[ "$pid" =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q postgres; then
                kill -CONT "$pid" 2>/dev/null || true
                kill -TERM "$pid" 2>/dev/null || true
                for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
            fi
        done < <(find "$TB_WORK" -name postmaster.pid 2>/dev/null)
        if [[ "$TB_KEEP" == 1 || $rc -ne 0 ]]; then
            tb_log "kept $TB_WORK (logs inside)"
        else
            rm -rf "$TB_WORK"
        fi
    fi
    return $rc
}

tb_need() { # tb_need COMMAND [DEBIAN_PACKAGE]
    command -v "$1" >/dev/null 2>&1 && return 0
    tb_log "installing ${2:-$1}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${2:-$1}" >/dev/null || tb_die "cannot install ${2:-$1}"
}

tb_free_port() {
    python3 - <<'EOF' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
EOF
}

# tb_app DEST: a private copy of the built trust-service (built first when missing), because
# other people rebuild trust-service/target while we run.
tb_app() {
    local dest="$1" built="$TB_ROOT/trust-service/target/quarkus-app"
    if [[ ! -f "$built/quarkus-run.jar" ]]; then
        tb_log "building trust-service (jar missing)"
        (cd "$TB_ROOT" && mvn -B -o -q package -DskipTests -pl trust-service) >&2 || tb_die "build failed"
    fi
    mkdir -p "$dest"
    cp -a "$built/." "$dest/"
    echo "$dest/quarkus-run.jar"
}

# tb_start JAR DATA_DIR PORT [JVM -D options...]: starts the service in the background, records
# its pid in TB_SVC_PID and its log in DATA_DIR/service.log (appended across restarts).
# TRUSTBL_ADMIN_EMAIL / TRUSTBL_ADMIN_PASSWORD from the environment create the first admin.
tb_start() {
    local jar="$1" data="$2" port="$3"; shift 3
    mkdir -p "$data"
    echo "---- start $(date -u +%FT%TZ)" >>"$data/service.log"
    java ${TB_JAVA_OPTS:--Xmx1g} -Dtrustbl.data-dir="$data" -Dquarkus.http.port="$port" \
        -Dquarkus.http.host=127.0.0.1 -Dtrustbl.public-url="http://127.0.0.1:$port" "$@" \
        -jar "$jar" >>"$data/service.log" 2>&1 &
    TB_SVC_PID=$!
    TB_PIDS+=("$TB_SVC_PID")
    tb_log "trust-service pid $TB_SVC_PID on 127.0.0.1:$port, data $data"
}

# tb_wait_ready URL [SECONDS]: waits for /q/health/ready = UP.
tb_wait_ready() {
    local url="$1" limit="${2:-120}" i
    for ((i = 0; i < limit * 4; i++)); do
        if curl -fsS -m 2 "$url/q/health/ready" 2>/dev/null | grep -q '"UP"'; then
            return 0
        fi
        if [[ -n "${TB_SVC_PID:-}" ]] && ! kill -0 "$TB_SVC_PID" 2>/dev/null; then
            tb_die "trust-service exited during start (see its service.log)"
        fi
        sleep 0.25
    done
    tb_die "trust-service at $url not ready after ${limit}s"
}

# tb_stop PID: orderly stop (SIGTERM; the service stops its embedded PostgreSQL), KILL after 60 s.
tb_stop() {
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    tb_log "pid $pid did not stop in 60 s, killing"
    kill -KILL "$pid" 2>/dev/null || true
}

# ---- REST helpers (curl + jq) --------------------------------------------------------------

# tb_member URL EMAIL PASSWORD [ADMIN_KEY]: registers a member, prints its id.
tb_member() {
    local url="$1" email="$2" pw="$3" admin="${4:-}" out
    local -a auth=()
    [[ -n "$admin" ]] && auth=(-H "Authorization: Bearer $admin")
    out="$(curl -sS -m 30 -X POST "$url/api/v1/members" -H 'Content-Type: application/json' "${auth[@]}" \
        -d "$(jq -nc --arg e "$email" --arg p "$pw" '{email:$e,password:$p}')")"
    jq -er '.id' <<<"$out" || tb_die "member $email: $out"
}

# tb_key URL EMAIL PASSWORD [LABEL]: creates an API key, prints the secret.
tb_key() {
    local url="$1" email="$2" pw="$3" label="${4:-ops}" out
    out="$(curl -sS -m 30 -X POST "$url/api/v1/keys" -u "$email:$pw" -H 'Content-Type: application/json' \
        -d "$(jq -nc --arg l "$label" '{label:$l}')")"
    jq -er '.key' <<<"$out" || tb_die "key for $email: $out"
}

# tb_pin URL ADMIN_KEY MEMBER_ID TRUST: pins a member's trust.
tb_pin() {
    local code
    code="$(curl -sS -m 30 -o /dev/null -w '%{http_code}' -X PUT "$1/api/v1/admin/members/$3/trust" \
        -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "{\"trust\":$4,\"pinned\":true}")"
    [[ "$code" == 2* ]] || tb_die "pin member $3: HTTP $code"
}

# tb_lookup_listed URL FILE_OF_IPS: prints "ip returnCode" for every listed IP, sorted.
tb_lookup_listed() {
    local url="$1" file="$2"
    # one curl process for all lookups (one kept-alive connection), bounded by the file length
    sed "s|.*|url = \"$url/api/v1/lookup/&\"|" "$file" |
        curl -sS -m 600 -K - -w '\n' 2>/dev/null |
        jq -r 'select(.listed == true) | "\(.ip) \(.returnCode)"' | sort -u
}

# ---- the embedded PostgreSQL ---------------------------------------------------------------

tb_pg_pid() { head -1 "$1/postgres/postmaster.pid"; }        # tb_pg_pid DATA_DIR
tb_pg_port() { sed -n 4p "$1/postgres/postmaster.pid"; }     # tb_pg_port DATA_DIR
tb_pg_bin() {                                                # folder of the running postgres binary
    local pid; pid="$(tb_pg_pid "$1")"
    dirname "$(readlink -f "/proc/$pid/exe")"
}
# tb_psql DATA_DIR [psql args...]: psql (Debian client) against the service's database.
tb_psql() {
    local data="$1"; shift
    tb_need psql postgresql-client
    PGPASSWORD=postgres psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(tb_pg_port "$data")" -U postgres -d trustbl "$@"
}

# ---- the Java load generator (ops/lib/ReportLoad.java) --------------------------------------

# tb_load [options...]: runs the load generator in the foreground; see ReportLoad.java for options.
tb_load() {
    java -Xmx256m -XX:TieredStopAtLevel=1 "$TB_LIB_DIR/ReportLoad.java" "$@"
}
