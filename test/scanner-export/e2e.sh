#!/bin/sh
# scanner-export end to end: each command's exact output (stdout and stderr
# together) and exit code; a crash and its restart; bad queue files, each
# with its error and the file left as it was; a second writer refused.
# Usage: e2e.sh SCANNER_EXPORT WORKDIR. SCANNER_EXPORT_WRAPPER (e.g.
# valgrind) runs before each command.
BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
. "$(dirname "$0")/common.sh"
rm -rf "$2" && mkdir -p "$2" && cd "$2" || exit 1

# expect RC ARGS... <<EOF (the expected output) EOF
expect() {
  want_rc=$1; shift
  cat > want
  # The redirection is made in the child, so the shell's own "Killed"
  # goes to /dev/null, not into the output.
  case " $* " in  # a killed process has no chance to free its memory
    *" --die-after "*) wrapper= ;;
    *) wrapper=${SCANNER_EXPORT_WRAPPER:-} ;;
  esac
  sh -c 'exec "$@" > got 2>&1' sh $wrapper "$BIN" "$@" 2> /dev/null
  rc=$?
  [ $rc = "$want_rc" ] || fail "scanner-export $*: exit $rc, expected $want_rc"
  diff -u want got || fail "scanner-export $*: output differs"
}
# unchanged FILE: FILE is as saved in FILE.before.
unchanged() {
  cmp -s "$1" "$1.before" || fail "$1 changed"
}
USAGE='usage: scanner-export [--die-after N] [--chunk-delay MS] DIR COMMAND'

HELP="$USAGE

  init          start an empty queue in DIR, and the lab in DIR/lab
  add CASE...   scan new cases up to READY_TO_EXPORT and queue them
  run           send every ready case to the lab, then upload each
  status        each case's state, and whether the lab has it
  history CASE  the steps of a case, as dosm_replay checked them

  --die-after N     kill the program at its N-th crash point (after each
                    durable write and each uploaded chunk)
  --chunk-delay MS  wait MS milliseconds (at most 10000) before each
                    chunk of an upload
  --help            print this help"

# ---- usage ----
expect 2 <<EOF
$HELP
EOF
expect 0 --help <<EOF
$HELP
EOF
expect 2 --die-after <<EOF
scanner-export: missing value after --die-after
$USAGE
EOF
expect 2 --chunk-delay=3x q run <<EOF
scanner-export: not a number: 3x
$USAGE
EOF
expect 2 q <<EOF
scanner-export: missing DIR or COMMAND
$USAGE
EOF
expect 2 q frob <<EOF
scanner-export: no command frob
$USAGE
EOF
expect 2 q add <<EOF
scanner-export: wrong number of arguments for add
$USAGE
EOF
expect 2 q history a b <<EOF
scanner-export: wrong number of arguments for history
$USAGE
EOF
expect 2 --fast 1 q run <<EOF
scanner-export: bad option: --fast
$USAGE
EOF
expect 2 --die-after 0 q run <<EOF
scanner-export: bad option: --die-after
$USAGE
EOF
expect 2 --chunk-delay -5 q run <<EOF
scanner-export: not a number: -5
$USAGE
EOF

# ---- no queue yet: an error, never an empty queue; nothing is created ----
expect 1 q status <<EOF
scanner-export: cannot read q/queue: No such file or directory
EOF
expect 1 q add c1 <<EOF
scanner-export: cannot open q/lock: No such file or directory (to start a new queue: init)
EOF
[ -e q ] && fail "a command without a queue created q"

# ---- a day's work ----
expect 0 q init <<EOF
q: an empty queue, and the lab in q/lab
EOF
expect 1 q init <<EOF
scanner-export: q already holds a queue
EOF
expect 0 q status < /dev/null
expect 0 q add c1 c2 c3 <<EOF
case c1: READY_TO_EXPORT
case c2: READY_TO_EXPORT
case c3: READY_TO_EXPORT
EOF
cp q/queue q/queue.before
expect 2 q add c4 'c/5' <<EOF
scanner-export: not a case id (1 to 32 of A-Z a-z 0-9 _ -): c/5
$USAGE
EOF
expect 1 q add c4 c2 <<EOF
scanner-export: case c2 is already in the queue
EOF
expect 1 q add c4 c4 <<EOF
scanner-export: case c4 is already in the queue
EOF
unchanged q/queue
expect 0 q status <<EOF
case c1: READY_TO_EXPORT, lab: no
case c2: READY_TO_EXPORT, lab: no
case c3: READY_TO_EXPORT, lab: no
EOF
expect 0 q run <<EOF
case c1: READY_TO_EXPORT -> IN_UPLOAD_QUEUE
case c2: READY_TO_EXPORT -> IN_UPLOAD_QUEUE
case c3: READY_TO_EXPORT -> IN_UPLOAD_QUEUE
case c1: IN_UPLOAD_QUEUE -> UPLOADING
case c1: the lab has it
case c1: UPLOADING -> EXPORTED
case c2: IN_UPLOAD_QUEUE -> UPLOADING
case c2: the lab has it
case c2: UPLOADING -> EXPORTED
case c3: IN_UPLOAD_QUEUE -> UPLOADING
case c3: the lab has it
case c3: UPLOADING -> EXPORTED
EOF
expect 0 q run < /dev/null
expect 0 q history c2 <<EOF
1 NEW --start_scan--> SCANNING
2 SCANNING --scans_completed--> ALIGNMENT
3 ALIGNMENT --alignment_done--> IN_REVIEW
4 IN_REVIEW --review_done--> READY_TO_EXPORT
5 READY_TO_EXPORT --send_to_lab--> IN_UPLOAD_QUEUE
6 IN_UPLOAD_QUEUE --upload_started--> UPLOADING
7 UPLOADING --upload_done--> EXPORTED
EOF
expect 1 q history c9 <<EOF
scanner-export: no case c9 in the queue
EOF

# ---- killed mid-upload, restarted: crash point 11 is the 5th chunk of c4
# (after the saves of send_to_lab for c4 and c5 and of upload_started) ----
expect 0 q add c4 c5 <<EOF
case c4: READY_TO_EXPORT
case c5: READY_TO_EXPORT
EOF
expect 137 --die-after 11 q run <<EOF
case c4: READY_TO_EXPORT -> IN_UPLOAD_QUEUE
case c5: READY_TO_EXPORT -> IN_UPLOAD_QUEUE
case c4: IN_UPLOAD_QUEUE -> UPLOADING
EOF
expect 0 q status <<EOF
case c1: EXPORTED, lab: yes
case c2: EXPORTED, lab: yes
case c3: EXPORTED, lab: yes
case c4: UPLOADING, lab: no
case c5: IN_UPLOAD_QUEUE, lab: no
EOF
# ... and killed again once the lab has c4 (crash point 13: the restore's
# save, upload_started's, 8 chunks, the lab's accept), before the queue
# says EXPORTED
expect 137 --die-after 13 q run <<EOF
case c4: UPLOADING -> IN_UPLOAD_QUEUE (restart), retrying upload
case c4: IN_UPLOAD_QUEUE -> UPLOADING
EOF
expect 0 q status <<EOF
case c1: EXPORTED, lab: yes
case c2: EXPORTED, lab: yes
case c3: EXPORTED, lab: yes
case c4: UPLOADING, lab: yes
case c5: IN_UPLOAD_QUEUE, lab: no
EOF
expect 0 q run <<EOF
case c4: UPLOADING -> IN_UPLOAD_QUEUE (restart), retrying upload
case c4: IN_UPLOAD_QUEUE -> UPLOADING
case c4: the lab had it already, from an upload the scanner did not live to record
case c4: UPLOADING -> EXPORTED
case c5: IN_UPLOAD_QUEUE -> UPLOADING
case c5: the lab has it
case c5: UPLOADING -> EXPORTED
EOF
expect 0 q history c4 <<EOF
1 NEW --start_scan--> SCANNING
2 SCANNING --scans_completed--> ALIGNMENT
3 ALIGNMENT --alignment_done--> IN_REVIEW
4 IN_REVIEW --review_done--> READY_TO_EXPORT
5 READY_TO_EXPORT --send_to_lab--> IN_UPLOAD_QUEUE
6 IN_UPLOAD_QUEUE --upload_started--> UPLOADING
7 UPLOADING --dosm.restart--> IN_UPLOAD_QUEUE
8 IN_UPLOAD_QUEUE --upload_started--> UPLOADING
9 UPLOADING --dosm.restart--> IN_UPLOAD_QUEUE
10 IN_UPLOAD_QUEUE --upload_started--> UPLOADING
11 UPLOADING --upload_done--> EXPORTED
EOF
check_done q c1 c2 c3 c4 c5

# ---- damaged queue files: a clear error, and the file stays as it was ----
good=$(cat q/queue)
# damaged TEXT: q/queue holds TEXT (printf format) for the next expects.
damaged() {
  printf "$1" > q/queue
  cp q/queue q/queue.before
}
# sealed LINE...: a queue of these lines under a correct 'end' line, to
# reach the checks behind the checksum.
sealed() {
  printf '%s\n' "$@" > q/queue
  printf 'end %s %s\n' $(($# - 1)) "$(cksum < q/queue | cut -d' ' -f1)" >> q/queue
  cp q/queue q/queue.before
}
c1=$(sed -n 2p q/queue)
c2=$(sed -n 3p q/queue)
H='scanner-export queue 1'

printf '%s' "$good" | head -c 100 > q/queue; cp q/queue q/queue.before
expect 1 q status <<EOF
scanner-export: q/queue:2: the last line is cut short: the file is truncated
EOF
expect 1 q run <<EOF
scanner-export: q/queue:2: the last line is cut short: the file is truncated
EOF
unchanged q/queue
printf '%s\n' "$good" | head -n 3 > q/queue; cp q/queue q/queue.before
expect 1 q run <<EOF
scanner-export: q/queue:3: the file does not end with its 'end' line: it is truncated
EOF
unchanged q/queue
damaged ''
expect 1 q add c6 <<EOF
scanner-export: q/queue:1: the last line is cut short: the file is truncated
EOF
unchanged q/queue
printf '%s\n' "$good" | sed '3s/^c2 /c7 /' > q/queue; cp q/queue q/queue.before
expect 1 q run <<EOF
scanner-export: q/queue:7: the checksum does not match the lines above it: the file is corrupted
EOF
unchanged q/queue
printf '%s\n' "$good" | sed '4s/^c3 /c\x013 /' > q/queue; cp q/queue q/queue.before
expect 1 q status <<EOF
scanner-export: q/queue:4: byte 1 is not text: the file is corrupted
EOF
unchanged q/queue
sealed 'scanner-export queue 2' "$c1"
expect 1 q run <<EOF
scanner-export: q/queue:1: not a scanner-export queue (version 1)
EOF
unchanged q/queue
sealed "$H" "$c1" "$c2"
sed -i 's/^end 2 /end 3 /' q/queue; cp q/queue q/queue.before
expect 1 q run <<EOF
scanner-export: q/queue:4: the 'end' line counts 3 cases, the file holds 2
EOF
unchanged q/queue
sealed "$H" "$c1" "$c1"
expect 1 q run <<EOF
scanner-export: q/queue:3: case c1 appears twice
EOF
sealed "$H" "c/1 ${c1#c1 }"
expect 1 q run <<EOF
scanner-export: q/queue:2: 'c/1' is not a case id
EOF
rev=$(echo "$c1" | sed -n 's/.*vivo@\([0-9]*\)\..*/\1/p')
sealed "$H" "$(echo "$c1" | sed "s/vivo@$rev\.[0-9a-f]*:/vivo@$rev.00000000:/")"
expect 1 q run <<EOF
scanner-export: q/queue:2: case c1: the snapshot is of revision $rev of vivo, but that revision had other content (edited without a new revision?)
EOF
sealed "$H" "$(echo "$c1" | sed 's/:EXPORTED</:CLOSED</')"
expect 1 q run <<EOF
scanner-export: q/queue:2: case c1: its history leads to EXPORTED#7, its snapshot says CLOSED#7
EOF
sealed "$H" "$(echo "$c1" | sed 's/ alignment_done>IN_REVIEW/ alignment_done>in_review/')"
expect 1 q run <<EOF
scanner-export: q/queue:2: case c1: 'alignment_done>in_review' is not a step EVENT>STATE of workflow vivo
EOF
sealed "$H" "$(echo "$c1" | sed 's/ alignment_done>IN_REVIEW/ frob>IN_REVIEW/')"
expect 1 q run <<EOF
scanner-export: q/queue:2: case c1: 'frob>IN_REVIEW' is not a step EVENT>STATE of workflow vivo
EOF
sealed "$H" "$(echo "$c1" | sed 's/ alignment_done>IN_REVIEW/ alignment_done>IN_REVIEW  /')"
expect 1 q run <<EOF
scanner-export: q/queue:2: case c1: '' is not a step EVENT>STATE of workflow vivo
EOF
sealed "$H" "$(echo "$c1" | sed 's/ alignment_done>IN_REVIEW//')"
expect 1 q run <<EOF
scanner-export: q/queue:2: case c1: record seq 3 (ALIGNMENT --review_done--> READY_TO_EXPORT) is not a transition of the workflow
EOF
sealed "$H" "$(echo "$c1" | sed 's/ upload_done>EXPORTED//')"
expect 1 q status <<EOF
scanner-export: q/queue:2: case c1: its history leads to UPLOADING#6, its snapshot says EXPORTED#7
EOF
unchanged q/queue
rm q/queue
expect 1 q run <<EOF
scanner-export: cannot read q/queue: No such file or directory
EOF
[ -e q/queue ] && fail "run without a queue created one"

# ---- the disk or the lab fails: the command stops, the queue stays whole ----
rm -rf q && "$BIN" q init > /dev/null && "$BIN" q add c1 c2 > /dev/null
cp q/queue q/queue.before
mkdir q/queue.tmp  # where the next queue is written
expect 1 q run <<EOF
scanner-export: cannot save the queue: q/queue.tmp: Is a directory
EOF
unchanged q/queue
rmdir q/queue.tmp
mkdir q/lab/c1.part  # where c1 is uploaded to
expect 1 q run <<EOF
case c1: READY_TO_EXPORT -> IN_UPLOAD_QUEUE
case c2: READY_TO_EXPORT -> IN_UPLOAD_QUEUE
case c1: IN_UPLOAD_QUEUE -> UPLOADING
scanner-export: case c1: the upload to q/lab failed: Is a directory
EOF
rmdir q/lab/c1.part
expect 0 q run <<EOF
case c1: UPLOADING -> IN_UPLOAD_QUEUE (restart), retrying upload
case c1: IN_UPLOAD_QUEUE -> UPLOADING
case c1: the lab has it
case c1: UPLOADING -> EXPORTED
case c2: IN_UPLOAD_QUEUE -> UPLOADING
case c2: the lab has it
case c2: UPLOADING -> EXPORTED
EOF
check_done q c1 c2

# ---- one writer at a time; readers go on ----
rm -rf q && "$BIN" q init > /dev/null && "$BIN" q add c1 > /dev/null
: > slow.out
"$BIN" --chunk-delay 1000 q run > slow.out 2>&1 &
slow=$!
tries=0
until grep -q UPLOADING slow.out || [ $tries = 200 ]; do
  sleep 0.05
  tries=$((tries + 1))
done
expect 1 q add c2 <<EOF
scanner-export: q is in use by another scanner-export
EOF
expect 0 q status <<EOF
case c1: UPLOADING, lab: no
EOF
kill -KILL $slow
wait $slow 2> /dev/null
expect 0 q run <<EOF
case c1: UPLOADING -> IN_UPLOAD_QUEUE (restart), retrying upload
case c1: IN_UPLOAD_QUEUE -> UPLOADING
case c1: the lab has it
case c1: UPLOADING -> EXPORTED
EOF
check_done q c1

echo "$failures failures"
[ $failures = 0 ]
