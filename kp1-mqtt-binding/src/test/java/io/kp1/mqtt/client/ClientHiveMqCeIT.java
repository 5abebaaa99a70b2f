package io.kp1.mqtt.client;

import static io.kp1.mqtt.client.EchoService.APP;
import static io.kp1.mqtt.client.EchoService.TIMEOUT_SECONDS;
import static io.kp1.mqtt.client.EchoService.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.Reply;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.MqttObservation;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.SubscriptionStrategy;
import io.kp1.mqtt.testing.HiveMqCeBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gateway on HiveMQ Community Edition (embedded): a thousand endpoints through one
 * wildcard subscription at QoS 2, and an observation whose later reply and ending error are
 * pushed by hand, with an MQTT 5 HiveMQ client as the gateway and Paho as the service.
 */
class ClientHiveMqCeIT {
    @Test
    void gateway_onHiveMqCe_aThousandEndpoints_andAnObservation_K10_K11() throws Exception {
        try (HiveMqCeBroker broker = HiveMqCeBroker.launch();
             EchoService service = EchoService.start(broker, TestClients.Kind.PAHO);
             TestClients.Connected conn = TestClients.connect(TestClients.Kind.HIVEMQ_5,
                     TestClients.options(broker, MqttTestBroker.Listener.TCP), null)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport())
                    .subscriptionStrategy(SubscriptionStrategy.GATEWAY_WILDCARD)
                    .qos(MqttQos.EXACTLY_ONCE)
                    .requestTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                replies.add(client.endpoint(APP, "CeToken" + i).request("epmx", "/echo", "n" + i));
            }
            CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (int i = 0; i < 1_000; i++) {
                assertThat(replies.get(i).join().payloadAsString()).isEqualTo("CeToken" + i + ":n" + i);
            }

            List<String> heard = new CopyOnWriteArrayList<>();
            MqttObservation o = client.endpoint(APP, "CeObserver").observe("cmx", "/config/json",
                    "{\"observe\":true}".getBytes(StandardCharsets.UTF_8), r -> heard.add(r.payloadAsString()));
            await(() -> heard.size() == 1, "first configuration");
            String topic = service.observeTopics.get("CeObserver");
            service.publish(topic + "/status", "{\"configId\":\"c2\",\"config\":{}}");
            await(() -> heard.size() == 2, "second configuration");
            service.publish(topic + "/error", "{\"statusCode\":410,\"reasonPhrase\":\"over\"}");
            try {
                o.ended().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                throw new AssertionError("ended normally");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(Kp1ErrorException.class);
            }

            Kp1MqttClient.Stats s = client.stats();
            assertThat(s.subscriptions()).isEqualTo(1);
            assertThat(s.correlation().replied()).isEqualTo(1_001);
            assertThat(s.droppedReplies()).isZero();
            client.close();
            assertThat(replies).allMatch(CompletableFuture::isDone);
        }
    }
}
