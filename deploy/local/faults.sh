#!/usr/bin/env bash
# A fault campaign over deploy/local/cluster.sh: 4 silo processes on one PostgreSQL with its defaults
# (max_connections 100), business time at 1440x (a business day per real minute), the simulated provider
# journaling every accepted send. It loads borrowers spread over time zones, then, a phase each: kill -9 of
# silo 2 and its restart, a graceful stop of silo 3 and its restart, PostgreSQL down 30 s, the provider down
# 30 s (every send refused as a provider error), a 30 s throttling storm (every send throttled); then it lets
# the cluster settle. Throughout, a status poller, a payer (1.00 payments with unique ids) and a sampler of
# the dispatchers' queues run. It reports, per phase: sends per second (lowest, seconds at zero, seconds
# stalled: none sent while messages waited in the dispatchers), API answers 5xx other than 503 and 503, steps
# run and how late against when they were planned (late: more than 5 s of real time, two business hours);
# and for the run: keys sent twice (counted at the provider, across silos), keys the service counts as sent
# that the provider never accepted, acknowledged payments lost (each is posted again at the end: it must be
# answered "already recorded"), borrowers whose sent count went backwards between two status reads,
# borrowers whose planned step is overdue at the end, and error log lines per silo.
#
#   bash deploy/local/faults.sh [borrowers]           (default 1500; about 8 minutes)
#   bash deploy/local/faults.sh --short [borrowers]   (default 300, 2 silos, every phase shorter; about 3 minutes;
#                                                      tests/run.sh runs it)
#
# It ends with a verdict line, "faults: PASS" or "faults: FAIL (…)", and exits non-zero on a failure: a key sent
# twice, a key counted as sent that the provider never accepted, an acknowledged payment lost, a sent count
# that went backwards, a step overdue at the end, an API answer 5xx other than 503, or a stall (no send while
# messages waited in the dispatchers) longer than 5 s.
#
# Everything runs on 127.0.0.1; state and logs in $ORLEANSREMINDERS_LOCAL (default /tmp/orleansreminders-faults).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
short=0
[[ "${1:-}" == "--short" ]] && { short=1; shift; }
borrowers="${1:-$(( short ? 300 : 1500 ))}"
silos=$(( short ? 2 : 4 ))
# Phase lengths in seconds: the full campaign's, or about 40 % of them.
secs() { echo $(( short ? ($1 * 2 + 4) / 5 : $1 )); }
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
cl up $silos
events="$dir/events-$run"; : > "$events"
mark() { echo "$(now_ms) $1" >> "$events"; echo "faults: $1" >&2; }

for i in $(seq 1 "$borrowers"); do
    zone="${zones[$((i % ${#zones[@]}))]}"
    curl -s -o /dev/null -X PUT "http://127.0.0.1:$((5181 + i % silos))/borrowers/$run-$i" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
        -d "{\"phone\":\"+1202555$(printf %04d "$i")\",\"locale\":\"en-US\",\"timeZones\":[\"$zone\"],\"region\":\"US\",\"debts\":[{\"debtId\":\"loan-1\",\"amountDue\":500,\"currency\":\"USD\",\"dueDate\":\"2026-11-20\"}]}" &
    (( i % 25 == 0 )) && wait
done
wait

# A status poller: one GET every 100 ms on a silo in turn; the answer code and the borrower's sent count go to a file.
codes="$dir/codes-$run"; : > "$codes"
( n=0; while true; do n=$((n + 1)); b="$run-$(( (RANDOM % borrowers) + 1 ))"
    body="$(curl -s -m 5 -w ' %{http_code}' -H "X-Api-Key: $key" "http://127.0.0.1:$((5181 + n % silos))/borrowers/$b" || echo ' 000')"
    sent="$(grep -o '"counts":{[^}]*}' <<<"$body" | grep -o '"sent":[0-9]*' | cut -d: -f2 || true)"
    echo "$(now_ms) ${body##* } $b ${sent:--}" >> "$codes"
    sleep 0.1; done ) &
poller=$!
# A payer: a 1.00 payment with a unique id every 250 ms to a random borrower, on a silo in turn.
payments="$dir/payments-$run"; : > "$payments"
( n=0; while true; do n=$((n + 1)); b="$run-$(( (RANDOM % borrowers) + 1 ))"
    code="$(curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$((5181 + n % silos))/borrowers/$b/payments" \
        -H "X-Api-Key: $key" -H 'Content-Type: application/json' -d "{\"paymentId\":\"$run-p$n\",\"amount\":1,\"currency\":\"USD\"}" || echo 000)"
    echo "$(now_ms) $code $b $run-p$n" >> "$payments"
    sleep 0.25; done ) &
payer=$!
# Messages waiting in the dispatchers, summed over the silos once a second: a second without sends while
# messages wait is a stall; one with nothing waiting is only a lull in demand.
queued="$dir/queued-$run"; : > "$queued"
( while true; do
    total=0
    for port in $(seq 5181 $((5180 + silos))); do
        n=$(curl -s -m 1 "http://127.0.0.1:$port/metrics" | awk '/^orleansreminders_dispatcher_queue[{ ]/ {s+=$NF} END {print s+0}')
        total=$((total + ${n%.*}))
    done
    echo "$(now_ms) $total" >> "$queued"; sleep 1; done ) &
sampler=$!
trap 'kill $poller $payer $sampler 2>/dev/null || true; cl down >/dev/null 2>&1 || true' EXIT
provider() { for port in $(seq 5181 $((5180 + silos))); do curl -s -o /dev/null -X PUT "http://127.0.0.1:$port/simulated/fault?mode=$1" -H "X-Api-Key: $key" || true; done; }

stopped=$(( silos > 2 ? 3 : 2 ))
mark "baseline";              sleep "$(secs 30)"
mark "kill -9 silo 2";        cl kill 2;  sleep "$(secs 30)"
mark "restart silo 2";        cl start 2; sleep "$(secs 30)"
mark "stop silo $stopped";    cl stop "$stopped";  sleep "$(secs 20)"
mark "restart silo $stopped"; cl start "$stopped"; sleep "$(secs 30)"
mark "postgres down";         cl pg-stop; sleep "$(secs 30)"
mark "postgres up";           cl pg-start; sleep "$(secs 45)"
mark "provider down";         provider outage; sleep "$(secs 30)"
mark "provider back";         provider none; sleep "$(secs 30)"
mark "throttle storm";        provider throttle-storm; sleep "$(secs 30)"
mark "storm over";            provider none; sleep "$(secs 60)"
mark "end"
kill $poller $payer $sampler 2>/dev/null || true

# Every acknowledged payment, posted again: stored, it is answered "payment already recorded"; lost, it is applied now.
recheck="$dir/recheck-$run"; : > "$recheck"
n=0
while read -r _ code b pid; do
    [[ "$code" == 2* ]] || continue
    n=$((n + 1))
    ( answer="$(curl -s -m 10 -X POST "http://127.0.0.1:$((5181 + n % silos))/borrowers/$b/payments" -H "X-Api-Key: $key" \
        -H 'Content-Type: application/json' -d "{\"paymentId\":\"$pid\",\"amount\":1,\"currency\":\"USD\"}")"
      echo "$pid $(grep -q 'already recorded' <<<"$answer" && echo stored || echo "LOST $answer")" >> "$recheck" ) &
    (( n % 20 == 0 )) && wait
done < "$payments"
wait
# Each borrower's planned next step at the end, to find steps overdue (a tick that never ran).
finals="$dir/finals-$run"; : > "$finals"
for i in $(seq 1 "$borrowers"); do
    ( body="$(curl -s -m 10 -H "X-Api-Key: $key" "http://127.0.0.1:$((5181 + i % silos))/borrowers/$run-$i")"
      at="$(grep -o '"nextActionAt":"[^"]*"' <<<"$body" | head -1 | cut -d'"' -f4)"
      stage="$(grep -o '"stage":"[^"]*"' <<<"$body" | head -1 | cut -d'"' -f4 | tr ' ' '_')"
      echo "$run-$i ${at:--} ${stage:--}" >> "$finals" ) &
    (( i % 25 == 0 )) && wait
done
wait
end_ms=$(now_ms)

# What the service counts as sent (message.sent in contact_events) for this run's borrowers.
sent_keys="$dir/sent-$run"
pgc="host=127.0.0.1 port=$(cat "$dir/pg.port") user=postgres dbname=orleansreminders"
psql "$pgc" -tAc "SELECT DISTINCT data->>'messageKey' FROM contact_events WHERE kind = 'message.sent' AND borrower_id LIKE '$run-%'" > "$sent_keys"
# Steps run: when (business time) and how late against the instant they were planned for.
steps="$dir/steps-$run"
psql "$pgc" -F ' ' -tAc "SELECT (extract(epoch FROM occurred_at) * 1000)::bigint, extract(epoch FROM occurred_at - (data->>'planned')::timestamptz)
    FROM contact_events WHERE kind = 'message.queued' AND borrower_id LIKE '$run-%' AND data ? 'planned'" > "$steps"
origin_ms="$(psql "$pgc" -tAc "SELECT (extract(epoch FROM origin) * 1000)::bigint FROM service_clock WHERE service_id = '$run' AND scale = ${Cluster__TimeScale}")"

verdict=0
python3 - "$dir" "$run" "$events" "$codes" "$sent_keys" "$queued" "$steps" "$origin_ms" "$Cluster__TimeScale" "$recheck" "$finals" "$end_ms" <<'PY' || verdict=$?
import collections, datetime, glob, sys
d, run, events, codes, sent_keys, queued, steps, origin, scale, recheck, finals, end_ms = sys.argv[1:]
origin, scale, end_ms = int(origin), float(scale), int(end_ms)
real_ms = lambda business_ms: origin + (business_ms - origin) / scale
waiting = [(int(l.split()[0]), int(l.split()[1])) for l in open(queued) if len(l.split()) == 2]
sends = []
for f in glob.glob(f"{d}/journal-{run}.*"):
    for line in open(f):
        ms, ref = line.split()
        if ref.startswith(run): sends.append((int(ms), ref))
per_key = collections.Counter(ref for _, ref in sends)
marks = [(int(l.split(" ", 1)[0]), l.split(" ", 1)[1].strip()) for l in open(events)]
polls = [l.split() for l in open(codes) if len(l.split()) == 4]
answers = [(int(p[0]), p[1]) for p in polls]
service_sent = {l.strip() for l in open(sent_keys) if l.strip()}
# Steps: (real ms when run, seconds late in business time).
ran = [(real_ms(int(l.split()[0])), float(l.split()[1])) for l in open(steps) if len(l.split()) == 2]
# Backwards: a borrower's sent count lower than an earlier read of it.
seen, backwards = {}, set()
for ms, code, b, sent in sorted(polls, key=lambda p: int(p[0])):
    if code != "200" or sent == "-": continue
    if int(sent) < seen.get(b, 0): backwards.add(b)
    seen[b] = max(seen.get(b, 0), int(sent))
rechecked = [l.split(" ", 1) for l in open(recheck) if l.strip()]
lost_payments = [r for r in rechecked if not r[1].startswith("stored")]
business_end = origin + (end_ms - origin) * scale
overdue = []
for l in open(finals):
    parts = l.split()
    if len(parts) >= 2 and parts[1] != "-":
        at = datetime.datetime.fromisoformat(parts[1].replace("Z", "+00:00")).timestamp() * 1000
        if at < business_end - 2 * 3600 * 1000: overdue.append((parts[0], (business_end - at) / 3600000))
print(f"run {run}: {len(sends)} sends of {len(per_key)} keys; keys sent twice: {sum(1 for c in per_key.values() if c > 1)}; "
      f"keys counted as sent by the service but never accepted by the provider: {len(service_sent - set(per_key))}")
print(f"acknowledged payments: {len(rechecked)}, lost: {len(lost_payments)}; borrowers whose sent count went backwards: {len(backwards)} "
      f"(of {len(seen)} read); borrowers with a step overdue by more than 2 business hours at the end: {len(overdue)}")
for pid, answer in lost_payments[:5]: print(f"  lost payment {pid}: {answer.strip()[:160]}")
for b, hours in overdue[:5]: print(f"  overdue {b}: {hours:.1f} business hours")
worst_stall = 0
print(f"{'phase':<16} {'seconds':>7} {'sends':>6} {'lowest/s':>8} {'zero s':>6} {'stalled s':>9} {'longest stall':>13} {'5xx':>4} {'503':>4} {'answers':>7} {'steps':>6} {'late':>5} {'p99 late s':>10} {'max late s':>10}")
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
    worst_stall = max(worst_stall, longest)
    phase_answers = [c for ms, c in answers if start <= ms < end]
    # Lateness in real seconds (business seconds / scale); late: over 5 real seconds.
    lates = sorted(late / scale for ms, late in ran if start <= ms < end)
    p99 = lates[min(len(lates) - 1, int(0.99 * len(lates)))] if lates else 0.0
    print(f"{name:<16} {secs:>7} {sum(counts):>6} {min(counts):>8} {counts.count(0):>6} {sum(stalled):>9} {longest:>13} "
          f"{sum(1 for c in phase_answers if c.startswith('5') and c != '503'):>4} {phase_answers.count('503'):>4} {len(phase_answers):>7} "
          f"{len(lates):>6} {sum(1 for x in lates if x > 5):>5} {p99:>10.1f} {(lates[-1] if lates else 0.0):>10.1f}")
errors_5xx = sum(1 for _, c in answers if c.startswith("5") and c != "503")
failures = [text for count, text in [
    (sum(1 for c in per_key.values() if c > 1), "keys sent twice"),
    (len(service_sent - set(per_key)), "keys counted as sent but never accepted"),
    (len(lost_payments), "acknowledged payments lost"),
    (len(backwards), "borrowers whose sent count went backwards"),
    (len(overdue), "steps overdue at the end"),
    (errors_5xx, "API answers 5xx other than 503"),
    (1 if worst_stall > 5 else 0, f"a stall of {worst_stall} s (more than 5)"),
    (0 if sends else 1, "nothing sent at all"),
] if count]
if not any(p for p in polls if p[1] == "200"): failures.append("no status read answered 200")
print("faults: PASS" if not failures else "faults: FAIL (" + "; ".join(failures) + ")")
sys.exit(1 if failures else 0)
PY
for f in "$dir"/silo*.log; do
    echo "$(basename "$f"): $(grep -c '"@l":"Error"' "$f" || true) error lines, $(grep -c '"@l":"Fatal"' "$f" || true) fatal"
done
cl down >/dev/null
exit "$verdict"
