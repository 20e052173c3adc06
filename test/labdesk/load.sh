#!/bin/sh
# A load test, not a timed one: 1, 2 and 4 labdesk apply processes at once
# on one database, SQLite and PostgreSQL (a server of its own, pg.sh), over
# a generated feed of UPDATES updates across ORDERS lab portal orders.
#   load.sh LABDESK WORKDIR PG_BIN UPDATES ORDERS
# Every writer first reports each order at Manufacturing (the first to
# see an order creates it in four steps, the others find it unchanged),
# then its share of the UPDATES - ORDERS ship_overdue events, dealt round
# robin, so that writers race for the same orders. Afterwards, whatever
# the interleaving: every update was applied exactly once, verify passes,
# and the accepted log rows equal the sum of the orders' seqs (nothing
# lost, nothing applied twice). Prints updates/s per backend and writers.
set -eu
labdesk=$1 work=$2 pg_bin=$3 updates=$4 orders=$5
here=$(cd "$(dirname "$0")" && pwd)
events=$((updates - orders))
steps=$((4 * orders + events))
now=2026-11-13T12:00:00Z
rm -rf "$work"
mkdir -p "$work"

fail() { echo "FAIL: $*"; exit 1; }

# feed W K: writer K's (of W) feed
feed() {
  awk -v orders="$orders" -v events="$events" -v w="$1" -v k="$2" 'BEGIN {
    t = "\"time\": \"2026-11-02T09:00:00Z\""
    for (o = 1; o <= orders; o++)
      printf "{\"order\": \"LP-%05d\", \"workflow\": \"lab-portal\", \"status\": \"Manufacturing\", %s}\n", o, t
    for (e = k; e < events; e += w)
      printf "{\"order\": \"LP-%05d\", \"workflow\": \"lab-portal\", \"event\": \"ship_overdue\", %s}\n", e % orders + 1, t
  }'
}

# run KIND W DB: W writers at once on DB, then the checks
run() {
  kind=$1 w=$2 db=$3 dir=$work/$1-$2
  mkdir -p "$dir"
  k=0
  while [ $k -lt "$w" ]; do
    feed "$w" $k > "$dir/feed-$k.jsonl"
    k=$((k + 1))
  done
  start=$(date +%s.%N)
  pids=
  k=0
  while [ $k -lt "$w" ]; do
    "$labdesk" --db "$db" --now $now apply "$dir/feed-$k.jsonl" \
      > "$dir/apply-$k.out" 2> "$dir/apply-$k.err" &
    pids="$pids $!"
    k=$((k + 1))
  done
  rc=0
  for p in $pids; do wait "$p" || rc=$?; done
  end=$(date +%s.%N)
  [ $rc = 0 ] || fail "$kind, $w writers: a labdesk apply failed ($rc): $(cat "$dir"/apply-*.err)"
  # the last line of each: N updates: A applied, U unchanged, R rejected, S out of order, B bad
  tail -qn1 "$dir"/apply-*.out | awk -v want_a=$((orders + events)) \
      -v want_u=$(((w - 1) * orders)) '{ a += $3; u += $5; r += $7; s += $9; b += $13 }
    END { if (a != want_a || u != want_u || r || s || b) {
            printf "%d applied (want %d), %d unchanged (want %d), %d rejected, %d out of order, %d bad\n", a, want_a, u, want_u, r, s, b
            exit 1 } }' || fail "$kind, $w writers: not every update applied once"
  "$labdesk" --db "$db" verify > "$dir/verify.out" || fail "$kind, $w writers: verify: $(tail -n3 "$dir/verify.out")"
  tail -n1 "$dir/verify.out" | grep -qx "$orders of $orders orders replay to their stored state" ||
    fail "$kind, $w writers: $(tail -n1 "$dir/verify.out")"
  seqs=$(awk '/ ok: / { split($NF, s, "#"); n += s[2] } END { print n + 0 }' "$dir/verify.out")
  "$labdesk" --db "$db" log > "$dir/log.out"
  accepted=$(grep -c ' -> ' "$dir/log.out" || true)
  notes=$(grep -c ' notify: ' "$dir/log.out" || true)
  [ "$accepted" = "$seqs" ] || fail "$kind, $w writers: $accepted accepted log rows, the seqs sum to $seqs"
  [ "$seqs" = $steps ] || fail "$kind, $w writers: the seqs sum to $seqs, not $steps"
  [ "$notes" = $events ] || fail "$kind, $w writers: $notes notifications, not $events"
  retries=$(cat "$dir"/apply-*.err | awk '/lost races retried/ { n += $2 } END { print n + 0 }')
  awk -v kind="$kind" -v w="$w" -v n="$updates" -v s="$start" -v e="$end" -v r="$retries" 'BEGIN {
    printf "%-10s %d writer%s: %d updates in %.1f s, %.0f updates/s (%d lost races retried)\n",
      kind, w, w == 1 ? " " : "s", n, e - s, n / (e - s), r }'
}

for w in 1 2 4; do
  run sqlite $w "$work/sqlite-$w.db"
done

sh "$here/pg.sh" start "$work/pg" "$pg_bin"
trap 'sh "$here/pg.sh" stop "$work/pg" "$pg_bin"' EXIT
for w in 1 2 4; do
  db=$(sh "$here/fresh-db.sh" postgresql "$work/pg" "$pg_bin" "labdesk_load_$w")
  run postgresql $w "$db"
done
echo "ok: $updates updates over $orders orders, 1, 2 and 4 writers, SQLite and PostgreSQL"
