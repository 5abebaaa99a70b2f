package io.kp1.examples.box;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gateway soak (see {@link GatewaySoak}): a gateway of many endpoints on one MQTT connection,
 * a broker that restarts on the same port every few seconds, and replies dropped, duplicated,
 * delayed and reordered. In {@code mvn verify} it runs the short version (30 s, 1,000 endpoints,
 * a restart every 8 s); the {@code soak} profile runs the long one:
 *
 * <pre>{@code
 * nice -n 10 mvn -B -Psoak -pl examples -am verify -Dsoak.duration=10m -Dsoak.endpoints=10000 -Dsoak.restartEvery=20s
 * }</pre>
 *
 * <p>It fails if any future is still pending at the end (D14), if any future completed with a
 * reply meant for another request (D12), or if any 2/DCP sample the gateway sent never reached
 * the server by the end (QoS 1 under {@code KEEP_REQUESTS}, with persistent sessions on a
 * persistent broker), counted strictly: whether its upload was acknowledged or not (timed out,
 * error reply), each reported and asserted apart. The report is printed as one block and written
 * to {@code target/soak/report.json}.
 */
class GatewaySoakIT {

    @Test
    void soak_brokerRestartsAndReplyFaults_noPendingFutureNoWrongCompletionNoSampleLost_D12_D14()
            throws Exception {
        GatewaySoak.Settings settings = GatewaySoak.Settings.fromSystemProperties();

        Map<String, Object> r = GatewaySoak.run(settings);

        String text = GatewaySoak.toText(r);
        Path json = GatewaySoak.writeJson(r, settings.reportDir());
        System.out.println(text + "\n(also in " + json.toAbsolutePath() + ")");
        assertThat((Integer) r.get("futuresPendingAtEnd")).as("futures pending at the end (D14)%n%s", text).isZero();
        assertThat((Integer) r.get("libraryPendingAtEnd")).as("requests pending in the client (D14)%n%s", text).isZero();
        assertThat((Long) r.get("wrongCompletions")).as("futures completed with another request's reply (D12)%n%s", text)
                .isZero();
        assertThat((Long) r.get("dataSamplesLostAcknowledged"))
                .as("acknowledged QoS 1 samples the server never received (KEEP_REQUESTS)%n%s", text).isZero();
        assertThat((Long) r.get("dataSamplesLostUnacknowledged"))
                .as("unacknowledged (timed out, error reply) QoS 1 samples the server never received%n%s", text).isZero();
        // The run must have met what it is about, or it proves nothing.
        assertThat((Long) r.get("brokerRestarts")).as("broker restarts%n%s", text).isPositive();
        assertThat((Long) r.get("connectionLosses")).as("gateway connection losses%n%s", text).isPositive();
        assertThat((Long) r.get("serverReconnections")).as("server reconnections%n%s", text).isPositive();
        assertThat((Long) r.get("repliesMatched")).as("replies matched%n%s", text).isPositive();
        assertThat((Long) r.get("dataSamplesAcknowledged")).as("acknowledged samples%n%s", text).isPositive();
        assertThat((Long) r.get("repliesDropped") + (Long) r.get("repliesDuplicated") + (Long) r.get("repliesDelayed"))
                .as("faults injected%n%s", text).isPositive();
    }
}
