#!/usr/bin/env bash
# Stops the test servers and waits until none of their processes is left.
# Idempotent: stopping a server that is not running does nothing.
# usage: scripts/servers/stop.sh [--only redis,imap,smtp,pg] [--release-pid PID [--keep]]
#   --release-pid PID  release the lease of PID (see start.sh); stops only the
#                      servers test runs started, and only if no other live
#                      run holds a lease; --keep releases without stopping
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

parse_args "$@"
take_lock
if [ -z "$RELEASE_PID" ]; then
  for name in "${SELECTED[@]}"; do server_stop "$name"; remove_owned "$name"; done
  exit 0
fi

rm -f "$LEASE_DIR/pid-$RELEASE_PID"
[ "$KEEP" = 0 ] || exit 0
others="$(live_lease_count)"
if [ "$others" -gt 0 ]; then
  log "servers still leased by $others other run(s): leaving them running"
  exit 0
fi
for name in "${SELECTED[@]}"; do
  if is_owned "$name"; then server_stop "$name"; remove_owned "$name"; fi
done
