package io.kp1.mqtt.server;

import static io.kp1.mqtt.server.Inbox.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.Reply;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.paho.PahoTransport;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import io.kp1.server.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

/**
 * The README's server example, compiled and run: {@link #startService} is the code the README
 * shows (between the markers), and the test drives it with a device on a real Mosquitto.
 */
class ReadmeServerExampleIT {
    private final List<String> stored = new CopyOnWriteArrayList<>();

    /** The application's own storage: asynchronous, as handlers should be. */
    private CompletableFuture<Void> store(String endpointToken, byte[] samples) {
        stored.add(new String(samples, StandardCharsets.UTF_8));
        return CompletableFuture.completedFuture(null);
    }

    /** Starts the service; the caller closes the server, then disconnects the client. */
    private Kp1MqttServer startService(String brokerUri, MqttAsyncClient[] clientOut) throws Exception {
        // README:begin
        // The host makes and connects its own MQTT client (TLS, credentials, reconnect are its business).
        MqttAsyncClient paho = new MqttAsyncClient(brokerUri, "kettle-service-1", new MemoryPersistence());
        MqttTransport transport = PahoTransport.of(paho);                 // before connect: no event missed
        MqttConnectOptions options = new MqttConnectOptions();
        options.setAutomaticReconnect(true);                              // the server re-subscribes after it
        options.setMaxInflight(1000);
        paho.connect(options).waitForCompletion();

        Router router = Router.builder()
                .on("dcx", "/json", req -> store(req.endpointToken(), req.payload()).thenApply(x -> Reply.ok()))
                .on("epmx", "/get/keys", req -> CompletableFuture.completedFuture(Reply.ok("[\"name\",\"location\"]")))
                .build();

        Kp1MqttServer server = Kp1MqttServer.builder(transport, router)
                .sharedGroup("kettle-services")   // replicas split the load: $share/kettle-services/kp1/+/dcx/#, ...
                .build();
        server.start().join();                    // completes after every SUBACK; fails if the broker refuses
        // ... later: server.close() unsubscribes and waits (bounded) for the replies in flight.
        // README:end
        clientOut[0] = paho;
        return server;
    }

    @Test
    void readmeExample_answersADevice() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch()) {
            MqttAsyncClient[] paho = new MqttAsyncClient[1];
            Kp1MqttServer server = startService(broker.pahoUri(MqttTestBroker.Listener.TCP), paho);
            Inbox inbox = new Inbox();
            try (TestClients.Connected device = TestClients.connect(TestClients.Kind.HIVEMQ_5,
                    TestClients.options(broker, MqttTestBroker.Listener.TCP), inbox)) {
                String data = "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json/42";
                String keys = "kp1/smart_kettle_v1/epmx/JTjdbENzHh/get/keys/43";
                device.transport().subscribe("kp1/smart_kettle_v1/#", MqttQos.AT_LEAST_ONCE).get(15, TimeUnit.SECONDS);

                device.transport().publish(data, "[{\"temperature\":97}]".getBytes(StandardCharsets.UTF_8),
                        MqttQos.AT_LEAST_ONCE).get(15, TimeUnit.SECONDS);
                device.transport().publish(keys, new byte[0], MqttQos.AT_LEAST_ONCE).get(15, TimeUnit.SECONDS);

                assertThat(inbox.await(data + "/status").payload()).isEmpty();
                assertThat(text(inbox.await(keys + "/status"))).isEqualTo("[\"name\",\"location\"]");
                assertThat(stored).containsExactly("[{\"temperature\":97}]");
                assertThat(server.subscriptions()).containsExactly("$share/kettle-services/kp1/+/dcx/#",
                        "$share/kettle-services/kp1/+/epmx/#");
            } finally {
                server.close();
                paho[0].disconnect().waitForCompletion(5000);
                paho[0].close();
            }
        }
    }
}
