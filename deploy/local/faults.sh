#!/usr/bin/env bash
# A fault campaign over deploy/local/cluster.sh: 3 silo processes on one PostgreSQL (its defaults), business
# time at 1440x (a business day per real minute), the simulated provider journaling every accepted send. It
# loads borrowers spread over time zones, then, a phase each: kill -9 of silo 2 and its restart, a graceful
# stop of silo 3 and its restart, PostgreSQL down 30 s; then it lets the cluster settle and reports per phase:
# sends per second (lowest, seconds at zero, seconds stalled: none sent while messages waited in the
# dispatchers), keys sent twice (counted at the provider, across silos), keys
# the service counts as sent that the provider never accepted (lost acknowledgements), API answers 5xx and
# 503 from a status poller, and error log lines per silo.
#
#   bash deploy/local/faults.sh [borrowers]     (default 1500; about 6 minutes)
#
# Everything runs on 127.0.0.1; state and logs in $ORLEANSREMINDERS_LOCAL (default /tmp/orleansreminders-faults).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
borrowers="${1:-1500}"
export ORLEANSREMINDERS_LOCAL="${ORLEANSREMINDERS_LOCAL:-/tmp/orleansreminders-faults}"
dir="$ORLEANSREMINDERS_LOCAL"
run="faults-$(date +%s)"
export Cluster__TimeScale="${Cluster__TimeScale:-1440}" Dispatch__RatePerSecond="${Dispatch__RatePerSecond:-100}"
export Cluster__ServiceId="$run" Cluster__ClusterId="$run"
export Sms__Simulated__JournalPath="$dir/journal-$run"
cl() { bash "$here/cluster.sh" "$@"; }
now_ms() { date +%s%3N; }
key="local-admin-key"
zones=(America/New_York America/Chicago America/Los_Angeles Pacific/Honolulu Europe/London Europe/Berlin Asia/Dubai Asia/Kolkata Asia/Singapore Asia/Tokyo Australia/Sydney America/Sao_Paulo)

mkdir -p "$dir"
cl down >/dev/null 2>&1 || true
rm -f "$dir"/silo*.log
cl up 3
events="$dir/events-$run"; : > "$events"
mark() { echo "$(now_ms) $1" >> "$events"; echo "faults: $1" >&2; }

for i in $(seq 1 "$borrowers"); do
    zone="${zones[$((i % ${#zones[@]}))]}"
    curl -s -o /dev/null -X PUT "http://127.0.0.1:$((5181 + i % 3))/borrowers/$run-$i" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
        -d "{\"phone\":\"+1202555$(printf %04d "$i")\",\"locale\":\"en-US\",\"timeZones\":[\"$zone\"],\"region\":\"US\",\"debts\":[{\"debtId\":\"loan-1\",\"amountDue\":500,\"currency\":\"USD\",\"dueDate\":\"2026-11-20\"}]}" &
    (( i % 25 == 0 )) && wait
done
wait

# A status poller: one GET every 100 ms on a silo in turn; the answer codes go to a file.
codes="$dir/codes-$run"; : > "$codes"
( n=0; while true; do n=$((n + 1))
    echo "$(now_ms) $(curl -s -m 5 -o /dev/null -w '%{http_code}' -H "X-Api-Key: $key" \
        "http://127.0.0.1:$((5181 + n % 3))/borrowers/$run-$(( (RANDOM % borrowers) + 1 ))")" >> "$codes"
    sleep 0.1; done ) &
poller=$!
# Messages waiting in the dispatchers, summed over the silos once a second: a second without sends while
# messages wait is a stall; one with nothing waiting is only a lull in demand.
queued="$dir/queued-$run"; : > "$queued"
( while true; do
    total=0
    for port in 5181 5182 5183; do
        n=$(curl -s -m 1 "http://127.0.0.1:$port/metrics" | awk '/^orleansreminders_dispatcher_queue[{ ]/ {s+=$NF} END {print s+0}')
        total=$((total + ${n%.*}))
    done
    echo "$(now_ms) $total" >> "$queued"; sleep 1; done ) &
sampler=$!
trap 'kill $poller $sampler 2>/dev/null || true' EXIT

mark "baseline";        sleep 30
mark "kill -9 silo 2";  cl kill 2;  sleep 30
mark "restart silo 2";  cl start 2; sleep 30
mark "stop silo 3";     cl stop 3;  sleep 20
mark "restart silo 3";  cl start 3; sleep 30
mark "postgres down";   cl pg-stop; sleep 30
mark "postgres up";     cl pg-start; sleep 60
mark "end"
kill $poller $sampler 2>/dev/null || true

# What the service counts as sent (message.sent in contact_events) for this run's borrowers.
sent_keys="$dir/sent-$run"
psql "host=127.0.0.1 port=$(cat "$dir/pg.port") user=postgres dbname=orleansreminders" -tAc \
    "SELECT DISTINCT data->>'messageKey' FROM contact_events WHERE kind = 'message.sent' AND borrower_id LIKE '$run-%'" > "$sent_keys"

python3 - "$dir" "$run" "$events" "$codes" "$sent_keys" "$queued" <<'PY'
import collections, glob, sys
d, run, events, codes, sent_keys, queued = sys.argv[1:]
waiting = [(int(l.split()[0]), int(l.split()[1])) for l in open(queued) if len(l.split()) == 2]
sends = []
for f in glob.glob(f"{d}/journal-{run}.*"):
    for line in open(f):
        ms, ref = line.split()
        if ref.startswith(run): sends.append((int(ms), ref))
per_key = collections.Counter(ref for _, ref in sends)
marks = [(int(l.split(" ", 1)[0]), l.split(" ", 1)[1].strip()) for l in open(events)]
answers = [(int(l.split()[0]), l.split()[1]) for l in open(codes) if len(l.split()) == 2]
service_sent = {l.strip() for l in open(sent_keys) if l.strip()}
print(f"run {run}: {len(sends)} sends of {len(per_key)} keys; keys sent twice: {sum(1 for c in per_key.values() if c > 1)}; "
      f"keys counted as sent by the service but never accepted by the provider: {len(service_sent - set(per_key))}")
print(f"{'phase':<16} {'seconds':>7} {'sends':>6} {'lowest/s':>8} {'zero s':>6} {'stalled s':>9} {'longest stall':>13} {'5xx':>4} {'503':>4} {'answers':>7}")
for (start, name), (end, _) in zip(marks, marks[1:]):
    secs = max(1, (end - start) // 1000)
    counts = [0] * secs
    for ms, _ in sends:
        if start <= ms < start + secs * 1000: counts[(ms - start) // 1000] += 1
    # Stalled: no send in a second whose sample saw messages waiting in the dispatchers.
    waits = [0] * secs
    for ms, n in waiting:
        if start <= ms < start + secs * 1000: waits[(ms - start) // 1000] = max(waits[(ms - start) // 1000], n)
    stalled = [c == 0 and w > 0 for c, w in zip(counts, waits)]
    longest = run_ = 0
    for s_ in stalled:
        run_ = run_ + 1 if s_ else 0
        longest = max(longest, run_)
    phase_answers = [c for ms, c in answers if start <= ms < end]
    print(f"{name:<16} {secs:>7} {sum(counts):>6} {min(counts):>8} {counts.count(0):>6} {sum(stalled):>9} {longest:>13} "
          f"{sum(1 for c in phase_answers if c.startswith('5') and c != '503'):>4} {phase_answers.count('503'):>4} {len(phase_answers):>7}")
PY
for f in "$dir"/silo*.log; do
    echo "$(basename "$f"): $(grep -c '"@l":"Error"' "$f" || true) error lines, $(grep -c '"@l":"Fatal"' "$f" || true) fatal"
done
cl down >/dev/null
