package io.kp1.mqtt.bench;

import io.kp1.Reply;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.SubscriptionStrategy;
import io.kp1.mqtt.paho.PahoTransport;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.server.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scale (K10): one gateway connection carrying the requests of 100,000 endpoints, each request
 * for the next endpoint in turn, through a real Mosquitto on loopback at QoS 1 (Paho on both
 * sides, Nagle off as in {@link RequestReplyBenchmark}). The score is round trips per second
 * with 16 requests outstanding.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>{@code side}</th><th>gateway</th><th>service</th><th>gateway's subscriptions</th></tr>
 *   <tr><td>{@code raw}</td><td>hand-written: per-endpoint topic prefixes, one ID counter, a
 *       {@code ConcurrentHashMap} of futures</td><td>hand-written echo</td>
 *       <td>{@code kp1/bench_v1/epmx/+/echo/+/status}</td></tr>
 *   <tr><td>{@code kp1}</td><td>one {@link Kp1MqttClient}, 100,000 {@link MqttEndpoint}s,
 *       {@link SubscriptionStrategy#ANY_ENDPOINT_REPLY_TOPICS}</td>
 *       <td>{@link Kp1MqttServer} on {@code kp1/+/epmx/+/echo/+}</td>
 *       <td>{@code kp1/bench_v1/epmx/+/echo/+/status}, {@code .../+/error}</td></tr>
 *   <tr><td>{@code kp1-gateway-wildcard}</td><td>the same with
 *       {@link SubscriptionStrategy#GATEWAY_WILDCARD}</td><td>the same</td>
 *       <td>{@code kp1/bench_v1/+/+/#}: each request also comes back as an echo</td></tr>
 * </table>
 *
 * <p>A per-endpoint strategy would need 100,000 to 200,000 subscriptions on the one connection;
 * the token-wildcard strategies need one or two. Every endpoint has been used once before the
 * measurement (its state exists), as in a gateway that has run a while.
 *
 * <pre>
 * mvn -B -Pbench -pl kp1-mqtt-binding -am verify -Djmh.args=-l -Djmh.mqtt.args="GatewayScale"
 * </pre>
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GatewayScaleBenchmark {
    static final String APP = "bench_v1";
    static final int ENDPOINTS = 100_000;
    static final byte[] PAYLOAD = "{\"temperature\":97}".getBytes(StandardCharsets.UTF_8);

    /** Who talks: the hand-written baseline or the binding, and with which subscriptions. */
    @Param({"raw", "kp1", "kp1-gateway-wildcard"})
    public String side;

    private MosquittoBroker broker;
    private final List<AutoCloseable> closers = new ArrayList<>();
    /** A request for endpoint {@code i}. */
    private IntFunction<CompletableFuture<?>> requester;
    private final AtomicInteger turn = new AtomicInteger();

    static String token(int i) {
        return "Ep" + (1_000_000 + i);
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        broker = MosquittoBroker.launch();
        String uri = broker.pahoUri(MqttTestBroker.Listener.TCP);
        switch (side) {
            case "raw" -> {
                startRawResponder(uri);
                requester = startRawRequester(uri);
            }
            case "kp1" -> {
                startKp1Server(uri);
                requester = startKp1Client(uri, SubscriptionStrategy.ANY_ENDPOINT_REPLY_TOPICS);
            }
            case "kp1-gateway-wildcard" -> {
                startKp1Server(uri);
                requester = startKp1Client(uri, SubscriptionStrategy.GATEWAY_WILDCARD);
            }
            default -> throw new IllegalArgumentException(side);
        }
        // Every endpoint once, 256 at a time: the endpoints' state exists before the measurement.
        List<CompletableFuture<?>> window = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS; i++) {
            window.add(requester.apply(i));
            if (window.size() == 256 || i == ENDPOINTS - 1) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                window.clear();
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (int i = closers.size() - 1; i >= 0; i--) {
            closers.get(i).close();
        }
        closers.clear();
        broker.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(16)
    public Object throughput() throws Exception {
        int i = Math.floorMod(turn.getAndIncrement(), ENDPOINTS);
        return requester.apply(i).get(10, TimeUnit.SECONDS);
    }

    private MqttAsyncClient connect(String uri, String id, Consumer<MqttAsyncClient> beforeConnect)
            throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, id, new MemoryPersistence());
        beforeConnect.accept(c);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(1000);
        o.setCleanSession(true);
        o.setSocketFactory(new RequestReplyBenchmark.NoDelaySocketFactory());
        c.connect(o).waitForCompletion(10_000);
        closers.add(() -> {
            c.disconnect().waitForCompletion(5_000);
            c.close();
        });
        return c;
    }

    private void startKp1Server(String uri) throws Exception {
        PahoTransport[] transport = new PahoTransport[1];
        connect(uri, "scale-kp1-server", c -> transport[0] = PahoTransport.of(c));
        Router router = Router.builder()
                .on("epmx", "/echo", req -> CompletableFuture.completedFuture(Reply.ok(req.payload())))
                .build();
        Kp1MqttServer server = Kp1MqttServer.builder(transport[0], router).subscription("kp1/+/epmx/+/echo/+").build();
        server.start().get(10, TimeUnit.SECONDS);
        closers.add(server);
    }

    private IntFunction<CompletableFuture<?>> startKp1Client(String uri, SubscriptionStrategy strategy)
            throws Exception {
        PahoTransport[] transport = new PahoTransport[1];
        connect(uri, "scale-kp1-client", c -> transport[0] = PahoTransport.of(c));
        Kp1MqttClient client = Kp1MqttClient.builder(transport[0])
                .subscriptionStrategy(strategy)
                .qos(MqttQos.AT_LEAST_ONCE)
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        closers.add(client);
        MqttEndpoint[] endpoints = new MqttEndpoint[ENDPOINTS];
        for (int i = 0; i < ENDPOINTS; i++) {
            endpoints[i] = client.endpoint(APP, token(i));
        }
        return i -> endpoints[i].request("epmx", "/echo", PAYLOAD);
    }

    private void startRawResponder(String uri) throws Exception {
        MqttAsyncClient[] self = new MqttAsyncClient[1];
        self[0] = connect(uri, "scale-raw-server", c -> c.setCallback(new RequestReplyBenchmark.Callback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws MqttException {
                self[0].publish(topic + "/status", message.getPayload(), 1, false);
            }
        }));
        self[0].subscribe("kp1/" + APP + "/epmx/+/echo/+", 1).waitForCompletion(10_000);
    }

    private IntFunction<CompletableFuture<?>> startRawRequester(String uri) throws Exception {
        ConcurrentHashMap<Integer, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        String[] prefixes = new String[ENDPOINTS];
        for (int i = 0; i < ENDPOINTS; i++) {
            prefixes[i] = "kp1/" + APP + "/epmx/" + token(i) + "/echo/";
        }
        MqttAsyncClient client = connect(uri, "scale-raw-client", c -> c.setCallback(new RequestReplyBenchmark.Callback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // kp1/bench_v1/epmx/<token>/echo/<id>/status
                int end = topic.length() - "/status".length();
                int id = Integer.parseInt(topic, topic.lastIndexOf('/', end - 1) + 1, end, 10);
                CompletableFuture<byte[]> f = pending.remove(id);
                if (f != null) {
                    f.complete(message.getPayload());
                }
            }
        }));
        client.subscribe("kp1/" + APP + "/epmx/+/echo/+/status", 1).waitForCompletion(10_000);
        return i -> {
            int id = ids.updateAndGet(n -> n == Integer.MAX_VALUE ? 1 : n + 1);
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            pending.put(id, f);
            try {
                client.publish(prefixes[i] + id, PAYLOAD, 1, false);
            } catch (MqttException e) {
                pending.remove(id);
                f.completeExceptionally(e);
            }
            return f;
        };
    }
}
