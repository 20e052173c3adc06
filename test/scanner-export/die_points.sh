#!/bin/sh
# Kills `run` at each of its crash points in turn (--die-after N: after
# every durable write and every uploaded chunk), then kills the restart
# too, at its 1st and its 5th (after a restore, the retry's first chunk),
# and checks after each death that nothing is lost; then a restart runs to
# the end and every case is exported once.
# Usage: die_points.sh SCANNER_EXPORT WORKDIR
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/common.sh"
rm -rf "$2" && mkdir -p "$2" && cd "$2" || exit 1

"$BIN" fresh init > /dev/null && "$BIN" fresh add c1 c2 > /dev/null || exit 1
n=0
while :; do
  n=$((n + 1))
  rm -rf q && cp -R fresh q || exit 1
  "$BIN" --die-after $n q run > run.out 2>&1
  rc=$?
  [ $rc = 0 ] && break
  [ $rc = 137 ] || { fail "run --die-after $n: exit $rc: $(cat run.out)"; break; }
  check_consistent q c1 c2
  for m in 1 5; do  # the restart dies too: saving its restore; 1st chunk
    "$BIN" --die-after $m q run >> run.out 2>&1
    check_consistent q c1 c2
  done
  "$BIN" q run >> run.out 2>&1 || fail "the restart after death $n failed: $(cat run.out)"
  check_done q c1 c2
  [ $n -lt 1000 ] || { fail "run never completed"; break; }
done
# 2 cases x (3 saves x 2 crash points + 8 chunks + the lab's accept) + 1.
[ $n = 31 ] || fail "run completed at crash point $n, expected 31"
check_done q c1 c2
echo "$((n - 1)) deaths, $failures failures"
[ $failures = 0 ]
