#!/bin/sh
# Starts or stops the scratch PostgreSQL server of the labdesk tests:
#   pg.sh start|stop STATE_DIR PG_BIN
# The server listens on 127.0.0.1 on a port of its own, keeps its data in
# a fresh temporary directory and trusts local connections as user
# labdesk. STATE_DIR/url then holds the URL of its "postgres" database.
# As root the server runs as the postgres user (it refuses root). Its data
# is scratch, so it does not wait for the disk (fsync=off).
set -eu
action=$1 state=$2 bin=$3
as=
if [ "$(id -u)" = 0 ]; then
  as="runuser -u postgres --"
fi

stop() {
  [ -f "$state/data" ] || return 0
  data=$(cat "$state/data")
  if [ -f "$data/db/postmaster.pid" ]; then
    $as "$bin/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null
  fi
  rm -rf "$data" "$state/data" "$state/url"
}

case $action in
start)
  mkdir -p "$state"
  stop
  data=$(mktemp -d "${TMPDIR:-/tmp}/labdesk-pg.XXXXXX")
  echo "$data" > "$state/data"
  [ -z "$as" ] || chown postgres "$data"
  if ! $as "$bin/initdb" -D "$data/db" -U labdesk --auth=trust --locale=C \
      -E UTF8 >"$data/initdb.log" 2>&1; then
    cat "$data/initdb.log"
    exit 1
  fi
  # A port derived from our pid; another one if it is taken.
  try=0
  while :; do
    port=$(( 20000 + ($$ * 7 + try * 7919) % 40000 ))
    if $as "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -s \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$data -c fsync=off" \
        start; then
      break
    fi
    try=$((try + 1))
    if [ $try = 5 ]; then
      cat "$data/server.log"
      exit 1
    fi
  done
  echo "postgresql://labdesk@127.0.0.1:$port" > "$state/url"
  ;;
stop)
  stop
  ;;
*)
  echo "usage: pg.sh start|stop STATE_DIR PG_BIN" >&2
  exit 2
  ;;
esac
