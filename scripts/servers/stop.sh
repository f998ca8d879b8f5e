#!/usr/bin/env bash
# Stops the test servers and waits until none of their processes is left.
# Idempotent: stopping a server that is not running does nothing.
# usage: scripts/servers/stop.sh [--only redis,imap,smtp,pg]
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

parse_args "$@"
take_lock
for name in "${SELECTED[@]}"; do server_stop "$name"; done
