#!/usr/bin/env bash
# An N-silo OrleansReminders cluster on 127.0.0.1, for trying faults by hand and for the fault driver.
#
#   bash deploy/local/cluster.sh up [N]     publish once, start PostgreSQL (unless ORLEANSREMINDERS_PG is set),
#                                          apply deploy/sql, start N silos (default 3)
#   bash deploy/local/cluster.sh status     each silo's pid, ports and readiness
#   bash deploy/local/cluster.sh kill I     kill -9 silo I (no goodbye: the cluster must declare it dead)
#   bash deploy/local/cluster.sh stop I     graceful stop of silo I (SIGTERM), timed
#   bash deploy/local/cluster.sh start I    start (or restart) silo I
#   bash deploy/local/cluster.sh pg-stop    stop the local PostgreSQL (fast shutdown), pg-start to bring it back
#   bash deploy/local/cluster.sh down       stop every silo and the local PostgreSQL
#
# Silo I listens on http://127.0.0.1:$((5180 + I)) (API), 11110+I (silo) and 30000+I (gateway). The API key is
# "local-admin-key" (admin). Settings given as environment variables (Cluster__TimeScale=1440, Dispatch__…,
# Sms__Simulated__…) reach every silo. State, logs and pids live in $ORLEANSREMINDERS_LOCAL (default
# /tmp/orleansreminders-local); nothing listens beyond 127.0.0.1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${ORLEANSREMINDERS_LOCAL:-/tmp/orleansreminders-local}"
app="$dir/app"
pgport_file="$dir/pg.port"
readonly API_KEY="local-admin-key"

log() { echo "cluster: $*" >&2; }

pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [[ -x "$d/pg_ctl" ]] && { echo "$d"; return 0; }
    done
    command -v pg_ctl >/dev/null && { dirname "$(command -v pg_ctl)"; return 0; }
    log "no PostgreSQL server binaries (install the postgresql package) and ORLEANSREMINDERS_PG is not set"
    return 1
}

as_pg() { if [[ "$(id -u)" -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

connection() {
    if [[ -n "${ORLEANSREMINDERS_PG:-}" ]]; then echo "$ORLEANSREMINDERS_PG"; return; fi
    echo "Host=127.0.0.1;Port=$(cat "$pgport_file");Username=postgres;Database=orleansreminders"
}

pg_start() {
    [[ -n "${ORLEANSREMINDERS_PG:-}" ]] && return 0
    local bin; bin="$(pg_bindir)"
    if [[ ! -d "$dir/pg/data" ]]; then
        mkdir -p "$dir/pg"
        [[ "$(id -u)" -eq 0 ]] && chown postgres: "$dir/pg"
        as_pg "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log"
        echo $(( 21000 + RANDOM % 20000 )) > "$pgport_file"
    fi
    as_pg "$bin/pg_ctl" -D "$dir/pg/data" status >/dev/null 2>&1 && return 0
    # The server's defaults (max_connections 100, fsync on): the cluster must live within them.
    as_pg "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 30 start \
        -o "-p $(cat "$pgport_file") -k $dir/pg -c listen_addresses=127.0.0.1" >/dev/null
    as_pg psql -h 127.0.0.1 -p "$(cat "$pgport_file")" -U postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'orleansreminders'" | grep -q 1 \
        || as_pg psql -h 127.0.0.1 -p "$(cat "$pgport_file")" -U postgres -qc "CREATE DATABASE orleansreminders"
}

pg_stop() {
    [[ -n "${ORLEANSREMINDERS_PG:-}" || ! -d "$dir/pg/data" ]] && return 0
    as_pg "$(pg_bindir)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
}

pid_of() { [[ -f "$dir/silo$1.pid" ]] && kill -0 "$(cat "$dir/silo$1.pid")" 2>/dev/null && cat "$dir/silo$1.pid"; }

start_silo() {
    local i="$1" silos; silos="$(cat "$dir/silos")"
    if pid_of "$i" >/dev/null; then log "silo $i already runs"; return 0; fi
    (
        cd "$app"
        export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}"
        export Urls="http://127.0.0.1:$((5180 + i))"
        export Cluster__PostgreSql="$(connection)"
        export Cluster__SiloPort=$((11110 + i)) Cluster__GatewayPort=$((30000 + i))
        export Cluster__AdvertisedAddress=127.0.0.1 Cluster__ExpectedSilos="$silos"
        export Cluster__ClusterId="${Cluster__ClusterId:-local}" Cluster__ServiceId="${Cluster__ServiceId:-local}"
        export Api__Keys__0__Name=local Api__Keys__0__Roles__0=admin
        export Api__Keys__0__Sha256="$(printf %s "$API_KEY" | sha256sum | cut -d' ' -f1)"
        export Privacy__PhoneKeySecret="${Privacy__PhoneKeySecret:-local-cluster-phone-key-secret}"
        exec dotnet OrleansReminders.Silo.dll >>"$dir/silo$i.log" 2>&1
    ) &
    echo $! > "$dir/silo$i.pid"
    for _ in $(seq 1 120); do
        curl -sf -o /dev/null "http://127.0.0.1:$((5180 + i))/health/live" && { log "silo $i up (pid $!, http://127.0.0.1:$((5180 + i)))"; return 0; }
        kill -0 "$(cat "$dir/silo$i.pid")" 2>/dev/null || { log "silo $i exited: see $dir/silo$i.log"; return 1; }
        sleep 0.5
    done
    log "silo $i did not answer within 60 s: see $dir/silo$i.log"; return 1
}

case "${1:-}" in
    up)
        n="${2:-3}"
        mkdir -p "$dir"; echo "$n" > "$dir/silos"; rm -f "$dir"/silo*.log
        dotnet publish "$root/src/OrleansReminders.Silo" -c Release -o "$app" --nologo -v quiet >/dev/null
        pg_start
        bash "$root/deploy/sql/apply.sh" "$(connection)" >/dev/null
        for i in $(seq 1 "$n"); do start_silo "$i"; done
        log "$n silos; API key '$API_KEY'; PostgreSQL: $(connection)" ;;
    start) start_silo "$2" ;;
    kill)
        pid="$(pid_of "$2")" || { log "silo $2 does not run"; exit 1; }
        kill -9 "$pid"; log "silo $2 killed (pid $pid)" ;;
    stop)
        pid="$(pid_of "$2")" || { log "silo $2 does not run"; exit 1; }
        started=$(date +%s.%N); kill -TERM "$pid"
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        log "silo $2 stopped in $(echo "$(date +%s.%N) - $started" | bc) s" ;;
    status)
        for i in $(seq 1 "$(cat "$dir/silos" 2>/dev/null || echo 0)"); do
            if pid="$(pid_of "$i")"; then
                ready="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$((5180 + i))/health/ready" || true)"
                echo "silo $i: pid $pid, http://127.0.0.1:$((5180 + i)), ready $ready"
            else
                echo "silo $i: not running"
            fi
        done ;;
    pg-stop) pg_stop; log "PostgreSQL stopped" ;;
    pg-start) pg_start; log "PostgreSQL started" ;;
    down)
        for f in "$dir"/silo*.pid; do [[ -f "$f" ]] && kill -TERM "$(cat "$f")" 2>/dev/null || true; done
        sleep 2; for f in "$dir"/silo*.pid; do [[ -f "$f" ]] && kill -9 "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; done
        pg_stop; log "down" ;;
    *) sed -n '2,17p' "$0"; exit 2 ;;
esac
