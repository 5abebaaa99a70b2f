package io.kp1.mqtt.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.extension.epmp.Metadata;
import io.kp1.extension.epmp.MetadataStore;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.testing.Kp1ServerMqttContract;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import io.kp1.server.Request;
import io.kp1.server.Router;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Our own server passes the black-box {@link Kp1ServerMqttContract}: {@link Kp1MqttServer} with
 * the typed 2/DCP and 10/EPMP routes, subscribed to {@code kp1/#}, on a real Mosquitto broker,
 * driven by a Paho transport.
 */
class Kp1MqttServerConformanceIT extends Kp1ServerMqttContract {
    private MqttTestBroker broker;
    private TestClients.Connected serverClient;
    private Kp1MqttServer server;

    @Override
    protected void startServer() throws Exception {
        broker = MosquittoBroker.launch();
        serverClient = TestClients.connect(TestClients.Kind.PAHO,
                TestClients.options(broker, MqttTestBroker.Listener.TCP), null);
        Router.Builder b = Router.builder();
        DataCollection.routes((req, samples) -> CompletableFuture.completedFuture(null)).addTo(b);
        Metadata.routes(new FixedMetadata()).addTo(b);
        server = Kp1MqttServer.builder(serverClient.transport(), b.build())
                .subscription(Kp1MqttServer.ALL_REQUESTS)
                .build();
        server.start().get(15, TimeUnit.SECONDS);
    }

    @Override
    protected void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        if (serverClient != null) {
            serverClient.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Override
    protected String brokerUri() {
        return broker.pahoUri(MqttTestBroker.Listener.TCP);
    }

    @Override
    protected String appVersion() {
        return "conformance_v1";
    }

    @Override
    protected String endpointToken() {
        return "JTjdbENzHh";
    }

    @Override
    protected List<KnownRequest> knownRequests() {
        return List.of(
                new KnownRequest("dcx", "/json", "[{\"temperature\":23}]"),
                new KnownRequest("epmx", "/get/keys", ""),
                new KnownRequest("epmx", "/get", "{\"keys\":[\"name\"]}"),
                new KnownRequest("epmx", "/update/keys", "{\"location\":\"kitchen\"}"));
    }

    @Override
    protected KnownRequest malformedRequest() {
        return new KnownRequest("dcx", "/json", "[1] [2]");
    }

    /** One endpoint's fixed metadata; updates are accepted and forgotten. */
    private static final class FixedMetadata implements MetadataStore {
        @Override
        public CompletionStage<ObjectNode> getAll(Request request) {
            return CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode().put("name", "kettle"));
        }

        @Override
        public CompletionStage<Void> fullUpdate(Request request, ObjectNode metadata) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> partialUpdate(Request request, ObjectNode metadata) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> delete(Request request, Set<String> keys) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
