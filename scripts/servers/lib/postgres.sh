# shellcheck shell=bash
# PostgreSQL 15 for the register. initdb refuses root, so the cluster belongs
# to the postgres user; trust auth on loopback, socket inside the pg folder.

PG_DIR="$SHARED_DIR/pg"
PG_DATA="$PG_DIR/data"
PG_SOCKET_DIR="$PG_DIR/run"
# The server writes PG_LOG as postgres; our own commands' output goes to PG_CTL_LOG.
PG_LOG="$PG_DIR/postgres.log"
PG_CTL_LOG="$PG_DIR/pg_ctl.log"
PG_USER_OS="postgres"

pg_log_file() { printf '%s' "$PG_LOG"; }

pg_pid() {
  local pid; pid="$(read_pid_file "$PG_DATA/postmaster.pid")"
  if is_pid_of "$pid" postgres; then printf '%s' "$pid"; fi
}

pg_owner() { if is_root; then printf '%s' "$PG_USER_OS"; else id -un; fi; }

pg_init_cluster() {
  [ -x "$PG_BIN/initdb" ] || die "pg: no PostgreSQL 15 at $PG_BIN (run scripts/servers/install.sh)"
  mkdir -p "$PG_DIR"
  chmod 0755 "$SHARED_DIR"
  chown "$(pg_owner)": "$PG_DIR"
  chmod 0700 "$PG_DIR"
  run_as "$(pg_owner)" mkdir -p "$PG_SOCKET_DIR"
  [ -s "$PG_DATA/PG_VERSION" ] && return 0
  log "pg: initdb $PG_DATA"
  # --no-sync: a throw-away test cluster; losing it on a crash costs one initdb.
  run_as "$(pg_owner)" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust \
    --encoding=UTF8 --no-locale --no-sync >>"$PG_CTL_LOG" 2>&1 \
    || fail_start pg "initdb failed: $(tail -n 5 "$PG_CTL_LOG")"
  cat >>"$PG_DATA/postgresql.conf" <<CONF

# Added by scripts/servers/lib/postgres.sh for the test box.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
shared_buffers = 32MB
max_connections = 100
synchronous_commit = off
log_min_messages = warning
timezone = 'UTC'
CONF
}

pg_psql() {
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"
}

pg_is_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres; }

pg_ensure_database() {
  local exists
  exists="$(pg_psql -d postgres -tAc "select 1 from pg_database where datname = '$PG_DATABASE'")" \
    || fail_start pg "cannot query pg_database"
  [ "$exists" = 1 ] && return 0
  pg_psql -d postgres -c "create database $PG_DATABASE" >>"$PG_CTL_LOG" 2>&1 \
    || fail_start pg "create database $PG_DATABASE failed: $(tail -n 3 "$PG_CTL_LOG")"
}

pg_start() {
  local was_running; was_running="$(pg_pid)"
  if [ -z "$was_running" ]; then
    ensure_port_free pg "$PG_PORT"
    pg_init_cluster
    # pg_ctl -l sends the server's output to the log file; its own output goes
    # to a file too so the daemon never holds our caller's pipe open.
    # -p on the command line: the port written into postgresql.conf at initdb is the one of
    # that day, and a cluster made before INTAKE_PG_PORT (or its default) changed must follow it
    run_as "$(pg_owner)" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -o "-p $PG_PORT" \
      -t "$START_DEADLINE_S" start >>"$PG_CTL_LOG" 2>&1 </dev/null 9>&- \
      || fail_start pg "pg_ctl start failed: $(tail -n 3 "$PG_CTL_LOG" 2>/dev/null)"
  fi
  wait_until "$START_DEADLINE_S" pg_is_ready \
    || fail_start pg "not accepting connections on 127.0.0.1:$PG_PORT within ${START_DEADLINE_S}s"
  pg_ensure_database
  [ -n "$was_running" ] || log "pg: PostgreSQL ready on 127.0.0.1:$PG_PORT, database $PG_DATABASE"
}

pg_stop() {
  local pid pids
  pid="$(pg_pid)"
  [ -n "$pid" ] || return 0
  mapfile -t pids < <(descendant_pids "$pid")
  # fast: roll back open transactions now instead of waiting for clients.
  run_as "$(pg_owner)" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w \
    -t "$STOP_DEADLINE_S" stop >>"$PG_CTL_LOG" 2>&1 </dev/null \
    || log "pg: pg_ctl stop reported an error (see $PG_CTL_LOG)"
  wait_pids_gone pg "$pid" "${pids[@]}"
  log "pg: stopped"
}
