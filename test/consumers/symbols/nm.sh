#!/bin/sh
# Every global that libdosm.a defines starts with dosm_: public names with
# dosm_, internal ones with dosm__ (a check on dosm_ covers both), so a host
# linking the static library can name its own functions anything else.
set -eu
archive=$1 nm=${2:-nm}
"$nm" -g --defined-only "$archive" >/dev/null  # fails loudly if nm cannot read it
bad=$("$nm" -g --defined-only --format=posix "$archive" \
      | awk 'NF >= 2 && $1 !~ /:$/ && $2 ~ /^[A-Z]$/ { print $1 }' \
      | grep -v '^dosm_' | sort -u || true)
count=$("$nm" -g --defined-only --format=posix "$archive" \
        | awk 'NF >= 2 && $1 !~ /:$/ && $2 ~ /^[A-Z]$/' | wc -l)
[ "$count" -gt 50 ] || { echo "only $count globals in $archive: nm read it wrong"; exit 1; }
[ -z "$bad" ] || { echo "libdosm.a defines globals without the dosm_ prefix:"; echo "$bad"; exit 1; }
echo "$count globals in libdosm.a, every one dosm_*"
