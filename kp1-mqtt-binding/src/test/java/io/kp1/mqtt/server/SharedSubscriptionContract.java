package io.kp1.mqtt.server;

import static io.kp1.mqtt.server.Inbox.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.Reply;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.RecordingListener;
import io.kp1.mqtt.testing.TestClients;
import io.kp1.server.Router;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two {@link Kp1MqttServer} replicas in one MQTT 5 shared-subscription group
 * ({@code $share/dcx-workers/kp1/+/dcx/#}), each on its own HiveMQ client (MQTT 5), split the
 * requests of a device: every request is routed and answered exactly once, and both replicas
 * get some.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedSubscriptionContract {
    private static final int REQUESTS = 40;

    private MqttTestBroker broker;

    /** A broker that supports shared subscriptions. */
    protected abstract MqttTestBroker startBroker();

    @BeforeAll
    void startBroker_() {
        broker = startBroker();
    }

    @AfterAll
    void closeBroker() {
        broker.close();
    }

    /** Options with a client identifier of their own: a second client with the same one would take over. */
    private TestClients.Options tcp() {
        return TestClients.options(broker, MqttTestBroker.Listener.TCP);
    }

    private static Router replica(String name) {
        return Router.builder()
                .on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok(name)))
                .build();
    }

    @Test
    void twoReplicasInOneGroup_everyRequestAnsweredExactlyOnce_bothServe() throws Exception {
        List<AutoCloseable> close = new ArrayList<>();
        try {
            List<Kp1MqttServer> servers = new ArrayList<>();
            for (String name : List.of("A", "B")) {
                TestClients.Connected c = TestClients.connect(TestClients.Kind.HIVEMQ_5, tcp(), null);
                close.add(c);
                Kp1MqttServer s = Kp1MqttServer.builder(c.transport(), replica(name)).sharedGroup("dcx-workers").build();
                close.add(s);
                servers.add(s);
                s.start().get(15, TimeUnit.SECONDS);
                assertThat(s.subscriptions()).containsExactly("$share/dcx-workers/kp1/+/dcx/#");
            }
            Inbox inbox = new Inbox();
            TestClients.Connected d = TestClients.connect(TestClients.Kind.HIVEMQ_5, tcp(), inbox);
            close.add(d);
            MqttTransport device = d.transport();
            device.subscribe("kp1/shared_v1/#", MqttQos.EXACTLY_ONCE).get(15, TimeUnit.SECONDS);

            String base = "kp1/shared_v1/dcx/JTjdbENzHh/json/";
            for (int id = 1; id <= REQUESTS; id++) {
                device.publish(base + id, "[]".getBytes(StandardCharsets.UTF_8), MqttQos.AT_LEAST_ONCE)
                        .get(15, TimeUnit.SECONDS);
            }
            Map<String, Integer> byReplica = new HashMap<>();
            for (int id = 1; id <= REQUESTS; id++) {
                byReplica.merge(text(inbox.await(base + id + "/status")), 1, Integer::sum);
            }
            // Every reply comes back through the shared subscription to one replica, which ignores it:
            // once all are counted, nothing is still on its way.
            awaitEchoes(servers, REQUESTS);

            for (int id = 1; id <= REQUESTS; id++) {
                assertThat(inbox.on(base + id + "/status")).as("replies to request %d", id).hasSize(1);
                assertThat(inbox.on(base + id + "/error")).isEmpty();
            }
            assertThat(servers.get(0).counters().routed() + servers.get(1).counters().routed()).isEqualTo(REQUESTS);
            assertThat(byReplica).as("replies by replica").containsOnlyKeys("A", "B");
            assertThat(byReplica.get("A")).isEqualTo(servers.get(0).counters().routed());
            assertThat(byReplica.get("B")).isEqualTo(servers.get(1).counters().routed());
        } finally {
            for (int i = close.size() - 1; i >= 0; i--) {
                close.get(i).close();
            }
        }
    }

    private static void awaitEchoes(List<Kp1MqttServer> servers, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + RecordingListener.TIMEOUT.toNanos();
        long seen = 0;
        while (System.nanoTime() < deadline) {
            seen = 0;
            for (Kp1MqttServer s : servers) {
                seen += s.counters().echoesIgnored();
            }
            if (seen >= expected) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("The replicas ignored " + seen + " of their " + expected + " replies coming back");
    }
}
