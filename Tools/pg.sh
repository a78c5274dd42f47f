#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests. Tools/test.sh starts it, exports its URL base as
# SMCC_TEST_POSTGRES (the Swift tests and pytest make their logs in it; unset, they skip) and stops
# it at exit, whatever the outcome.
#
#   bash Tools/pg.sh start   start a cluster (or reuse the one an earlier start left running) and
#                            print its URL base: postgresql://USER@127.0.0.1:PORT/smcc_test
#   bash Tools/pg.sh url     print the URL base of the running cluster (exit 1 when none runs)
#   bash Tools/pg.sh stop    stop the cluster and remove its directory (nothing to stop is fine)
#
# Debian's PostgreSQL (package `postgresql`, installed by Tools/bootstrap.sh): the newest
# /usr/lib/postgresql/*/bin, or SMCC_PG_BIN. The cluster lives in
# ${TMPDIR:-/tmp}/smcc-pg-UID-KEY, KEY a checksum of this checkout's path, so that two worktrees
# running their tests at once get two clusters (SMCC_PG_DIR overrides it). It listens on
# 127.0.0.1 only, on the first free port from 55432 (SMCC_PG_PORT), with its Unix socket in that
# directory and `trust` authentication (loopback only, so only this machine's users reach it).
# fsync and synchronous_commit stay on: commits on it are as durable as on a real server, because
# the store's durable commits are measured on it.
#
# PostgreSQL refuses to run as root: as root, the directory belongs to the `postgres` user that the
# Debian package creates, initdb and the server run as that user, and the URL's user is `postgres`;
# otherwise everything runs as the caller, who is the URL's user.
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/.." && pwd -P)
key=$(printf '%s' "$repo" | cksum | cut -d' ' -f1)
dir=${SMCC_PG_DIR:-${TMPDIR:-/tmp}/smcc-pg-$(id -u)-$key}
data=$dir/data
marker=$dir/.smcc-pg  # a directory without it is not ours: never reused, never removed
database=smcc_test

bin=${SMCC_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
need_bin() {
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ] || [ ! -x "$bin/psql" ]; then
    die "PostgreSQL is not installed (no initdb, pg_ctl and psql in ${bin:-/usr/lib/postgresql/*/bin}): run Tools/bootstrap.sh, or apt-get install postgresql"
  fi
}

if [ "$(id -u)" -eq 0 ]; then
  user=postgres
  as_owner() {
    # From /: the postgres user may not enter the caller's directory (initdb warns, pg_ctl fails).
    if command -v runuser >/dev/null 2>&1; then
      (cd / && runuser -u postgres -- "$@")
    else
      (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
    fi
  }
else
  user=$(id -un)
  as_owner() { "$@"; }
fi

running() {
  [ -f "$marker" ] && [ -f "$data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# postmaster.pid's 4th line is the port the server listens on: the truth while it runs.
port_of() { sed -n 4p "$data/postmaster.pid"; }

url_of() { echo "postgresql://$user@127.0.0.1:$1/$database"; }

sql() {  # sql PORT DATABASE STATEMENT: over TCP, as the URL's user, as a test would connect
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U "$user" -d "$2" -tAc "$3"
}

ensure_database() {
  if [ "$(sql "$1" postgres "SELECT count(*) FROM pg_database WHERE datname = '$database'")" != 1 ]; then
    sql "$1" postgres "CREATE DATABASE $database" >/dev/null
  fi
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_cluster() {
  [ -d "$dir" ] || return 0
  [ -f "$marker" ] || die "$dir exists but was not made by pg.sh (no .smcc-pg in it): not touching it"
  if [ -f "$data/postmaster.pid" ]; then
    if [ ! -x "$bin/pg_ctl" ] || ! as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1; then
      # The server is ours (its pid is in our data directory): end it by that pid, never by name.
      pid=$(sed -n 1p "$data/postmaster.pid")
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
    fi
  fi
  rm -rf -- "$dir"
}

start() {
  if running; then
    port=$(port_of)
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
      ensure_database "$port"
      url_of "$port"
      return
    fi
  fi
  stop_cluster  # a cluster left half started or stopped by a reboot is made again from nothing

  mkdir -p -m 0700 "$dir"
  touch "$marker"
  [ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$dir" 2>/dev/null \
    || die "cannot give $dir to the postgres user (as root, PostgreSQL runs as the postgres user of Debian's postgresql package)"
  as_owner test -w "$dir" \
    || die "the postgres user cannot write $dir: set TMPDIR to a directory it can enter"

  if ! as_owner "$bin/initdb" -D "$data" --auth=trust --encoding=UTF8 --locale=C \
      >"$dir/initdb.log" 2>&1; then
    tail -n 5 "$dir/initdb.log" >&2
    die "initdb failed (log above, whole in $dir/initdb.log)"
  fi
  cat >>"$data/postgresql.conf" <<EOF

# Tools/pg.sh: a throwaway cluster on loopback for the tests; commits stay durable.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = on
synchronous_commit = on
EOF
  cat >"$data/pg_hba.conf" <<EOF
# Tools/pg.sh: the Unix socket in $dir (mode 0700) and loopback TCP only.
local all all trust
host  all all 127.0.0.1/32 trust
EOF

  port=${SMCC_PG_PORT:-55432}
  local last=$((port + 100))
  while :; do
    [ "$port" -le "$last" ] || die "no free port in ${SMCC_PG_PORT:-55432}-$last on 127.0.0.1"
    if port_taken "$port"; then port=$((port + 1)); continue; fi
    if as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 -o "-p $port" start >/dev/null 2>&1; then
      break
    fi
    # Taken between the check and the bind (another cluster starting): try the next port.
    if grep -q -e 'could not bind' -e 'Address already in use' "$dir/server.log" 2>/dev/null; then
      : >"$dir/server.log"
      port=$((port + 1))
      continue
    fi
    tail -n 5 "$dir/server.log" >&2 2>/dev/null || true
    stop_cluster
    die "the server did not start (its log is above)"
  done
  ensure_database "$port"
  url_of "$port"
}

case "${1:-}" in
  start) need_bin; start ;;
  url)
    need_bin
    running || { echo "pg.sh: no cluster running in $dir (bash Tools/pg.sh start)" >&2; exit 1; }
    url_of "$(port_of)"
    ;;
  stop) stop_cluster ;;  # without PostgreSQL installed too: a server we started is ended by its pid
  *) echo "usage: bash Tools/pg.sh start|url|stop" >&2; exit 2 ;;
esac
