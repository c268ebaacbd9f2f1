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
if tcp_open "127.0.0.1:$KAFKA_PORT" || tcp_open "127.0.0.1:$KAFKA_CONTROLLER_PORT" || tcp_open "127.0.0.1:$KAFKA_INTERNAL_PORT"; then
  log "port $KAFKA_PORT, $KAFKA_CONTROLLER_PORT or $KAFKA_INTERNAL_PORT on 127.0.0.1 is already in use; set KAFKA_PORT / KAFKA_CONTROLLER_PORT / KAFKA_INTERNAL_PORT"
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

# A broker stopped by `stop.sh --keep-data` starts again on its data: its topics, offsets, ACLs and keys.
DATA_DIR="$(cat "$DATA_FILE" 2>/dev/null || true)"
restart=""
if [[ "$(basename "${DATA_DIR:-/}")" == crescent-kafka.* && -f "$DATA_DIR/server.properties" ]]; then
  restart=1
else
  DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/crescent-kafka.XXXXXX")"
fi
pid=""
forget_broker() {
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$PID_FILE" "$DATA_FILE" "$ADDRESS_FILE" "$KEY_ID_FILE"
}
fail() {
  log "$1; last log lines:"
  tail -n 30 "$DATA_DIR/server.log" "$DATA_DIR/broker.out" >&2 2>/dev/null || true
  forget_broker
  log "logs kept in $DATA_DIR"
  exit 1
}
trap 'forget_broker; [[ -n "$restart" ]] || rm -rf "$DATA_DIR"; log "interrupted"; exit 130' INT TERM HUP

java_cmd=(java -Djava.awt.headless=true "-Dkafka.logs.dir=$DATA_DIR"
  "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=file://$DATA_DIR/jwks.json"
  "-Dlog4j.configuration=file:$DATA_DIR/log4j.properties" -cp "$KAFKA_JARS/*")

if [[ -n "$restart" ]]; then
  KAFKA_TOKEN_KEY_ID="$(cat "$KEY_ID_FILE")"
  BROKER_PASSWORD="$(sed -n 's/.* user_broker="\([^"]*\)".*/\1/p' "$DATA_DIR/server.properties" | head -n 1)"
  log "starting the broker again on its data ($DATA_DIR)"
else
  # The exchange signs Kafka tokens (OAUTHBEARER JWTs) with this key; the broker checks them
  # against its public half. The broker's own user (PLAIN, controller and inter-broker links
  # only) gets a fresh random password each start.
  KAFKA_TOKEN_KEY_ID="$(node "$KAFKA_HOME_DIR/token-keys.js" "$DATA_DIR")"
  BROKER_PASSWORD="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
  plain_jaas="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" password=\"$BROKER_PASSWORD\" user_broker=\"$BROKER_PASSWORD\";"

  # The heredocs' text stays at the left margin: it is the file written.
  cat >"$DATA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=CLIENTS://127.0.0.1:$KAFKA_PORT,INTERNAL://127.0.0.1:$KAFKA_INTERNAL_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=CLIENTS://127.0.0.1:$KAFKA_PORT,INTERNAL://127.0.0.1:$KAFKA_INTERNAL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=INTERNAL
listener.security.protocol.map=CLIENTS:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
log.dirs=$DATA_DIR/logs

# Every client authenticates with a JWT the exchange signed: its subject is the principal.
listener.name.clients.sasl.enabled.mechanisms=OAUTHBEARER
listener.name.clients.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;
listener.name.clients.oauthbearer.sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler
sasl.oauthbearer.jwks.endpoint.url=file://$DATA_DIR/jwks.json
sasl.oauthbearer.expected.audience=$KAFKA_TOKEN_AUDIENCE
sasl.oauthbearer.expected.issuer=$KAFKA_TOKEN_ISSUER
# A session lasts at most this long (and never past its token's expiry) before the client
# must authenticate again: a revoked credential cannot be renewed into a new session.
connections.max.reauth.ms=60000

# The broker's own links (to its controller, to other brokers) use PLAIN with its own user.
sasl.mechanism.controller.protocol=PLAIN
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.internal.sasl.enabled.mechanisms=PLAIN
listener.name.internal.plain.sasl.jaas.config=$plain_jaas
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=$plain_jaas

# Nothing is allowed unless an ACL allows it; only the broker and the exchange's
# administration are super users. Clients create no topics: the exchange does.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:broker;User:$KAFKA_ADMIN_PRINCIPAL
auto.create.topics.enable=false

# A single node can only replicate once.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
min.insync.replicas=1

num.partitions=1
# The internal topics are created on first use; 50 partitions each (the default)
# makes the first consumer group / transaction of a test run wait for them.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1

# No 3 s wait before a new consumer group's first rebalance.
group.initial.rebalance.delay.ms=0
# The log cleaner looks for compactable logs every 200 ms (default 15 s), so a test that retracts a
# record sees its compacted outbound topic cleaned within seconds (with a short KAFKA_RETRACTION_LAG_MS).
log.cleaner.backoff.ms=200
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
# The broker's own access audit: every operation its authorizer denies, with principal and resource.
log4j.logger.kafka.authorizer.logger=INFO, authorizer
log4j.additivity.kafka.authorizer.logger=false
log4j.appender.authorizer=org.apache.log4j.FileAppender
log4j.appender.authorizer.File=$DATA_DIR/authorizer.log
log4j.appender.authorizer.layout=org.apache.log4j.PatternLayout
log4j.appender.authorizer.layout.ConversionPattern=[%d] %p %m%n
# Keeps the "Kafka Server started" / shutdown milestones in the log.
log4j.logger.kafka.server.KafkaRaftServer=INFO
PROPS

  cluster_id="$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid)"
  # Static controller.quorum.voters: 3.9 refuses --standalone with it, and needs none.
  if ! "${java_cmd[@]}" kafka.tools.StorageTool format -t "$cluster_id" \
      -c "$DATA_DIR/server.properties" >"$DATA_DIR/format.out" 2>&1; then
    cat "$DATA_DIR/format.out" >&2
    rm -rf "$DATA_DIR"
    log "formatting the storage failed"
    exit 1
  fi
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
echo "$KAFKA_TOKEN_KEY_ID" >"$KEY_ID_FILE"

rc=0
BROKER_PASSWORD="$BROKER_PASSWORD" java -cp "$KAFKA_JARS/*" "$KAFKA_HOME_DIR/BrokerReady.java" \
  "127.0.0.1:$KAFKA_INTERNAL_PORT" "$pid" 90 || rc=$?
case "$rc" in
  0) ;;
  3) fail "broker process $pid died during startup" ;;
  4) fail "broker not ready after 90 s" ;;
  *) fail "readiness probe failed (exit $rc)" ;;
esac
trap - INT TERM HUP
log "broker $KAFKA_VERSION ready on 127.0.0.1:$KAFKA_PORT (data $DATA_DIR)"
