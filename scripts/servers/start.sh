#!/usr/bin/env bash
# Starts the test servers on private loopback ports and writes <dir>/env.
# Idempotent: a server that is already running is left as it is.
# usage: scripts/servers/start.sh [--only redis,imap,smtp,pg]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

parse_args "$@"
take_lock
for name in "${SELECTED[@]}"; do server_start "$name"; done
write_env_file
log "env written to $SERVERS_DIR/env"
