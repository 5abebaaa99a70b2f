package io.kp1.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.Reply;
import io.kp1.correlation.ConnectionLossPolicy;
import io.kp1.extension.epmp.Metadata;
import io.kp1.extension.epmp.MetadataStore;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.paho.PahoTransport;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import io.kp1.server.Request;
import io.kp1.server.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * The README's gateway example, compiled and run: {@link #runGateway} is the code the README
 * shows (between the markers), against a {@link Kp1MqttServer} with 2/DCP-style and 10/EPMP
 * routes on a real Mosquitto; the test then pushes a command and checks what arrived where.
 */
class ReadmeClientExampleIT {
    private final List<String> rebooted = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> metadata = new ConcurrentHashMap<>();
    private final List<String> samples = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> keysSeen = new ConcurrentHashMap<>();

    /** What the gateway does with a pushed command (K11). */
    private void reboot(String token, Reply command) {
        rebooted.add(token + " " + command.payloadAsString());
    }

    private void remember(String token, Reply keys) {
        keysSeen.put(token, List.of(keys.payloadAsString()));
    }

    private Kp1MqttClient runGateway(String brokerUri, MqttAsyncClient[] clientOut) throws Exception {
        // README:begin
        // The host makes its own MQTT client; build the gateway client before connecting, so no event is missed.
        MqttAsyncClient paho = new MqttAsyncClient(brokerUri, "kettle-gateway-1", new MemoryPersistence());
        MqttTransport transport = PahoTransport.of(paho);
        Kp1MqttClient gateway = Kp1MqttClient.builder(transport)
                .requestTimeout(Duration.ofSeconds(10))                           // every future ends by then (D14)
                .connectionLossPolicy(ConnectionLossPolicy.KEEP_REQUESTS)         // re-publish after a reconnection
                .build();
        MqttConnectOptions options = new MqttConnectOptions();
        options.setAutomaticReconnect(true);
        options.setMaxInflight(1000);                                          // above the client's maxInFlight (256)
        paho.connect(options).waitForCompletion();

        for (String token : List.of("JTjdbENzHh", "VfXk3ltRfO")) {             // one connection, many endpoints (K10)
            MqttEndpoint kettle = gateway.endpoint("smart_kettle_v1", token);
            kettle.send("dcx", "/json", "[{\"temperature\":97}]");                // fire and forget (K6)
            Reply keys = kettle.request("epmx", "/get/keys", new byte[0]).join(); // .../get/keys/<id>, then /status
            remember(token, keys);
            Metadata.on(kettle).partialUpdate(Map.of("location", "kitchen")).join(); // typed facades run over it
            kettle.onPush("cex", "/command/reboot", command -> reboot(token, command)) // .../command/reboot/status (K11)
                    .subscribed().join();                                      // the broker now delivers them
        }
        // ... later: gateway.close() ends whatever is still pending (D14); then the host disconnects paho.
        // README:end
        clientOut[0] = paho;
        return gateway;
    }

    /** The extension side: data collection and metadata, on its own connection. */
    private Router router() {
        Router.Builder b = Router.builder()
                .on("dcx", "/json", req -> {
                    samples.add(req.endpointToken() + " " + req.payloadAsString());
                    return CompletableFuture.completedFuture(Reply.ok());
                });
        Metadata.routes(new MetadataStore() {
            private ObjectNode of(Request r) {
                return metadata.computeIfAbsent(r.endpointToken(), k -> JsonNodeFactory.instance.objectNode());
            }

            @Override
            public CompletionStage<ObjectNode> getAll(Request r) {
                return CompletableFuture.completedFuture(of(r).deepCopy());
            }

            @Override
            public CompletionStage<Void> fullUpdate(Request r, ObjectNode m) {
                of(r).removeAll().setAll(m);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> partialUpdate(Request r, ObjectNode m) {
                of(r).setAll(m);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<Void> delete(Request r, Set<String> keys) {
                of(r).remove(keys);
                return CompletableFuture.completedFuture(null);
            }
        }).addTo(b);
        return b.build();
    }

    @Test
    void readmeExample_gatewayTalksForTwoEndpoints() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch();
             TestClients.Connected service = TestClients.connect(TestClients.Kind.HIVEMQ_5,
                     TestClients.options(broker, MqttTestBroker.Listener.TCP), null);
             Kp1MqttServer server = Kp1MqttServer.builder(service.transport(), router()).build()) {
            server.start().get(15, TimeUnit.SECONDS);
            MqttAsyncClient[] paho = new MqttAsyncClient[1];
            Kp1MqttClient gateway = runGateway(broker.pahoUri(MqttTestBroker.Listener.TCP), paho);
            try {
                service.transport().publish("kp1/smart_kettle_v1/cex/VfXk3ltRfO/command/reboot/status",
                        "[{\"id\":7}]".getBytes(StandardCharsets.UTF_8), MqttQos.AT_LEAST_ONCE).get(15, TimeUnit.SECONDS);
                EchoService.await(() -> rebooted.size() == 1, "the pushed command");

                assertThat(rebooted).containsExactly("VfXk3ltRfO [{\"id\":7}]");
                assertThat(samples).containsExactlyInAnyOrder("JTjdbENzHh [{\"temperature\":97}]",
                        "VfXk3ltRfO [{\"temperature\":97}]");
                assertThat(keysSeen).containsOnlyKeys("JTjdbENzHh", "VfXk3ltRfO");
                assertThat(metadata.get("JTjdbENzHh").get("location").asText()).isEqualTo("kitchen");
                assertThat(gateway.stats().droppedReplies()).isZero();
            } finally {
                gateway.close();
                paho[0].disconnect().waitForCompletion(5000);
                paho[0].close();
            }
        }
    }
}
