#!/usr/bin/env bash
# Makes sure the binaries behind the test servers are installed.
# As root: installs what is missing with apt (one update first). Otherwise:
# prints the apt command to run and exits 1. A fast no-op when all is there.
# usage: scripts/servers/install.sh [--no-browser]
set -euo pipefail

PG_BIN="${INTAKE_PG_BIN:-/usr/lib/postgresql/15/bin}"
want_browser=1
for arg in "$@"; do
  case "$arg" in
    --no-browser) want_browser=0 ;;
    -h|--help) echo "usage: $0 [--no-browser]"; exit 0 ;;
    *) echo "[servers] error: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

missing=()
need() { # need PACKAGE TEST...
  local package="$1"; shift
  "$@" >/dev/null 2>&1 || missing+=("$package")
}
has_cmd() { command -v "$1"; }

need redis-server  has_cmd redis-server
need redis-tools   has_cmd redis-cli
need dovecot-imapd test -x /usr/lib/dovecot/imap
need dovecot-lmtpd test -x /usr/lib/dovecot/lmtp
need postfix       has_cmd postfix
need postgresql-15 test -x "$PG_BIN/initdb" -a -x "$PG_BIN/pg_ctl" -a -x "$PG_BIN/postgres"
need postgresql-client-15 test -x "$PG_BIN/psql" -a -x "$PG_BIN/pg_isready"
need poppler-utils has_cmd pdftoppm
need procps        has_cmd pgrep
# a CJK font: the fixture generator writes Chinese text PDFs, the browser tests render Chinese pages
need fonts-wqy-microhei test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
if [ "$want_browser" = 1 ]; then need chromium has_cmd chromium; fi

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  {
    echo "[servers] missing packages: ${missing[*]}"
    echo "[servers] install them as root with:"
    echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
  } >&2
  exit 1
fi

echo "[servers] installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Postfix must not configure a system mail server: we run a private instance.
if printf '%s\n' "${missing[@]}" | grep -qx postfix; then
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
fi
apt-get -o DPkg::Lock::Timeout=600 update -q >&2
apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >&2
echo "[servers] installed: ${missing[*]}" >&2
