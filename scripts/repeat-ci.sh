#!/usr/bin/env bash
# The flake check of issue 13.6: `.ci/run` on N fresh clones of one commit (HEAD when it starts) in a row, each with its own
# servers and ports, stopping at the first failure (its log is kept). --busy runs one busy loop per
# core beside every run, as a loaded CI machine would. Prints one line per run and exits 1 on a failure.
#
#   bash scripts/repeat-ci.sh [-n N] [--busy] [--out DIR]
set -euo pipefail
runs=10 busy=0 out="${TMPDIR:-/tmp}/intake-repeat-ci"
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    --busy) busy=1; shift ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: $0 [-n N] [--busy] [--out DIR]" >&2; exit 2 ;;
  esac
done
repo="$(cd "$(dirname "$0")/.." && pwd)"
# pinned once, so commits made while the runs go on do not change what the later runs test
pinned=$(git -C "$repo" rev-parse HEAD)
mkdir -p "$out"
loops=()
stop_loops() { [ ${#loops[@]} -eq 0 ] || kill "${loops[@]}" 2>/dev/null || true; loops=(); }
trap stop_loops EXIT
# a port block of its own, away from the defaults and from a checkout's own `npm test`
export INTAKE_REDIS_PORT=59279 INTAKE_IMAP_PORT=59243 INTAKE_LMTP_PORT=59224 INTAKE_SMTP_PORT=59225 INTAKE_PG_PORT=59232
for i in $(seq 1 "$runs"); do
  clone="$out/clone-$i"
  rm -rf "$clone"
  git clone -q "$repo" "$clone"
  git -C "$clone" checkout -q --detach "$pinned"
  commit=$(git -C "$clone" rev-parse --short HEAD)
  if [ "$busy" = 1 ]; then for _ in $(seq 1 "$(nproc)"); do yes >/dev/null & loops+=($!); done; fi
  start=$(date +%s)
  rc=0
  (cd "$clone" && INTAKE_SERVERS_DIR="$clone/.servers" bash .ci/run) >"$out/run-$i.log" 2>&1 || rc=$?
  stop_loops
  closing=$(grep -aE '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$out/run-$i.log" | tail -1 || true)
  echo "run $i/$runs commit $commit$([ "$busy" = 1 ] && echo ' busy') rc=$rc $(($(date +%s) - start)) s: ${closing:-no closing line}"
  (cd "$clone" && INTAKE_SERVERS_DIR="$clone/.servers" bash scripts/servers/stop.sh >/dev/null 2>&1) || true
  rm -rf "$clone"
  if [ "$rc" != 0 ]; then echo "run $i failed: $out/run-$i.log" >&2; exit 1; fi
done
