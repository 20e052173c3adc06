#!/bin/sh
# Empties a database for a labdesk test and prints its address:
#   fresh-db.sh sqlite FILE
#   fresh-db.sh postgresql STATE_DIR PG_BIN DBNAME   (the pg.sh server)
set -eu
if [ "$1" = sqlite ]; then
  rm -f "$2" "$2-wal" "$2-shm"
  echo "$2"
else
  server=$(cat "$2/url")
  PGOPTIONS="-c client_min_messages=warning" \
    "$3/psql" -q -v ON_ERROR_STOP=1 "$server/postgres" -c "DROP DATABASE IF EXISTS \"$4\"" -c "CREATE DATABASE \"$4\""
  echo "$server/$4"
fi
