package io.kp1.mqtt.client;

import static io.kp1.mqtt.client.EchoService.APP;
import static io.kp1.mqtt.client.EchoService.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.testing.BrokerPerClass;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The HiveMQ client, left to its defaults, restores every subscription it ever made after a
 * reconnection without the session, while {@link Kp1MqttClient} (and {@code Kp1MqttServer})
 * subscribe again to the ones in use. Found by the gateway soak (examples' GatewaySoakIT): each
 * broker restart added one more entry per filter to the HiveMQ client's subscription tree (a heap
 * that grew with every reconnection), and subscriptions the gateway had dropped as idle came back
 * on the broker behind its back. The adapter now leaves restoring subscriptions to the library
 * and keeps its message callback across the end of the session.
 */
class HiveMqSessionLossIT extends BrokerPerClass<MosquittoBroker> {
    @Override
    protected MosquittoBroker startBroker() {
        return MosquittoBroker.launch();
    }

    private TestClients.Options tcp() {
        return TestClients.options(broker, MqttTestBroker.Listener.TCP).automaticReconnect(true);
    }

    @ParameterizedTest
    @EnumSource(value = TestClients.Kind.class, names = {"HIVEMQ_3", "HIVEMQ_5"})
    void restartWithoutSession_idleSubscriptionStaysGone_andRepliesStillArrive(TestClients.Kind kind) throws Exception {
        try (EchoService service = EchoService.start(tcp(), TestClients.Kind.HIVEMQ_5);
             TestClients.Connected gateway = TestClients.connect(kind, tcp().cleanSession(false), null)) {
            Kp1MqttClient client = Kp1MqttClient.builder(gateway.transport())
                    .requestTimeout(Duration.ofSeconds(20)).build();
            // Its subscription kp1/gateway_v1/epmx/IdleTok/echo/# is idle once the reply is in.
            assertThat(client.endpoint(APP, "IdleTok").request("epmx", "/echo", "before").get(20, TimeUnit.SECONDS)
                    .payloadAsString()).isEqualTo("IdleTok:before");

            for (int restart = 0; restart < 2; restart++) {
                broker.restart(); // Mosquitto keeps no session: the gateway reconnects without one
                service.awaitEvent("resubscribed");
                await(() -> gateway.transport().isConnected() && client.isConnected(), "gateway reconnected");
                // Replies still arrive after the session ended (the adapter's message callback lives on).
                assertThat(client.endpoint(APP, "LiveTok").request("epmx", "/echo", "after" + restart)
                        .get(20, TimeUnit.SECONDS).payloadAsString()).isEqualTo("LiveTok:after" + restart);
            }

            // A reply on the idle filter's topic reaches the gateway only if the filter came back.
            try (TestClients.Connected stranger = TestClients.connect(TestClients.Kind.HIVEMQ_3,
                    TestClients.options(broker, MqttTestBroker.Listener.TCP), null)) {
                stranger.transport().publish("kp1/" + APP + "/epmx/IdleTok/echo/77/status",
                        "stray".getBytes(StandardCharsets.UTF_8), MqttQos.AT_LEAST_ONCE).get(20, TimeUnit.SECONDS);
            }
            assertThat(client.endpoint(APP, "LiveTok").request("epmx", "/echo", "last").get(20, TimeUnit.SECONDS)
                    .payloadAsString()).isEqualTo("LiveTok:last");
            Thread.sleep(300);

            Kp1MqttClient.Stats s = client.stats();
            assertThat(client.subscriptions()).as("the client's own table").doesNotContain(
                    "kp1/" + APP + "/epmx/IdleTok/echo/#");
            assertThat(s.droppedReplies()).as("replies on filters the gateway no longer holds: %s", s).isZero();
            client.close();
        }
    }
}
