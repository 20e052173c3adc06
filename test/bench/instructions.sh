#!/bin/sh
# Instruction counts of the benchmark's operations, and their ratios to the
# baselines measured the same way (the hand-written switch, libyaml's own
# parse, 10 states): callgrind counts only op_run, so making the inputs is
# not counted, and the counts do not move with the machine's load.
#   test/bench/instructions.sh [BENCH [STEPS]]
# BENCH defaults to build-rel/test/bench/dosm_bench (a Release build),
# STEPS (fires, records or snapshot pairs per operation) to 200000.
set -eu
bench=${1:-build-rel/test/bench/dosm_bench}
steps=${2:-200000}
command -v valgrind >/dev/null || { echo "instructions.sh: needs valgrind" >&2; exit 1; }
[ -x "$bench" ] || { echo "instructions.sh: no benchmark at $bench" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# per operation: instructions per unit
for op in $("$bench" --ops); do
    count=$(valgrind --tool=callgrind --callgrind-out-file="$out/$op.cg" \
        --collect-atstart=no --toggle-collect='op_run*' \
        "$bench" --op "$op" --steps "$steps" 2>/dev/null | awk '{print $2}')
    total=$(awk '/^(summary|totals):/ {print $2; exit}' "$out/$op.cg")
    echo "$op $count $total"
done >"$out/counts"

awk '
{ per[$1] = $3 / $2; order[n++] = $1 }
function r(a, b) { return (a in per && b in per && per[b] > 0) ? sprintf("%.2f", per[a] / per[b]) : "-" }
END {
    printf "%-16s %14s\n", "operation", "instructions"
    for (i = 0; i < n; i++) printf "%-16s %14.1f\n", order[i], per[order[i]]
    print ""
    print "fire by index / switch (iTero)         " r("index", "switch")
    print "fire by index, no outcome / outcome    " r("index-null", "index")
    print "fire by name / by index (iTero)        " r("name", "index")
    print "fire by index, 10,000 / 10 states      " r("index-10000", "index-10")
    print "fire by name, 10,000 / 10 states       " r("name-10000", "name-10")
    if ("vivo-prepared" in per)
        print "Vivo prepared / switch parsing text    " r("vivo-prepared", "vivo-switch")
    if ("prepared" in per)
        print "fire by index, prepared / switch       " r("prepared", "switch")
    print "lookup, 1,000 / 10 states              " r("lookup-1000", "lookup-10")
    print "lookup, 10,000 / 10 states             " r("lookup-10000", "lookup-10")
    split("10 100 1000 10000 itero", sizes, " ")
    for (k = 1; k <= 5; k++)
        print "load / libyaml, " sprintf("%-23s", sizes[k]) r("load-" sizes[k], "libyaml-" sizes[k])
}' "$out/counts"
