package io.kp1.mqtt.bench;

import io.kp1.Reply;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.SubscriptionStrategy;
import io.kp1.mqtt.paho.PahoTransport;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import io.kp1.server.Router;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
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
 * Request/reply through a real Mosquitto on loopback, at QoS 1, with Eclipse Paho on both sides:
 * this binding ({@link Kp1MqttClient} to {@link Kp1MqttServer}) against hand-written
 * publish/subscribe code on the same client library (a requester with its own ID counter and a
 * {@code ConcurrentHashMap} of futures, and a responder that publishes {@code <topic>/status}).
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>{@code side}</th><th>requester</th><th>responder</th><th>reply subscription</th></tr>
 *   <tr><td>{@code raw}</td><td>hand-written</td><td>hand-written</td><td>{@code .../echo/+/status}</td></tr>
 *   <tr><td>{@code kp1}</td><td>Kp1MqttClient, {@code REPLY_TOPICS}</td><td>Kp1MqttServer on the
 *       baseline's filter {@code kp1/+/epmx/+/echo/+}</td>
 *       <td>{@code .../echo/+/status}, {@code .../echo/+/error}</td></tr>
 *   <tr><td>{@code kp1-defaults}</td><td>Kp1MqttClient, {@code PER_RESOURCE}</td><td>Kp1MqttServer on its
 *       default {@code kp1/+/epmx/#}</td><td>{@code .../echo/#}</td></tr>
 *   <tr><td>{@code kp1-defaults-mqtt5}</td><td>as {@code kp1-defaults}, on the HiveMQ MQTT 5
 *       client</td><td>as {@code kp1-defaults}, on the HiveMQ MQTT 5 client</td>
 *       <td>{@code .../echo/#}; both sides ask for No Local, so neither hears itself</td></tr>
 *   <tr><td>{@code kp1-defaults-mqtt5-echoes}</td><td colspan="2">the same, behind transports that
 *       cannot ask for No Local: the baseline of the row above</td><td>{@code .../echo/#}</td></tr>
 * </table>
 *
 * <p>{@code raw} and {@code kp1} move the same messages; {@code kp1-defaults} shows the price of
 * the default wildcards: the broker also sends each request back to the gateway and each reply
 * back to the service (both dropped after a suffix check), two more deliveries per round trip.
 *
 * <p>Both sides' Paho sockets, and the broker's ({@code set_tcp_nodelay true} in the test
 * fixture), disable Nagle's algorithm, which otherwise holds small packets back against delayed
 * ACKs (about 40 ms a round trip on loopback, for the baseline and the binding alike).
 *
 * <p>{@link #throughput} keeps 16 requests outstanding (16 threads, each waiting for its reply);
 * {@link #latency} sends one at a time and JMH samples each round trip (p50, p99, p99.9).
 *
 * <pre>
 * mvn -B -Pbench -pl kp1-mqtt-binding -am verify -Djmh.args="RequestReply"
 * </pre>
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RequestReplyBenchmark {
    static final String APP = "bench_v1";
    static final String TOKEN = "BenchToken1";
    static final byte[] PAYLOAD = "{\"temperature\":97}".getBytes(StandardCharsets.UTF_8);

    /** Who talks: the hand-written baseline or the binding. */
    @Param({"raw", "kp1", "kp1-defaults", "kp1-defaults-mqtt5", "kp1-defaults-mqtt5-echoes"})
    public String side;

    private MosquittoBroker broker;
    private final List<AutoCloseable> closers = new ArrayList<>();
    private Requester requester;

    /** One request, completing with its reply. */
    interface Requester {
        CompletableFuture<?> request(byte[] payload);
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
                startKp1Server(uri, "kp1/+/epmx/+/echo/+");
                requester = startKp1Client(uri, SubscriptionStrategy.REPLY_TOPICS);
            }
            case "kp1-defaults" -> {
                startKp1Server(uri, null);
                requester = startKp1Client(uri, SubscriptionStrategy.PER_RESOURCE);
            }
            case "kp1-defaults-mqtt5", "kp1-defaults-mqtt5-echoes" -> {
                boolean echoes = side.endsWith("echoes");
                startKp1Server(mqtt5(echoes), null);
                requester = startKp1Client(mqtt5(echoes), SubscriptionStrategy.PER_RESOURCE);
            }
            default -> throw new IllegalArgumentException(side);
        }
        // Sanity: the echo comes back.
        Object r = requester.request(PAYLOAD).get(10, TimeUnit.SECONDS);
        byte[] body = r instanceof Reply reply ? reply.payloadBytes() : (byte[]) r;
        if (!Arrays.equals(body, PAYLOAD)) {
            throw new IllegalStateException("echo mismatch: " + new String(body, StandardCharsets.UTF_8));
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
        return requester.request(PAYLOAD).get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public Object latency() throws Exception {
        return requester.request(PAYLOAD).get(10, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- Paho connections

    /** A Paho client, its callback or adapter set by {@code beforeConnect}, connected as both sides are. */
    private MqttAsyncClient connect(String uri, String id, Consumer<MqttAsyncClient> beforeConnect)
            throws MqttException {
        MqttAsyncClient c = new MqttAsyncClient(uri, id, new MemoryPersistence());
        beforeConnect.accept(c);
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(1000);
        o.setCleanSession(true);
        o.setSocketFactory(new NoDelaySocketFactory());
        c.connect(o).waitForCompletion(10_000);
        closers.add(() -> {
            c.disconnect().waitForCompletion(5_000);
            c.close();
        });
        return c;
    }

    /** A HiveMQ MQTT 5 connection (Netty: no Nagle), as is or unable to ask for No Local. */
    private MqttTransport mqtt5(boolean withoutNoLocal) throws Exception {
        TestClients.Connected c = TestClients.connect(TestClients.Kind.HIVEMQ_5,
                TestClients.Options.tcp(broker.host(), broker.port(MqttTestBroker.Listener.TCP)), null);
        closers.add(c);
        return withoutNoLocal ? new WithoutNoLocal(c.transport()) : c.transport();
    }

    // ---------------------------------------------------------------- the binding

    private void startKp1Server(String uri, String filter) throws Exception {
        PahoTransport[] transport = new PahoTransport[1];
        connect(uri, "bench-kp1-server", c -> transport[0] = PahoTransport.of(c));
        startKp1Server(transport[0], filter);
    }

    private void startKp1Server(MqttTransport transport, String filter) throws Exception {
        Router router = Router.builder()
                .on("epmx", "/echo", req -> CompletableFuture.completedFuture(Reply.ok(req.payload())))
                .build();
        Kp1MqttServer.Builder b = Kp1MqttServer.builder(transport, router);
        if (filter != null) {
            b.subscription(filter);
        }
        Kp1MqttServer server = b.build();
        server.start().get(10, TimeUnit.SECONDS);
        closers.add(server);
    }

    private Requester startKp1Client(String uri, SubscriptionStrategy strategy) throws Exception {
        PahoTransport[] transport = new PahoTransport[1];
        connect(uri, "bench-kp1-client", c -> transport[0] = PahoTransport.of(c));
        return startKp1Client(transport[0], strategy);
    }

    private Requester startKp1Client(MqttTransport transport, SubscriptionStrategy strategy) {
        Kp1MqttClient client = Kp1MqttClient.builder(transport)
                .subscriptionStrategy(strategy)
                .qos(MqttQos.AT_LEAST_ONCE)
                .requestTimeout(Duration.ofSeconds(10))
                .build();
        closers.add(client);
        MqttEndpoint endpoint = client.endpoint(APP, TOKEN);
        return payload -> endpoint.request("epmx", "/echo", payload);
    }

    // ---------------------------------------------------------------- the hand-written baseline

    private void startRawResponder(String uri) throws Exception {
        MqttAsyncClient[] self = new MqttAsyncClient[1];
        self[0] = connect(uri, "bench-raw-server", c -> c.setCallback(new Callback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws MqttException {
                self[0].publish(topic + "/status", message.getPayload(), 1, false);
            }
        }));
        self[0].subscribe("kp1/" + APP + "/epmx/+/echo/+", 1).waitForCompletion(10_000);
    }

    private Requester startRawRequester(String uri) throws Exception {
        ConcurrentHashMap<Integer, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
        AtomicInteger ids = new AtomicInteger();
        String prefix = "kp1/" + APP + "/epmx/" + TOKEN + "/echo/";
        MqttAsyncClient client = connect(uri, "bench-raw-client", c -> c.setCallback(new Callback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                // <prefix><id>/status
                int id = Integer.parseInt(topic, prefix.length(), topic.length() - "/status".length(), 10);
                CompletableFuture<byte[]> f = pending.remove(id);
                if (f != null) {
                    f.complete(message.getPayload());
                }
            }
        }));
        client.subscribe(prefix + "+/status", 1).waitForCompletion(10_000);
        return payload -> {
            int id = ids.updateAndGet(i -> i == Integer.MAX_VALUE ? 1 : i + 1);
            CompletableFuture<byte[]> f = new CompletableFuture<>();
            pending.put(id, f);
            try {
                client.publish(prefix + id, payload, 1, false);
            } catch (MqttException e) {
                pending.remove(id);
                f.completeExceptionally(e);
            }
            return f;
        };
    }

    /** Plain sockets with Nagle's algorithm off, for both sides alike. */
    /** A transport that cannot ask for No Local, as an MQTT 3.1.1 client: the baseline of {@code kp1-defaults-mqtt5}. */
    static final class WithoutNoLocal implements MqttTransport {
        private final MqttTransport delegate;

        WithoutNoLocal(MqttTransport delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos) {
            return delegate.publish(topic, payload, qos);
        }

        @Override
        public CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos) {
            return delegate.subscribe(topicFilter, qos);
        }

        @Override
        public CompletableFuture<Void> unsubscribe(String topicFilter) {
            return delegate.unsubscribe(topicFilter);
        }

        @Override
        public void setListener(Listener listener) {
            delegate.setListener(listener);
        }

        @Override
        public boolean isConnected() {
            return delegate.isConnected();
        }
    }

    static final class NoDelaySocketFactory extends SocketFactory {
        private static Socket noDelay(Socket s) throws IOException {
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(new Socket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(new Socket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(new Socket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(new Socket(address, port, localAddress, localPort));
        }
    }

    /** Paho's callback with the parts the baseline does not use left empty. */
    abstract static class Callback implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
