#!/usr/bin/env bash
# Starts a throwaway single-node Kafka broker (KRaft, no ZooKeeper, no Docker) on
# 127.0.0.1 for local tests. Every start gets a fresh, empty data directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v java >/dev/null || { log "java (17+) is required"; exit 1; }

if pid="$(broker_pid)"; then
  log "broker already running (pid $pid) on $(cat "$ADDRESS_FILE" 2>/dev/null) (data $(cat "$DATA_FILE" 2>/dev/null))"
  exit 0
fi
# Otherwise the readiness check below could be answered by someone else's broker.
if tcp_open "127.0.0.1:$KAFKA_PORT" || tcp_open "127.0.0.1:$KAFKA_CONTROLLER_PORT"; then
  log "port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT on 127.0.0.1 is already in use; set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
  exit 1
fi

# Jars are resolved once per Kafka version; the marker is written only after a
# complete copy, so an interrupted download is redone on the next start.
if [[ ! -f "$KAFKA_JARS/.complete" ]]; then
  command -v mvn >/dev/null || { log "mvn is required to fetch the Kafka jars once"; exit 1; }
  log "resolving Kafka $KAFKA_VERSION jars with Maven (first start only)"
  rm -rf "$KAFKA_JARS"
  if ! out="$(mvn -q -B -f "$KAFKA_HOME_DIR/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$KAFKA_JARS" 2>&1)"; then
    printf '%s\n' "$out" | sed -E 's#[a-z]+://[^ )]+#<repository>#g' >&2
    log "could not resolve the Kafka jars"
    exit 1
  fi
  touch "$KAFKA_JARS/.complete"
fi

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/crescent-kafka.XXXXXX")"
pid=""
forget_broker() {
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE" "$DATA_FILE" "$ADDRESS_FILE"
}
fail() {
  log "$1; last log lines:"
  tail -n 30 "$DATA_DIR/server.log" "$DATA_DIR/broker.out" >&2 2>/dev/null || true
  forget_broker
  log "logs kept in $DATA_DIR"
  exit 1
}
trap 'forget_broker; rm -rf "$DATA_DIR"; log "interrupted"; exit 130' INT TERM HUP

cat >"$DATA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR/logs

# A single node can only replicate once.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1

# Tests create topics with more partitions explicitly when they need them.
auto.create.topics.enable=true
num.partitions=1
# The internal topics are created on first use; 50 partitions each (the default)
# makes the first consumer group / transaction of a test run wait for them.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1

# No 3 s wait before a new consumer group's first rebalance.
group.initial.rebalance.delay.ms=0
# Fewer threads: the same machine runs the tests.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
PROPS

cat >"$DATA_DIR/log4j.properties" <<PROPS
log4j.rootLogger=WARN, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$DATA_DIR/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
# Keeps the "Kafka Server started" / shutdown milestones in the log.
log4j.logger.kafka.server.KafkaRaftServer=INFO
PROPS

java_cmd=(java -Djava.awt.headless=true "-Dkafka.logs.dir=$DATA_DIR"
  "-Dlog4j.configuration=file:$DATA_DIR/log4j.properties" -cp "$KAFKA_JARS/*")

cluster_id="$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid)"
# Static controller.quorum.voters: 3.9 refuses --standalone with it, and needs none.
if ! "${java_cmd[@]}" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$DATA_DIR/server.properties" >"$DATA_DIR/format.out" 2>&1; then
  cat "$DATA_DIR/format.out" >&2
  rm -rf "$DATA_DIR"
  log "formatting the storage failed"
  exit 1
fi

# setsid: the broker must outlive this script and not get its terminal's signals.
launcher=(nohup)
command -v setsid >/dev/null && launcher=(setsid)
"${launcher[@]}" "${java_cmd[@]}" -Xms128m -Xmx512m -XX:+ExitOnOutOfMemoryError \
  kafka.Kafka "$DATA_DIR/server.properties" </dev/null >"$DATA_DIR/broker.out" 2>&1 &
pid=$!
mkdir -p "$KAFKA_STATE_DIR"
echo "$pid" >"$PID_FILE"
echo "$DATA_DIR" >"$DATA_FILE"
echo "127.0.0.1:$KAFKA_PORT" >"$ADDRESS_FILE"

rc=0
java -cp "$KAFKA_JARS/*" "$KAFKA_HOME_DIR/BrokerReady.java" "127.0.0.1:$KAFKA_PORT" "$pid" 90 || rc=$?
case "$rc" in
  0) ;;
  3) fail "broker process $pid died during startup" ;;
  4) fail "broker not ready after 90 s" ;;
  *) fail "readiness probe failed (exit $rc)" ;;
esac
trap - INT TERM HUP
log "broker $KAFKA_VERSION ready on 127.0.0.1:$KAFKA_PORT (data $DATA_DIR)"
