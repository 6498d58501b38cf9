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

# tb_free_port: a free loopback TCP port BELOW the ephemeral range (32768+ here), so that no
# outgoing connection of another process can take it while a drill restarts the service on it.
tb_free_port() {
    local port i
    for i in $(seq 1 200); do
        port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
        if ! ss -Htan "( sport = :$port )" 2>/dev/null | grep -q .; then echo "$port"; return 0; fi
    done
    tb_die "no free port found"
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
# The embedded PostgreSQL gets a fixed port (kept in DATA_DIR/pg-port across restarts) outside
# the ephemeral range: with the default random port a start can fail with "could not bind
# 127.0.0.1: Address already in use" when a client socket took that port meanwhile.
tb_start() {
    local jar="$1" data="$2" port="$3"; shift 3
    mkdir -p "$data"
    [[ -s "$data/pg-port" ]] || tb_free_port >"$data/pg-port"
    # the built-in DNS responder (default 127.0.0.1:5353) gets its own port too: TB_DNS_PORT;
    # the scripts create their members and API keys from 127.0.0.1 in a burst and file reports by the
    # hundred thousand: no per-client key or registration throttle, no daily caps (a script that tests
    # those limits passes them again after these: the last -D wins)
    [[ -s "$data/dns-port" ]] || tb_free_port >"$data/dns-port"
    TB_DNS_PORT="$(cat "$data/dns-port")"
    # /q/health and /q/metrics are on the management interface (127.0.0.1, its own port): tb_q URL
    [[ -s "$data/mgmt-port" ]] || tb_free_port >"$data/mgmt-port"
    cp "$data/mgmt-port" "$TB_WORK/mgmt-port.$port"
    echo "---- start $(date -u +%FT%TZ)" >>"$data/service.log"
    java ${TB_JAVA_OPTS:--Xmx1g} -Dtrustbl.data-dir="$data" -Dquarkus.http.port="$port" \
        -Dquarkus.http.host=127.0.0.1 -Dtrustbl.public-url="http://127.0.0.1:$port" \
        -Dtrustbl.db.embedded-port="$(cat "$data/pg-port")" -Dtrustbl.dns.bind="127.0.0.1:$TB_DNS_PORT" \
        -Dquarkus.management.port="$(cat "$data/mgmt-port")" \
        -Dtrustbl.keys.attempts-per-client-per-minute=100000 -Dtrustbl.keys.attempts-per-client-burst=100000 \
        -Dtrustbl.registration.per-address-per-hour=100000 -Dtrustbl.registration.per-network-per-hour=100000 \
        -Dtrustbl.registration.global-per-hour=100000 -Dtrustbl.reports.daily-cap=1000000000 \
        -Dtrustbl.reports.daily-cap-new=1000000000 "$@" \
        -jar "$jar" >>"$data/service.log" 2>&1 &
    TB_SVC_PID=$!
    TB_PIDS+=("$TB_SVC_PID")
    tb_log "trust-service pid $TB_SVC_PID on 127.0.0.1:$port, data $data"
}

# tb_q URL: the management base URL (/q/health, /q/metrics) of the service tb_start started on URL.
tb_q() {
    echo "http://127.0.0.1:$(cat "$TB_WORK/mgmt-port.${1##*:}")"
}

# tb_wait_ready URL [SECONDS]: waits for /q/health/ready = UP.
tb_wait_ready() {
    local url="$1" limit="${2:-120}" i
    for ((i = 0; i < limit * 4; i++)); do
        if curl -fsS -m 2 "$(tb_q "$url")/q/health/ready" 2>/dev/null | grep -q '"UP"'; then
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

# ---- PostgreSQL without the service (restore, drills) ----------------------------------------

# tb_pg_save_args DATA_DIR: remembers the running server's command line in DATA_DIR/pg-args
# (NUL separated: postgres -D DIR -p PORT -c …) so that tb_pg_ctl_start can start it alone later.
tb_pg_save_args() {
    local pid; pid="$(tb_pg_pid "$1")"
    cat "/proc/$pid/cmdline" >"$1/pg-args"
    dirname "$(readlink -f "/proc/$pid/exe")" >"$1/pg-bin"
}

# tb_pg_ctl start|stop DATA_DIR: pg_ctl from the same binaries, as the embedded launcher runs it
# (in a user namespace when we are root: PostgreSQL refuses to run as root).
tb_pg_ctl() {
    local action="$1" data="$2" bin args
    bin="$(cat "$data/pg-bin")"
    mapfile -d '' args <"$data/pg-args"
    local -a ns=()
    [[ "$(id -u)" == 0 ]] && ns=(unshare -U)
    case "$action" in
        start) "${ns[@]}" "$bin/pg_ctl" -D "${args[2]}" -o "${args[*]:3}" -w -t 60 -l "$data/pg-alone.log" start >&2 ;;
        stop)  "${ns[@]}" "$bin/pg_ctl" -D "${args[2]}" -m fast -w -t 60 stop >&2 ;;
        *) tb_die "tb_pg_ctl start|stop" ;;
    esac
}

# tb_dump DATA_DIR OUT_DIR: consistent logical dump of the service database.
# With a pg_dump of major version >= the server's (TB_PG_DUMP, or PATH) it writes OUT_DIR/trustbl.dump
# (custom format). Otherwise (Debian 12 ships pg_dump 15, which refuses a 17 server) it dumps every
# table of schema public with COPY inside ONE repeatable-read transaction (one snapshot), plus the
# sequence positions: OUT_DIR/<table>.copy, tables.txt, sequences.sql. The schema itself is not in
# that dump: it is the Flyway migrations of the same release (tb_restore checks the version).
# Prints the method used.
tb_dump() {
    local data="$1" out="$2" pgd="${TB_PG_DUMP:-$(command -v pg_dump || true)}" server client
    mkdir -p "$out"
    server="$(tb_psql "$data" -At -c 'SHOW server_version_num')"
    client="$([[ -n "$pgd" ]] && "$pgd" --version | grep -oE '[0-9]+' | head -1 || echo 0)"
    if (( client * 10000 >= server - server % 10000 )); then
        PGPASSWORD=postgres "$pgd" -h 127.0.0.1 -p "$(tb_pg_port "$data")" -U postgres -Fc -f "$out/trustbl.dump" trustbl
        echo "pg_dump $client (custom format)"
        return
    fi
    local tables t
    tables="$(tb_psql "$data" -At -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")"
    echo "$tables" >"$out/tables.txt"
    {
        echo "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
        for t in $tables; do echo "\\copy public.\"$t\" TO '$out/$t.copy'"; done
        echo "\\o $out/sequences.sql"
        echo "SELECT format('SELECT setval(%L, %s, %s);', schemaname || '.' || sequencename, coalesce(last_value, 1), CASE WHEN last_value IS NULL THEN 'false' ELSE 'true' END) FROM pg_sequences WHERE schemaname = 'public';"
        echo "\\o"
        echo "COMMIT;"
    } | tb_psql "$data" -At >/dev/null
    echo "COPY of every table in one snapshot (client $(psql --version | grep -oE '[0-9]+\.[0-9]+' | head -1); no pg_dump >= $(( server / 10000 )) here)"
}

# tb_restore DATA_DIR DUMP_DIR: loads a tb_dump into the database of DATA_DIR, whose server must be
# running and whose schema Flyway has created (start the service once on the fresh folder, stop it,
# then tb_pg_ctl start). Replaces all rows. Refuses a dump from another schema version.
tb_restore() {
    local data="$1" in="$2" t
    if [[ -f "$in/trustbl.dump" ]]; then
        PGPASSWORD=postgres "${TB_PG_RESTORE:-pg_restore}" -h 127.0.0.1 -p "$(tb_pg_port "$data")" -U postgres \
            --clean --if-exists --no-owner -d trustbl "$in/trustbl.dump"
        return
    fi
    local want have
    # flyway_schema_history: version is column 2, checksum column 6
    want="$(awk -F'\t' '{print $2, $6}' "$in/flyway_schema_history.copy" | sort | md5sum)"
    have="$(tb_psql "$data" -At -F $'\t' -c 'SELECT * FROM flyway_schema_history' | awk -F'\t' '{print $2, $6}' | sort | md5sum)"
    [[ "$want" == "$have" ]] || tb_die "the dump is from another schema version than this release's migrations"
    {
        echo "BEGIN;"
        echo "SET LOCAL session_replication_role = replica;"   # no FK checks while tables fill in any order
        echo "TRUNCATE $(grep -v '^flyway_schema_history$' "$in/tables.txt" | sed 's/.*/public."&"/' | paste -sd,) CASCADE;"
        for t in $(grep -v '^flyway_schema_history$' "$in/tables.txt"); do echo "\\copy public.\"$t\" FROM '$in/$t.copy'"; done
        cat "$in/sequences.sql"
        echo "COMMIT;"
    } | tb_psql "$data" -At >/dev/null
}
