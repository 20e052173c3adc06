#!/bin/sh
# lost_race.sh PROGRAM KIND ARGS...: runs the lost-race check on a fresh
# database (ARGS as fresh-db.sh takes them).
set -eu
program=$1
shift
db=$(sh "$(dirname "$0")/fresh-db.sh" "$@")
exec "$program" "$db"
