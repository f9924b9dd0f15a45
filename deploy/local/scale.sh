#!/usr/bin/env bash
# A scale run over deploy/local/cluster.sh: N silo processes (default 1) on their own PostgreSQL with the
# server's defaults, real time, idle grains deactivated after Cluster:IdleDeactivationAfter (1 minute here).
# It imports B borrowers (default 1,000,000; NDJSON in chunks of 100,000 through POST /borrowers/import, spread
# over the silos), each owing one debt due in the future (every borrower has a stored state and a reminder,
# none is due during the run), then reports:
#   - the load: rows/s, and each silo's memory (RSS) at its end and once idle borrowers were deactivated;
#   - the reminder table: its rows, and how long reading all of them takes (the query a silo's reminder
#     service runs over its range at start and on every refresh, timed in psql);
#   - a restart of every silo: seconds until each answers again (the silo starts its reminder service, which
#     reads its range, before it serves), and its memory after;
#   - GET /borrowers/{id} latency for 2,000 random borrowers, cold (not active since the restart), then the
#     same borrowers warm, 8 requests in flight: p50, p99, max.
#
#   bash deploy/local/scale.sh [borrowers] [silos]      (1,000,000 and 1 silo: about 20 minutes)
#
# Everything runs on 127.0.0.1; state and logs in $ORLEANSREMINDERS_LOCAL (default /tmp/orleansreminders-scale).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
borrowers="${1:-1000000}"
silos="${2:-1}"
export ORLEANSREMINDERS_LOCAL="${ORLEANSREMINDERS_LOCAL:-/tmp/orleansreminders-scale}"
dir="$ORLEANSREMINDERS_LOCAL"
run="scale-$(date +%s)"
export Cluster__ServiceId="$run" Cluster__ClusterId="$run"
export Cluster__IdleDeactivationAfter="${Cluster__IdleDeactivationAfter:-00:01:00}"
key="local-admin-key"
chunk=100000
cl() { bash "$here/cluster.sh" "$@"; }
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$(cat "$dir/silo$1.pid")/status"; }
# Borrower activations a silo holds now: created minus destroyed, from its /metrics.
active() { curl -s "http://127.0.0.1:$((5180 + $1))/metrics" | awk '/activation_(created|destroyed)_total\{.*grain_type="borrower"/ {
    if ($0 ~ /created/) c += $NF; else d += $NF } END {printf "%d", c - d}'; }
memory() { local out=""; for i in $(seq 1 "$silos"); do out+="silo $i $(rss_mb "$i") MB, $(active "$i") borrowers active; "; done; echo "${out%; }"; }
say() { echo "scale: $*"; }

mkdir -p "$dir"
cl down >/dev/null 2>&1 || true
trap 'cl down >/dev/null 2>&1 || true' EXIT
cl up "$silos" >&2
pgc="host=127.0.0.1 port=$(cat "$dir/pg.port") user=postgres dbname=orleansreminders"
say "run $run: $borrowers borrowers, $silos silo(s), idle deactivation after $Cluster__IdleDeactivationAfter; memory at start: $(memory)"

# The import, in chunks; up to one chunk per silo in flight.
python3 - "$dir/import" "$run" "$borrowers" "$chunk" <<'PY'
import os, sys
folder, run, n, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
areas = [202]
zones = ["America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Asia/Kolkata", "Asia/Tokyo"]
os.makedirs(folder, exist_ok=True)
for start in range(0, n, chunk):
    with open(f"{folder}/{start // chunk:04d}.ndjson", "w") as f:
        for i in range(start, min(n, start + chunk)):
            # Valid US numbers (+1 202 555 xxxx); numbers repeat across borrowers, as they may.
            f.write('{"id":"%s-%07d","phone":"+1%d555%04d","locale":"en-US","timeZones":["%s"],"region":"US",'
                    '"debts":[{"debtId":"loan-1","amountDue":%d,"currency":"USD","dueDate":"2027-06-%02d"}]}\n'
                    % (run, i, areas[(i // 10000) % len(areas)], i % 10000, zones[i % len(zones)], 100 + i % 900, 1 + i % 28))
PY
started=$(date +%s.%N)
n=0
for f in "$dir"/import/*.ndjson; do
    port=$((5181 + n % silos)); n=$((n + 1))
    ( answer="$(curl -s -m 3600 -X POST "http://127.0.0.1:$port/borrowers/import" -H "X-Api-Key: $key" \
        -H 'Content-Type: application/x-ndjson' --data-binary @"$f")"
      echo "$answer" > "$f.answer"
      say "$(basename "$f"): $(grep -o '"accepted":[0-9]*' <<<"$answer" || echo "no answer: ${answer:0:200}") ($(echo "$(date +%s.%N) - $started" | bc | cut -c1-6) s)" ) &
    (( n % silos == 0 )) && wait
done
wait
load_s=$(echo "$(date +%s.%N) - $started" | bc)
accepted=$(cat "$dir"/import/*.answer | grep -o '"accepted":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
say "loaded $accepted of $borrowers in $(printf %.0f "$load_s") s: $(echo "$accepted / $load_s" | bc) rows/s; memory: $(memory)"
rows=$(psql "$pgc" -tAc "SELECT count(*) FROM orleans_reminders WHERE service_id = '$run'")
states=$(psql "$pgc" -tAc "SELECT count(*) FROM orleans_storage WHERE service_id = '$run'")
say "stored: $states grain states, $rows reminders; database size $(psql "$pgc" -tAc "SELECT pg_size_pretty(pg_database_size('orleansreminders'))")"
say "waiting 150 s for idle borrowers to be deactivated"; sleep 150
say "memory after idle deactivation: $(memory)"
read_ms=$(psql "$pgc" -tA -c '\timing on' -c "SELECT count(*), max(grain_hash) FROM orleans_reminders WHERE service_id = '$run' AND grain_hash > -2147483648" \
    | awk '/^Time:/ {print $2}')
say "reading all $rows reminder rows (one range covering the ring): $read_ms ms"

# Restart every silo (graceful stop, then start; each waits for the others' membership as production does).
for i in $(seq 1 "$silos"); do cl stop "$i" >&2; done
for i in $(seq 1 "$silos"); do
    t=$(date +%s.%N); cl start "$i" >&2
    say "silo $i answered $(echo "$(date +%s.%N) - $t" | bc | cut -c1-5) s after its start"
done
say "memory after the restart: $(memory)"

# Status latency: 2,000 random borrowers cold, then the same warm.
python3 -c "import random,sys; [print('%s-%07d' % (sys.argv[1], i)) for i in random.sample(range(int(sys.argv[2])), 2000)]" "$run" "$borrowers" > "$dir/sample"
probe() {
    local n=0
    while read -r id; do n=$((n + 1)); echo "$((5181 + n % silos)) $id"; done < "$dir/sample" |
        xargs -P 8 -L 1 sh -c 'curl -s -o /dev/null -w "%{http_code} %{time_total}\n" -H "X-Api-Key: '"$key"'" "http://127.0.0.1:$0/borrowers/$1"'
}
probe > "$dir/cold"; probe > "$dir/warm"
for kind in cold warm; do
    python3 - "$dir/$kind" "$kind" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
ms = sorted(float(t) * 1000 for c, t in rows if c == "200")
other = sum(1 for c, _ in rows if c != "200")
pick = lambda p: ms[min(len(ms) - 1, int(p * len(ms)))] if ms else float("nan")
print(f"scale: status {sys.argv[2]}: {len(ms)} answered 200 ({other} other), p50 {pick(0.5):.1f} ms, p99 {pick(0.99):.1f} ms, max {ms[-1] if ms else float('nan'):.1f} ms")
PY
done
say "memory at the end: $(memory)"
for f in "$dir"/silo*.log; do say "$(basename "$f"): $(grep -c '"@l":"Error"' "$f" || true) error lines"; done
