#!/usr/bin/env bash
# The demo: on a fresh machine of our kind, install what is missing, start a
# private Dovecot + Postfix, fill a demo mailbox with realistic submissions
# from the fixture generator, and run `intake start` on its embedded defaults
# (PGlite register, private redis-server under DATA_DIR). Ctrl-C stops all of it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

[ -d node_modules ] || npm ci --no-audit --no-fund
npx turbo run build --output-logs=errors-only
bash scripts/servers/install.sh --no-browser
# under a lease of this shell: on exit only servers this demo started are stopped
bash scripts/servers/start.sh --only imap,smtp --lease-pid $$
# shellcheck disable=SC1091
source .servers/env

export DATA_DIR="${DATA_DIR:-$ROOT/data/demo}"
DESK=intake@desk.test
export IMAP_URL="imap://$(node -p 'encodeURIComponent(process.argv[1])' "$DESK"):$(node -p 'encodeURIComponent(process.argv[1])' "$TEST_MAIL_PASSWORD")@127.0.0.1:${TEST_IMAP_PORT}/INBOX"
export SMTP_URL="smtp://127.0.0.1:${TEST_SMTP_PORT}"
export ACK_FROM="$DESK"
export DASHBOARD_PORT="${DASHBOARD_PORT:-3000}"
unset DATABASE_URL REDIS_URL

node scripts/demo-seed.mjs "$DESK" "$TEST_MAIL_PASSWORD" "$TEST_IMAP_PORT"
DEMO_PASSWORD="${DEMO_PASSWORD:-$(node -e 'process.stdout.write(require("crypto").randomBytes(6).toString("base64url"))')}"
node services/cli/bin/intake.js user add demo --role admin --password "$DEMO_PASSWORD" >/dev/null

cleanup() {
  trap - INT TERM EXIT
  [ -n "${INTAKE_PID:-}" ] && kill -TERM "$INTAKE_PID" 2>/dev/null && wait "$INTAKE_PID" 2>/dev/null || true
  bash scripts/servers/stop.sh --release-pid $$ || true
}
trap cleanup INT TERM EXIT

mkdir -p "$DATA_DIR"
node services/cli/bin/intake.js start >>"$DATA_DIR/intake.log" 2>&1 &
INTAKE_PID=$!
cat <<MSG

  申报受理台 demo is running.
  Dashboard:   http://127.0.0.1:${DASHBOARD_PORT}/    login: demo / ${DEMO_PASSWORD}
  Mailbox:     ${DESK} on 127.0.0.1:${TEST_IMAP_PORT} (IMAP), replies via 127.0.0.1:${TEST_SMTP_PORT} (SMTP)
  Offices' mailboxes (to read the replies): any address, password ${TEST_MAIL_PASSWORD}
  Register:    DATA_DIR=${DATA_DIR}   (logs: ${DATA_DIR}/intake.log)
  Ctrl-C stops everything this script started.

MSG
wait "$INTAKE_PID"
