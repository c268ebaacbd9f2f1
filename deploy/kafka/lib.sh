# Shared by start.sh, stop.sh and with-broker.sh (sourced, not run).

KAFKA_HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# pom.xml is the single place the version is pinned.
KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_HOME_DIR/pom.xml")"
KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
# The broker's own link (PLAIN, broker user only); clients use KAFKA_PORT.
KAFKA_INTERNAL_PORT="${KAFKA_INTERNAL_PORT:-19094}"
# What the broker expects of a client's token; the exchange's apps sign with the same values.
KAFKA_TOKEN_ISSUER="${KAFKA_TOKEN_ISSUER:-crescent-exchange}"
KAFKA_TOKEN_AUDIENCE="${KAFKA_TOKEN_AUDIENCE:-crescent-kafka}"
KAFKA_ADMIN_PRINCIPAL="${KAFKA_ADMIN_PRINCIPAL:-crescent-admin}"
KAFKA_STATE_DIR="${KAFKA_STATE_DIR:-$KAFKA_HOME_DIR/.run}"
# Keyed by the pom's content too, so a dependency added there is resolved on the next start.
KAFKA_JARS="$KAFKA_HOME_DIR/.jars/$KAFKA_VERSION-$(cksum <"$KAFKA_HOME_DIR/pom.xml" | cut -d' ' -f1)"
PID_FILE="$KAFKA_STATE_DIR/broker.pid"
DATA_FILE="$KAFKA_STATE_DIR/broker.datadir"
ADDRESS_FILE="$KAFKA_STATE_DIR/broker.address"
KEY_ID_FILE="$KAFKA_STATE_DIR/broker.token-key-id"

log() { echo "kafka: $*" >&2; }

# PID of the broker recorded in the pid file, if that process is still our broker
# (checking the command line guards against a recycled PID).
broker_pid() {
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

# True if host:port accepts a TCP connection (bash's /dev/tcp, no netcat needed).
tcp_open() {
  local host="${1%:*}" port="${1##*:}"
  if command -v timeout >/dev/null; then
    timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$host" "$port" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
  fi
}

# Exports what a client of the running broker needs: its address and the token signing key.
export_broker_env() {
  local data_dir
  data_dir="$(cat "$DATA_FILE")"
  export KAFKA_BROKERS="$(cat "$ADDRESS_FILE")"
  export KAFKA_TOKEN_SIGNING_KEY_FILE="$data_dir/token-signing.pem"
  export KAFKA_TOKEN_KEY_ID="$(cat "$KEY_ID_FILE")"
  export KAFKA_AUTHORIZER_LOG="$data_dir/authorizer.log"
  export KAFKA_TOKEN_ISSUER KAFKA_TOKEN_AUDIENCE KAFKA_ADMIN_PRINCIPAL
  # The broker's jars, for a tool of the same release (the benchmarks' ProducerPerformance).
  export KAFKA_JARS
}
