// Readiness probe for start.sh, run with Java's single-file launcher:
//   BROKER_PASSWORD=... java -cp '<jars>/*' BrokerReady.java <internal listener> <broker pid> <timeout seconds>
// It signs in as the broker's own user on the internal (PLAIN) listener.
// An open port is not enough in KRaft: the broker accepts connections before it has
// caught up with the metadata log and been unfenced, and until then it lists no
// brokers and cannot create topics. So wait until the cluster lists at least one node,
// then look up a consumer group: that creates the __consumer_offsets topic, which the
// first consumer of a test run would otherwise wait for ("group coordinator is not
// available" errors from kafkajs).
// Exit codes: 0 ready, 3 broker process died, 4 timed out (1 is the launcher's own failure).
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;

public class BrokerReady {
  public static void main(String[] args) throws Exception {
    // Connection-refused retries would otherwise be logged as warnings on every attempt.
    org.apache.log4j.Logger.getRootLogger().setLevel(org.apache.log4j.Level.OFF);
    long pid = Long.parseLong(args[1]);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "250");
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "PLAIN");
    props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" password=\""
        + System.getenv("BROKER_PASSWORD") + "\";");
    Admin admin = Admin.create(props);
    while (true) {
      if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) System.exit(3);
      if (System.nanoTime() > deadline) System.exit(4);
      try {
        if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
          admin.describeConsumerGroups(List.of("broker-ready"),
              new DescribeConsumerGroupsOptions().timeoutMs(10_000)).all().get();
          System.exit(0);
        }
      } catch (Exception notYet) {
        // not reachable or not ready yet
      }
      Thread.sleep(200);
    }
  }
}
