#!/usr/bin/env bash
# Runs a command with KAFKA_BROKERS pointing at a working broker:
#   with-broker.sh <command> [args...]
# Reuses the broker in KAFKA_BROKERS (or one left running by start.sh) when there is
# one, so nested calls share a broker; otherwise starts a throwaway broker and stops
# it when the command ends, whatever way it ends. Exits with the command's status.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ $# -eq 0 ]]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

# Someone else's broker: the caller also brings its token signing key (KAFKA_TOKEN_SIGNING_KEY_FILE).
if [[ -n "${KAFKA_BROKERS:-}" && -n "${KAFKA_TOKEN_SIGNING_KEY_FILE:-}" ]]; then
  tcp_open "${KAFKA_BROKERS%%,*}" && exec "$@"
  log "KAFKA_BROKERS=$KAFKA_BROKERS does not answer; using a local broker instead"
fi
# Started by someone's start.sh: use it, but it is not ours to stop.
if broker_pid >/dev/null; then
  export_broker_env
  exec "$@"
fi

trap '"$KAFKA_HOME_DIR/stop.sh"' EXIT
# Turn signals into a normal exit so the EXIT trap runs and the exit code says why.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

"$KAFKA_HOME_DIR/start.sh"
export_broker_env
status=0
"$@" || status=$?
exit "$status"
