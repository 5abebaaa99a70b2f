package io.kp1.mqtt.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.Reply;
import io.kp1.extension.epmp.Metadata;
import io.kp1.extension.epmp.MetadataStore;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.SessionPresence;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import io.kp1.server.Request;
import io.kp1.server.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The extension side for the client's end-to-end tests: a {@link Kp1MqttServer} on its own MQTT
 * connection whose handlers answer something only the calling endpoint can expect, so that a test
 * can check every reply reached its caller.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><th>route</th><th>reply</th></tr>
 *   <tr><td>{@code epmx /echo}</td><td>{@code <token>:<payload>}</td></tr>
 *   <tr><td>{@code epmx /fail}</td><td>409 {@code refused <payload>}</td></tr>
 *   <tr><td>{@code epmx /slow}</td><td>{@code <token>:<payload>} after {@link #SLOW_MILLIS}</td></tr>
 *   <tr><td>{@code dcx /json}</td><td>empty; the payload is kept per token ({@link #collected})</td></tr>
 *   <tr><td>{@code cmx /config/json}</td><td>{@code {"configId":"c1","config":{"token":...}}}; the request
 *       topic is kept ({@link #observeTopics}) so the test can push later replies by hand</td></tr>
 *   <tr><td>{@code meta ...}</td><td>10/EPMP ({@code Metadata.routes}) over an in-memory store</td></tr>
 * </table>
 *
 * <pre>{@code
 * try (EchoService service = EchoService.start(broker, TestClients.Kind.HIVEMQ_5)) {
 *     ... client.endpoint(EchoService.APP, "tok").request("epmx", "/echo", "x")   // -> "tok:x"
 *     service.publish(service.observeTopics.get("tok") + "/status", "{...}");     // a later observe reply (K11)
 * }
 * }</pre>
 */
final class EchoService implements AutoCloseable {
    static final String APP = "gateway_v1";
    static final long TIMEOUT_SECONDS = 30;
    static final long SLOW_MILLIS = 300;

    final Map<String, List<String>> collected = new ConcurrentHashMap<>();
    final Map<String, String> observeTopics = new ConcurrentHashMap<>();
    final Map<String, ObjectNode> metadata = new ConcurrentHashMap<>();
    /** The server's connection events: "lost", "connected", "resubscribed". */
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final TestClients.Connected connection;
    private final Kp1MqttServer server;

    private EchoService(TestClients.Connected connection, Router router) throws Exception {
        this.connection = connection;
        this.server = Kp1MqttServer.builder(connection.transport(), router).maxInFlight(10_000)
                .connectionListener(new Kp1MqttServer.ConnectionListener() {
                    @Override
                    public void onConnectionLost(Throwable cause) {
                        events.add("lost");
                    }

                    @Override
                    public void onConnected(boolean reconnect, SessionPresence session) {
                        events.add("connected");
                    }

                    @Override
                    public void onResubscribed() {
                        events.add("resubscribed");
                    }
                }).build();
        server.start().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Connects a client of {@code kind} to {@code broker} and starts the server on it. */
    static EchoService start(MqttTestBroker broker, TestClients.Kind kind) throws Exception {
        return start(TestClients.options(broker, MqttTestBroker.Listener.TCP), kind);
    }

    /** Connects with {@code options} and starts the server. */
    static EchoService start(TestClients.Options options, TestClients.Kind kind) throws Exception {
        Holder h = new Holder();
        TestClients.Connected c = TestClients.connect(kind, options, null);
        try {
            EchoService s = new EchoService(c, h.router());
            h.service = s; // before any test request: the server answers only what the test sends
            return s;
        } catch (Exception e) {
            c.close();
            throw e;
        }
    }

    /** The handlers write into fields of the service, which does not exist yet when the router is built. */
    private static final class Holder {
        volatile EchoService service;

        Router router() {
            Router.Builder b = Router.builder()
                    .on("epmx", "/echo", req -> done(Reply.ok(req.endpointToken() + ":" + req.payloadAsString())))
                    .on("epmx", "/fail", req -> done(Reply.error(409, "refused " + req.payloadAsString())))
                    .on("epmx", "/slow", req -> CompletableFuture.supplyAsync(
                            () -> Reply.ok(req.endpointToken() + ":" + req.payloadAsString()),
                            CompletableFuture.delayedExecutor(SLOW_MILLIS, TimeUnit.MILLISECONDS)))
                    .on("dcx", "/json", req -> {
                        service.collected.computeIfAbsent(req.endpointToken(), k -> new CopyOnWriteArrayList<>())
                                .add(req.payloadAsString());
                        return done(Reply.ok());
                    })
                    .on("cmx", "/config/json", req -> {
                        service.observeTopics.put(req.endpointToken(), req.topic().orElseThrow().name());
                        return done(Reply.ok("{\"configId\":\"c1\",\"config\":{\"token\":\"" + req.endpointToken() + "\"}}"));
                    });
            Metadata.routes(new Store(this)).addTo(b, "meta");
            return b.build();
        }
    }

    private static CompletableFuture<Reply> done(Reply r) {
        return CompletableFuture.completedFuture(r);
    }

    /** 10/EPMP metadata per endpoint token, in memory. */
    private static final class Store implements MetadataStore {
        private final Holder holder;

        Store(Holder holder) {
            this.holder = holder;
        }

        private ObjectNode of(Request r) {
            return holder.service.metadata.computeIfAbsent(r.endpointToken(), k -> JsonNodeFactory.instance.objectNode());
        }

        @Override
        public synchronized CompletionStage<ObjectNode> getAll(Request request) {
            return CompletableFuture.completedFuture(of(request).deepCopy());
        }

        @Override
        public synchronized CompletionStage<Void> fullUpdate(Request request, ObjectNode m) {
            of(request).removeAll().setAll(m);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized CompletionStage<Void> partialUpdate(Request request, ObjectNode m) {
            of(request).setAll(m);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public synchronized CompletionStage<Void> delete(Request request, Set<String> keys) {
            of(request).remove(keys);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** Publishes by hand (a push, or a later reply to an observe request) at QoS 1 and waits for the PUBACK. */
    void publish(String topic, String payload) throws Exception {
        connection.transport().publish(topic, payload.getBytes(StandardCharsets.UTF_8), MqttQos.AT_LEAST_ONCE)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Waits for the server's next connection event named {@code event}, skipping others. */
    void awaitEvent(String event) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            String e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("No \"" + event + "\" from the service within " + TIMEOUT_SECONDS + " s");
            }
            if (e.equals(event)) {
                return;
            }
        }
    }

    Kp1MqttServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
        connection.close();
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@link #TIMEOUT_SECONDS}. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Not within " + TIMEOUT_SECONDS + " s: " + what);
            }
            Thread.sleep(5);
        }
    }
}
