#!/usr/bin/env bash
# Stops the broker started by start.sh and deletes its data. Safe to run twice.
#   stop.sh --keep-data   stops it and keeps its data: the next start.sh starts it again on it.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if pid="$(broker_pid)"; then
  kill -TERM "$pid" 2>/dev/null || true
  # A clean shutdown takes a few seconds; don't let a stuck one block the caller.
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker $pid did not stop within 20 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  log "broker stopped (pid $pid)"
else
  log "no broker running"
fi

if [[ "${1:-}" == --keep-data ]]; then
  rm -f "$PID_FILE"
  exit 0
fi

data_dir="$(cat "$DATA_FILE" 2>/dev/null || true)"
# Only ever delete a directory start.sh created.
if [[ "$(basename "${data_dir:-/}")" == crescent-kafka.* && -d "$data_dir" ]]; then
  rm -rf "$data_dir"
fi
rm -f "$PID_FILE" "$DATA_FILE" "$ADDRESS_FILE" "$KEY_ID_FILE"
