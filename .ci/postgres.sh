#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a free loopback port and prints its DATABASE_URL.
# Usage: source .ci/postgres.sh; start_postgres (sets PG_CI_URL); ...; stop_postgres
# PostgreSQL refuses to run as root, so the cluster belongs to an unprivileged user.

find_pg_bin() {
  if command -v postgres >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v postgres)"; return 0
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -n "$dir" ] && [ -x "$dir/postgres" ]; then echo "$dir"; return 0; fi
  return 1
}

ensure_postgres_installed() {
  if find_pg_bin >/dev/null; then return 0; fi
  echo "ci: installing Debian's postgresql" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  # The Debian package starts a cluster of its own on 5432; we do not use it.
  $sudo service postgresql stop >/dev/null 2>&1 || true
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start_postgres() {
  ensure_postgres_installed
  local bin; bin=$(find_pg_bin)
  PG_CI_USER=$(id -un)
  local run_as=()
  if [ "$(id -u)" -eq 0 ]; then
    PG_CI_USER=crmci
    id -u "$PG_CI_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_CI_USER"
    run_as=(runuser -u "$PG_CI_USER" --)
  fi
  PG_CI_DIR=$(mktemp -d /tmp/crm-pg.XXXXXX)
  chmod 755 "$PG_CI_DIR"
  chown "$PG_CI_USER" "$PG_CI_DIR" 2>/dev/null || true
  PG_CI_PORT=$(free_port)
  "${run_as[@]}" "$bin/initdb" -D "$PG_CI_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 \
    || "${run_as[@]}" "$bin/initdb" -D "$PG_CI_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_CI_DIR/data" -l "$PG_CI_DIR/log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_CI_PORT -k $PG_CI_DIR -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  PG_CI_BIN=$bin
  export PG_CI_DIR PG_CI_PORT PG_CI_BIN PG_CI_USER
  PG_CI_URL="postgres://postgres@127.0.0.1:$PG_CI_PORT/postgres"
  export PG_CI_URL
}

stop_postgres() {
  [ -n "${PG_CI_DIR:-}" ] || return 0
  local run_as=()
  [ "$(id -u)" -eq 0 ] && run_as=(runuser -u "$PG_CI_USER" --)
  "${run_as[@]}" "$PG_CI_BIN/pg_ctl" -D "$PG_CI_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_CI_DIR"
}
