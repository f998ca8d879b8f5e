# shellcheck shell=bash
# Redis for BullMQ: AOF on, noeviction (BullMQ loses jobs under eviction).

REDIS_DIR="$SERVERS_DIR/redis"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_PID_FILE="$REDIS_DIR/redis.pid"

redis_log_file() { printf '%s' "$LOG_DIR/redis.log"; }

redis_pid() {
  local pid; pid="$(read_pid_file "$REDIS_PID_FILE")"
  if is_pid_of "$pid" redis-server; then printf '%s' "$pid"; fi
}

redis_write_config() {
  mkdir -p "$REDIS_DIR" "$LOG_DIR"
  write_if_changed "$REDIS_CONF" <<CONF
bind 127.0.0.1
port $REDIS_PORT
protected-mode yes
daemonize yes
pidfile $REDIS_PID_FILE
logfile $(redis_log_file)
dir $REDIS_DIR
appendonly yes
appendfsync everysec
maxmemory-policy noeviction
save ""
CONF
}

redis_is_ready() {
  [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ]
}

redis_start() {
  if [ -n "$(redis_pid)" ]; then
    redis_is_ready || wait_until "$START_DEADLINE_S" redis_is_ready \
      || fail_start redis "running (pid $(redis_pid)) but not answering PING on port $REDIS_PORT"
    return 0
  fi
  ensure_port_free redis "$REDIS_PORT"
  redis_write_config
  redis-server "$REDIS_CONF" >>"$(redis_log_file)" 2>&1 </dev/null 9>&- \
    || fail_start redis "redis-server exited with an error"
  wait_until "$START_DEADLINE_S" redis_is_ready \
    || fail_start redis "not answering PING on 127.0.0.1:$REDIS_PORT within ${START_DEADLINE_S}s"
  log "redis: ready on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
  local pid; pid="$(redis_pid)"
  [ -n "$pid" ] || { rm -f "$REDIS_PID_FILE"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  wait_pids_gone redis "$pid"
  rm -f "$REDIS_PID_FILE"
  log "redis: stopped"
}
