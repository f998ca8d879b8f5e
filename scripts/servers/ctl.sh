#!/usr/bin/env bash
# One server at a time, for fault-injection tests (stop SMTP, start it again).
# usage: scripts/servers/ctl.sh <start|stop|restart|status> <redis|imap|smtp|pg>
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

[ "$#" -eq 2 ] || die "usage: $0 <start|stop|restart|status> <$(IFS='|'; echo "${ALL_SERVERS[*]}")>"
action="$1"
parse_only "$2"
name="${SELECTED[0]}"

case "$action" in
  start) take_lock; server_start "$name"; write_env_file ;;
  stop) take_lock; server_stop "$name" ;;
  restart) take_lock; server_stop "$name"; server_start "$name"; write_env_file ;;
  status)
    pid="$("${name}_pid")"
    if [ -n "$pid" ]; then echo "$name running (pid $pid)"; else echo "$name stopped"; exit 3; fi ;;
  *) die "unknown action '$action' (expected start, stop, restart or status)" ;;
esac
