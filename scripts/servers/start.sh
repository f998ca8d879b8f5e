#!/usr/bin/env bash
# Starts the test servers on private loopback ports and writes <dir>/env.
# Idempotent: a server that is already running is left as it is.
# usage: scripts/servers/start.sh [--only redis,imap,smtp,pg] [--lease-pid PID]
#   --lease-pid PID  register a lease for process PID (a test run): servers
#                    started now are stopped by `stop.sh --release-pid` once
#                    the last live lease is released
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

parse_args "$@"
take_lock
for name in "${SELECTED[@]}"; do
  if [ -n "$LEASE_PID" ] && ! is_server_running "$name"; then
    server_start "$name"
    add_owned "$name"
  else
    server_start "$name"
  fi
done
write_env_file
if [ -n "$LEASE_PID" ]; then
  prune_leases
  echo "$LEASE_PID" >"$LEASE_DIR/pid-$LEASE_PID"
fi
log "env written to $SERVERS_DIR/env"
