#!/usr/bin/env bash
# Runs the whole test suite, provisioning what it needs.
#   bash tests/run.sh
# Without ORLEANSREMINDERS_PG it starts a throwaway PostgreSQL (initdb into a temp folder, a free port
# on 127.0.0.1, as the `postgres` user when run as root; `apt-get install postgresql` if the binaries
# are missing), applies deploy/sql, runs `dotnet test OrleansReminders.sln`, always stops the database,
# and prints as its last line "N passed, N failed" (", N skipped" when some were) over all test assemblies.
# With ORLEANSREMINDERS_PG set (an Npgsql connection string) it uses that database instead. After the test
# assemblies it runs the short fault campaign (deploy/local/faults.sh --short) and counts it as one test.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d /tmp/orleansreminders-tests.XXXXXX)"
pgdir=""
pgctl=""
run_as=()

log() { echo "run.sh: $*" >&2; }

stop_database() {
    if [[ -n "$pgdir" && -f "$pgdir/data/postmaster.pid" ]]; then
        "${run_as[@]}" "$pgctl" -D "$pgdir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    [[ -n "$pgdir" ]] && rm -rf "$pgdir"
    pgdir=""
}

cleanup() {
    stop_database
    rm -rf "$work"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

find_pg_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]] && { echo "$dir"; return 0; }
    done
    if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
        pg_config --bindir; return 0
    fi
    command -v initdb >/dev/null && command -v pg_ctl >/dev/null && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

install_postgresql() {
    log "PostgreSQL binaries not found: installing the postgresql package"
    local sudo=()
    [[ "$(id -u)" -eq 0 ]] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq >&2 && \
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq postgresql postgresql-client >&2
}

free_port() {
    local port
    for _ in $(seq 1 50); do
        port=$(( 20000 + RANDOM % 30000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
    done
    return 1
}

start_throwaway_database() {
    local bindir port
    bindir="$(find_pg_bindir)" || { install_postgresql && bindir="$(find_pg_bindir)"; } || {
        log "no PostgreSQL server binaries (initdb, pg_ctl) and could not install them"; return 1; }
    pgctl="$bindir/pg_ctl"
    pgdir="$(mktemp -d /tmp/orleansreminders-pg.XXXXXX)"
    if [[ "$(id -u)" -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        chown postgres: "$pgdir"
        run_as=(runuser -u postgres --)
    fi
    "${run_as[@]}" "$bindir/initdb" -D "$pgdir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; log "initdb failed"; return 1; }
    for _ in 1 2 3 4 5; do
        port="$(free_port)" || break
        if "${run_as[@]}" "$pgctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 30 start -o \
            "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off \
             -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" >/dev/null 2>&1; then
            "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE orleansreminders" >/dev/null \
                || { log "could not create the test database"; return 1; }
            export ORLEANSREMINDERS_PG="Host=127.0.0.1;Port=$port;Username=postgres;Database=orleansreminders;Maximum Pool Size=50"
            log "throwaway PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
            return 0
        fi
    done
    [[ -f "$pgdir/server.log" ]] && tail -20 "$pgdir/server.log" >&2
    log "could not start PostgreSQL"
    return 1
}

check_database() {
    command -v psql >/dev/null || install_postgresql || { log "psql is missing and could not be installed"; return 1; }
    # shellcheck source=../deploy/sql/pg-env.sh
    ( source deploy/sql/pg-env.sh && pg_env_from_npgsql "$ORLEANSREMINDERS_PG" &&
      psql --no-psqlrc -qAtc "SELECT 1" >/dev/null 2>"$work/connect.err" ) || {
        log "cannot connect to the database in ORLEANSREMINDERS_PG: $(tr '\n' ' ' <"$work/connect.err")"
        return 1
    }
}

if [[ -z "${ORLEANSREMINDERS_PG:-}" ]]; then
    start_throwaway_database || exit 1
else
    log "using the database given in ORLEANSREMINDERS_PG"
fi
check_database || exit 1
bash deploy/sql/apply.sh "$ORLEANSREMINDERS_PG" >&2 || { log "applying deploy/sql failed"; exit 1; }
export ORLEANSREMINDERS_REQUIRE_PG=1

dotnet build OrleansReminders.sln -nologo -v quiet >"$work/build.log" 2>&1 || {
    grep -E "error|Error" "$work/build.log" | sort -u | head -40 >&2
    log "build failed"
    exit 1
}

dotnet test OrleansReminders.sln --no-build -nologo \
    --blame-hang-timeout 10m --blame-hang-dump-type none 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 10, Skipped: 0, Total: 10, ...".
passed=0; failed=0; skipped=0
while read -r f p s; do
    failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(sed -nE 's/.*(Passed|Failed)! +- Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+), Total.*/\2 \3 \4/p' "$work/test.log")
[[ $status -ne 0 && $failed -eq 0 ]] && failed=1   # a crashed test host counts as a failure

# The short fault campaign (deploy/local/faults.sh --short, about 3 minutes): 2 silo processes on a PostgreSQL
# of their own with its defaults, kill -9, graceful stop, PostgreSQL down, provider outage and throttling storm.
# It counts as one test. ORLEANSREMINDERS_SKIP_FAULTS=1 skips it (counted as skipped).
if [[ "${ORLEANSREMINDERS_SKIP_FAULTS:-}" == "1" ]]; then
    log "short fault campaign skipped (ORLEANSREMINDERS_SKIP_FAULTS=1)"; skipped=$((skipped + 1))
elif ! command -v curl >/dev/null || ! command -v python3 >/dev/null; then
    log "short fault campaign skipped: it needs curl and python3"; skipped=$((skipped + 1))
elif ! find_pg_bindir >/dev/null; then
    log "short fault campaign skipped: no local PostgreSQL server binaries to start and stop"; skipped=$((skipped + 1))
else
    faults_dir="$(mktemp -d /tmp/orleansreminders-faults.XXXXXX)"; chmod 755 "$faults_dir"
    log "short fault campaign (2 silos, about 3 minutes)"
    ( unset ORLEANSREMINDERS_PG ORLEANSREMINDERS_REQUIRE_PG
      ORLEANSREMINDERS_LOCAL="$faults_dir" bash deploy/local/faults.sh --short ) >"$work/faults.out" 2>"$work/faults.err"
    faults_status=$?
    cat "$work/faults.out"
    if [[ $faults_status -eq 0 ]] && grep -q '^faults: PASS' "$work/faults.out"; then
        passed=$((passed + 1))
    else
        tail -20 "$work/faults.err" >&2
        log "short fault campaign failed (exit $faults_status); its logs: $faults_dir"
        failed=$((failed + 1)); status=1
        faults_dir=""
    fi
    [[ -n "$faults_dir" ]] && rm -rf "$faults_dir"
fi

cleanup
trap - EXIT
summary="$passed passed, $failed failed"
[[ $skipped -gt 0 ]] && summary="$summary, $skipped skipped"
echo "$summary"
exit $status
