# shellcheck shell=bash
# Shared by start.sh, stop.sh and ctl.sh: paths, ports, process and wait helpers.
# Every server module (redis.sh, dovecot.sh, postfix.sh, postgres.sh) defines,
# for its public name (redis, imap, smtp, pg): <name>_start, <name>_stop,
# <name>_pid (the main pid, or nothing) and <name>_log_file.

SERVERS_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SERVERS_LIB_DIR/../../.." && pwd)"

SERVERS_DIR="${INTAKE_SERVERS_DIR:-$REPO_DIR/.servers}"
mkdir -p "$SERVERS_DIR"
SERVERS_DIR="$(cd "$SERVERS_DIR" && pwd)"
LOG_DIR="$SERVERS_DIR/logs"

# below the kernel's ephemeral range (32768-60999): a client reconnecting to a stopped server on
# a port inside it can connect to itself and keep the server from binding again (README)
REDIS_PORT="${INTAKE_REDIS_PORT:-26379}"
IMAP_PORT="${INTAKE_IMAP_PORT:-21143}"
LMTP_PORT="${INTAKE_LMTP_PORT:-21124}"
SMTP_PORT="${INTAKE_SMTP_PORT:-21025}"
PG_PORT="${INTAKE_PG_PORT:-25432}"
MAIL_PASSWORD="${INTAKE_MAIL_PASSWORD:-intake-test-pass}"
PG_BIN="${INTAKE_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DATABASE="intake_test"

# Seconds a server gets to accept connections (or to exit) before we give up.
START_DEADLINE_S="${INTAKE_SERVERS_START_TIMEOUT:-30}"
STOP_DEADLINE_S="${INTAKE_SERVERS_STOP_TIMEOUT:-20}"

ALL_SERVERS=(redis imap smtp pg)

# A short tag derived from the servers dir: two checkouts get distinct Dovecot
# instance names and /tmp fallbacks.
INSTANCE_TAG="$(printf '%s' "$SERVERS_DIR" | cksum | cut -d' ' -f1)"

log() { printf '[servers] %s\n' "$*" >&2; }
die() { printf '[servers] error: %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# Dovecot's mail processes (nobody), Postfix (postfix) and PostgreSQL (postgres)
# must traverse the path to their files, and Unix socket paths are limited to
# ~107 bytes. A checkout under /root (mode 700) or a deep path breaks both, so
# such data then lives in a /tmp folder tied to this servers dir instead.
choose_shared_dir() {
  local candidate="$SERVERS_DIR/shared"
  if [ "${#candidate}" -le 60 ] && is_world_traversable "$SERVERS_DIR"; then
    printf '%s' "$candidate"
  else
    printf '/tmp/intake-servers-%s' "$INSTANCE_TAG"
  fi
}

is_world_traversable() {
  local path="$1"
  while [ -n "$path" ] && [ "$path" != / ]; do
    [ -n "$(find "$path" -maxdepth 0 -perm -o+x 2>/dev/null)" ] || return 1
    path="$(dirname "$path")"
  done
}

SHARED_DIR="$(choose_shared_dir)"

# Runs a command as another user when we are root; as ourselves otherwise.
run_as() {
  local user="$1"; shift
  if is_root; then runuser -u "$user" -- "$@"; else "$@"; fi
}

# A zombie counts as gone: this machine's init reaps orphans only every second
# or two, and kill -0 succeeds on a zombie.
is_pid_alive() {
  [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null || return 1
  local state
  state="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# A pid file can outlive a reboot and its pid be reused: check the program too.
is_pid_of() {
  local pid="$1" comm="$2"
  is_pid_alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]
}

# Prints the pid in a pid file, or nothing (never fails: callers use set -e).
read_pid_file() { if [ -s "$1" ]; then head -n1 "$1" | tr -dc '0-9'; fi; return 0; }

# All descendants of a pid, breadth-first, one per line (nothing if none).
descendant_pids() {
  local queue=("$1") out=() pid child
  while [ "${#queue[@]}" -gt 0 ]; do
    pid="${queue[0]}"; queue=("${queue[@]:1}")
    for child in $(pgrep -P "$pid" 2>/dev/null); do
      out+=("$child"); queue+=("$child")
    done
  done
  if [ "${#out[@]}" -gt 0 ]; then printf '%s\n' "${out[@]}"; fi
}

# Writes stdin to FILE only when the content differs: Postfix re-checks its
# whole setup (~2 s) whenever main.cf is newer than its last start.
write_if_changed() {
  local file="$1" tmp="$1.new.$$"
  cat >"$tmp"
  if cmp -s "$tmp" "$file"; then rm -f "$tmp"; else mv -f "$tmp" "$file"; fi
}

now_ms() { date +%s%3N; }

# Polls a command until it succeeds or the deadline passes.
# usage: wait_until SECONDS command args...
wait_until() {
  local seconds="$1"; shift
  local deadline=$(( $(now_ms) + seconds * 1000 ))
  until "$@"; do
    [ "$(now_ms)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

is_port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# Readiness = the server's greeting, not just an accepted connection: Dovecot's
# imap-login accepts before its auth process is ready and only greets after.
has_greeting() {
  local port="$1" prefix="$2" line
  line="$(timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port && head -n1 <&3" 2>/dev/null)" || return 1
  [[ "$line" == "$prefix"* ]]
}

all_dead() {
  local pid
  for pid in "$@"; do is_pid_alive "$pid" && return 1; done
  return 0
}

# Waits for every pid to exit, then SIGKILLs stragglers so stop never leaves
# a process behind.
wait_pids_gone() {
  local name="$1"; shift
  [ "$#" -gt 0 ] || return 0
  if ! wait_until "$STOP_DEADLINE_S" all_dead "$@"; then
    log "$name: still running after ${STOP_DEADLINE_S}s, sending SIGKILL to $*"
    kill -KILL "$@" 2>/dev/null || true
    wait_until 5 all_dead "$@" || die "$name: processes $* survive SIGKILL"
  fi
}

# Who holds a port: another checkout's servers on the default ports are the
# usual culprit, and its directory shows in the command line or working dir.
describe_port_owner() {
  local port="$1" pid
  pid="$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2)" || true
  if [ -z "$pid" ]; then printf 'an unknown process'; return 0; fi
  printf 'pid %s (%s, cwd %s)' "$pid" "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | tr -s ' ')" "$(readlink "/proc/$pid/cwd" 2>/dev/null)"
}

# Fails when a port we are about to listen on is taken by someone else.
ensure_port_free() {
  local name="$1" port="$2"
  is_port_open "$port" || return 0
  fail_start "$name" "port $port is taken by $(describe_port_owner "$port"); stop it (e.g. INTAKE_SERVERS_DIR=<its dir> scripts/servers/stop.sh) or choose other ports with INTAKE_*_PORT"
}

print_log_tail() {
  local file="$1"
  if [ -f "$file" ]; then
    printf '%s\n' "----- last lines of $file -----" >&2
    tail -n 40 "$file" >&2
    printf '%s\n' "-----" >&2
  else
    printf '%s\n' "(no log file at $file)" >&2
  fi
}

# Fails with the server's log tail: a server that cannot start is never skipped.
fail_start() {
  local name="$1" message="$2"
  log "$name: $message"
  print_log_tail "$("${name}_log_file")"
  exit 1
}

# Expands "--only a,b" into the list of server names, validating them.
parse_only() {
  local list="$1" name
  IFS=',' read -r -a SELECTED <<<"$list"
  for name in "${SELECTED[@]}"; do
    case " ${ALL_SERVERS[*]} " in
      *" $name "*) ;;
      *) die "unknown server '$name' (expected: ${ALL_SERVERS[*]})" ;;
    esac
  done
}

parse_args() {
  SELECTED=("${ALL_SERVERS[@]}")
  LEASE_PID=""
  RELEASE_PID=""
  KEEP=0
  while [ "$#" -gt 0 ]; do
    case "$1" in
      --only) [ "$#" -ge 2 ] || die "--only needs a list"; parse_only "$2"; shift 2 ;;
      --only=*) parse_only "${1#--only=}"; shift ;;
      --lease-pid) [ "$#" -ge 2 ] || die "--lease-pid needs a pid"; LEASE_PID="$2"; shift 2 ;;
      --release-pid) [ "$#" -ge 2 ] || die "--release-pid needs a pid"; RELEASE_PID="$2"; shift 2 ;;
      --keep) KEEP=1; shift ;;
      -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
      *) die "unknown argument '$1'" ;;
    esac
  done
}

# Leases let concurrent test runs share one set of servers: a run that starts
# a server records it in leases/owned; a run's release stops the owned servers
# only when no other live run holds a lease. Servers someone started by hand
# are never in leases/owned, so test runs never stop them.
LEASE_DIR="$SERVERS_DIR/leases"
OWNED_FILE="$LEASE_DIR/owned"

prune_leases() {
  local file
  mkdir -p "$LEASE_DIR"
  for file in "$LEASE_DIR"/pid-*; do
    [ -e "$file" ] || continue
    is_pid_alive "${file##*/pid-}" || rm -f "$file"
  done
}

live_lease_count() {
  prune_leases
  find "$LEASE_DIR" -maxdepth 1 -name 'pid-*' | wc -l
}

add_owned() {
  mkdir -p "$LEASE_DIR"
  grep -qx "$1" "$OWNED_FILE" 2>/dev/null || echo "$1" >>"$OWNED_FILE"
}

is_owned() { grep -qx "$1" "$OWNED_FILE" 2>/dev/null; }

remove_owned() {
  [ -f "$OWNED_FILE" ] || return 0
  grep -vx "$1" "$OWNED_FILE" >"$OWNED_FILE.tmp" || true
  mv -f "$OWNED_FILE.tmp" "$OWNED_FILE"
}

write_env_file() {
  local tmp="$SERVERS_DIR/env.tmp.$$"
  cat >"$tmp" <<ENV
REDIS_URL=redis://127.0.0.1:$REDIS_PORT
TEST_REDIS_URL=redis://127.0.0.1:$REDIS_PORT
TEST_IMAP_HOST=127.0.0.1
TEST_IMAP_PORT=$IMAP_PORT
TEST_SMTP_HOST=127.0.0.1
TEST_SMTP_PORT=$SMTP_PORT
TEST_LMTP_PORT=$LMTP_PORT
TEST_MAIL_PASSWORD=$MAIL_PASSWORD
TEST_MAIL_DIR=$MAIL_DIR
TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DATABASE
TEST_PG_PORT=$PG_PORT
INTAKE_SERVERS_DIR=$SERVERS_DIR
INTAKE_SERVERS_SHARED_DIR=$SHARED_DIR
ENV
  mv -f "$tmp" "$SERVERS_DIR/env"
}

# One start/stop at a time per servers dir (two test runs may race). Daemons
# are launched with 9>&-: one inheriting fd 9 would hold the lock forever.
take_lock() {
  exec 9>"$SERVERS_DIR/.lock"
  flock -w 120 9 || die "could not lock $SERVERS_DIR/.lock within 120s"
}

for module in redis dovecot postfix postgres; do
  # shellcheck source=/dev/null
  . "$SERVERS_LIB_DIR/$module.sh"
done
unset module

# Dispatch by the public server name (imap → dovecot, smtp → postfix).
server_start() { "${1}_start"; }
is_server_running() { [ -n "$("${1}_pid")" ]; }
server_stop() { "${1}_stop"; }

# stop_process_tree NAME PID: SIGTERM a daemon's master and wait until it and
# every process it had started are gone (Dovecot, Postfix).
stop_process_tree() {
  local name="$1" pid="$2" pids
  mapfile -t pids < <(descendant_pids "$pid")
  kill -TERM "$pid" 2>/dev/null || true
  wait_pids_gone "$name" "$pid" "${pids[@]}"
  log "$name: stopped"
}
