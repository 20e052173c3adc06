# Shared by the scanner-export tests: sourced with BIN (the program) set.
# Each check prints what failed and counts it in $failures.
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# check_consistent DIR CASE...: what must hold after any crash. The queue
# loads (whole file, right checksum, every history replays to its
# snapshot); it holds exactly the cases added (none lost); a case the lab
# has is queued or being uploaded or exported, and an exported case is at
# the lab; the lab holds only whole cases, each once (its file name is the
# case id, so a second copy would have nowhere to go).
check_consistent() {
  dir=$1; shift
  if ! "$BIN" "$dir" status > "$dir.status" 2>&1; then
    fail "status after a crash: $(cat "$dir.status")"
    return
  fi
  ids=$(sed 's/^case \([^:]*\):.*/\1/' "$dir.status" | tr '\n' ' ')
  [ "$ids" = "$* " ] || fail "queue holds '$ids', expected '$* '"
  grep -E 'EXPORTED, lab: no|(NEW|READY_TO_EXPORT), lab: yes' "$dir.status" &&
    fail "state and lab disagree"
  for f in "$dir"/lab/*; do
    case $f in
      *.part | "$dir/lab/*") ;;
      *) grep -q "^case ${f##*/}: " "$dir.status" || fail "the lab has ${f##*/}, never queued"
         [ "$(wc -c < "$f")" -eq 32768 ] || fail "the lab has an incomplete ${f##*/}" ;;
    esac
  done
}

# check_done DIR CASE...: after a run to completion, every case is
# exported once: at the lab, EXPORTED, with exactly one upload_done in its
# history, and no partial upload left behind.
check_done() {
  dir=$1; shift
  check_consistent "$dir" "$@"
  grep -v 'EXPORTED, lab: yes$' "$dir.status" && fail "not every case is exported"
  for id in "$@"; do
    "$BIN" "$dir" history "$id" > "$dir.history" 2>&1 || fail "history $id"
    [ "$(grep -c -e '--upload_done--> EXPORTED$' "$dir.history")" = 1 ] ||
      fail "case $id: not exactly one upload_done"
    tail -n 1 "$dir.history" | grep -q -e '--upload_done--> EXPORTED$' ||
      fail "case $id: the history does not end EXPORTED"
  done
  [ "$(ls "$dir/lab" | tr '\n' ' ')" = "$* " ] ||
    fail "the lab holds '$(ls "$dir/lab" | tr '\n' ' ')', expected '$* '"
}
