#!/bin/sh
# Two labdesk processes apply interleaving feeds to one database at once;
# then no update may be lost and every order must replay.
#   concurrent.sh LABDESK WORKDIR sqlite FILE
#   concurrent.sh LABDESK WORKDIR postgresql STATE_DIR PG_BIN DBNAME
# Both feeds bring the same ORDERS lab portal cases to Manufacturing and
# then report each of them ROUNDS times as overdue (a step that is always
# legal and always counts), so whatever the interleaving, each order must
# end at seq 4 + 2 * ROUNDS with that many steps in its log.
set -eu
labdesk=$1 work=$2 kind=$3
ORDERS=20 ROUNDS=25
mkdir -p "$work"
shift 2
db=$(sh "$(dirname "$0")/fresh-db.sh" "$@")

feed() {
  awk -v orders=$ORDERS -v rounds=$ROUNDS 'BEGIN {
    t = "\"time\": \"2026-11-02T09:00:00Z\""
    for (o = 1; o <= orders; o++)
      printf "{\"order\": \"LP-%04d\", \"workflow\": \"lab-portal\", \"status\": \"Manufacturing\", %s}\n", o, t
    for (r = 1; r <= rounds; r++)
      for (o = 1; o <= orders; o++)
        printf "{\"order\": \"LP-%04d\", \"workflow\": \"lab-portal\", \"event\": \"ship_overdue\", %s}\n", o, t
  }'
}
feed > "$work/feed-a.jsonl"
feed > "$work/feed-b.jsonl"

"$labdesk" --db "$db" apply "$work/feed-a.jsonl" > "$work/a.out" 2> "$work/a.err" &
a=$!
"$labdesk" --db "$db" apply "$work/feed-b.jsonl" > "$work/b.out" 2> "$work/b.err" &
b=$!
rc=0
wait $a || rc=$?
wait $b || rc=$?
cat "$work/a.err" "$work/b.err"
[ $rc = 0 ] || { echo "a labdesk process failed ($rc)"; exit 1; }

fail() { echo "FAIL: $*"; exit 1; }
steps=$((4 + 2 * ROUNDS))
# Every update was applied once (an order is created by one process and
# found unchanged by the other).
applied=$(tail -qn1 "$work/a.out" "$work/b.out" | awk '{ n += $3 } END { print n }')
unchanged=$(tail -qn1 "$work/a.out" "$work/b.out" | awk '{ n += $5 } END { print n }')
[ "$applied" = $((ORDERS + 2 * ROUNDS * ORDERS)) ] || fail "$applied updates applied"
[ "$unchanged" = $ORDERS ] || fail "$unchanged updates unchanged"
"$labdesk" --db "$db" verify > "$work/verify.out" || fail "verify: $(cat "$work/verify.out")"
good=$(grep -c " ok: $steps steps to MANUFACTURING#$steps\$" "$work/verify.out")
[ "$good" = $ORDERS ] || fail "only $good orders at seq $steps: $(cat "$work/verify.out")"
"$labdesk" --db "$db" log > "$work/log.out"
notes=$(grep -c " notify: " "$work/log.out")
[ "$notes" = $((2 * ROUNDS * ORDERS)) ] || fail "$notes notifications"
"$labdesk" --db "$db" dashboard | grep -q "^lab-portal  *Manufacturing  *$ORDERS\$" ||
  fail "the dashboard does not count $ORDERS orders in Manufacturing"
# How often the other process got in between (not a condition: on a fast
# disk one process may finish before the other starts).
gaps=$(awk '/ship_overdue/ { split($3, s, "#"); if ($2 in last && s[2] != last[$2] + 1) n++; last[$2] = s[2] } END { print n + 0 }' "$work/a.out")
echo "the second process took the first one's orders' next seq $gaps times"
echo "ok: $ORDERS orders at seq $steps, $notes notifications, both processes done"
