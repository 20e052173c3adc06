#!/bin/sh
# Real kills: `run` uploads 40 cases slowly and is killed with SIGKILL at a
# random moment, 50 times (delays from a fixed seed), each kill followed by
# a restart; after every kill nothing may be lost, and at the end a run to
# completion must have exported every case exactly once.
# Usage: sigkill.sh SCANNER_EXPORT WORKDIR
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/common.sh"
rm -rf "$2" && mkdir -p "$2" && cd "$2" || exit 1

cases=$(seq -f 'c%02g' 1 40 | tr '\n' ' ')
"$BIN" q init > /dev/null && "$BIN" q add $cases > /dev/null || exit 1
seed=20261122
: > runs.out
kills=0
for i in $(seq 50); do
  seed=$(( (seed * 1103515245 + 12345) % 2147483648 ))  # the C standard's LCG
  delay=$(printf '0.%03d' $((5 + seed / 65536 % 60)))
  "$BIN" --chunk-delay 2 q run >> runs.out 2>&1 &
  pid=$!
  sleep "$delay"
  kill -KILL $pid 2> /dev/null
  wait $pid 2> /dev/null
  rc=$?
  case $rc in
    137) kills=$((kills + 1)) ;;
    0) ;;  # it finished first
    *) fail "run $i: exit $rc" ;;
  esac
  check_consistent q $cases
done
"$BIN" q run >> runs.out 2>&1 || fail "the last run failed"
check_done q $cases
restarts=$(grep -c '(restart), retrying upload' runs.out)
again=$(grep -c 'the lab had it already' runs.out)
echo "$kills kills, $restarts uploads interrupted and retried," \
     "$again found already at the lab, $failures failures"
[ "$restarts" -gt 0 ] || fail "no kill landed during an upload"
[ $failures = 0 ]
