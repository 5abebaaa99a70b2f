package io.kp1.mqtt.bench;

import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.SubscriptionStrategy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The client's own cost per request, without a network: an in-memory transport answers every
 * publish at once, on the calling thread, with {@code <topic>/status}. {@link #kp1} goes through
 * {@link Kp1MqttClient} (ID, correlator, deadline, limits, subscription, topic parse, matching);
 * {@link #raw} is the hand-written requester of {@link RequestReplyBenchmark} on the same
 * transport (an ID counter, a {@code ConcurrentHashMap} of futures, the ID cut out of the topic).
 * Average time per request and reply.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ClientOverheadBenchmark {
    static final byte[] PAYLOAD = "{\"temperature\":97}".getBytes(StandardCharsets.UTF_8);
    static final String PREFIX = "kp1/bench_v1/epmx/BenchToken1/echo/";

    private Kp1MqttClient client;
    private MqttEndpoint endpoint;
    private final ConcurrentHashMap<Integer, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private EchoTransport rawTransport;

    /** Answers each request publish at once with {@code <topic>/status} and the same payload. */
    static final class EchoTransport implements MqttTransport {
        private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
        private volatile Listener listener;

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos) {
            listener.onMessage(new InboundMessage(topic + "/status", payload, qos, false, false));
            return DONE;
        }

        @Override
        public CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos) {
            return CompletableFuture.completedFuture(qos);
        }

        @Override
        public CompletableFuture<Void> unsubscribe(String topicFilter) {
            return DONE;
        }

        @Override
        public void setListener(Listener listener) {
            this.listener = listener;
        }

        @Override
        public boolean isConnected() {
            return true;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        client = Kp1MqttClient.builder(new EchoTransport())
                .subscriptionStrategy(SubscriptionStrategy.REPLY_TOPICS)
                .requestTimeout(Duration.ofSeconds(10)).build();
        endpoint = client.endpoint("bench_v1", "BenchToken1");
        rawTransport = new EchoTransport();
        rawTransport.setListener(m -> {
            String topic = m.topic();
            int id = Integer.parseInt(topic, PREFIX.length(), topic.length() - "/status".length(), 10);
            CompletableFuture<byte[]> f = pending.remove(id);
            if (f != null) {
                f.complete(m.payload());
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
    }

    @Benchmark
    public Object kp1() {
        return endpoint.request("epmx", "/echo", PAYLOAD).join();
    }

    @Benchmark
    public Object raw() {
        int id = ids.updateAndGet(i -> i == Integer.MAX_VALUE ? 1 : i + 1);
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        pending.put(id, f);
        rawTransport.publish(PREFIX + id, PAYLOAD, MqttQos.AT_LEAST_ONCE);
        return f.join();
    }
}
