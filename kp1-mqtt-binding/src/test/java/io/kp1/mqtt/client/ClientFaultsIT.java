package io.kp1.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.Reply;
import io.kp1.Topic;
import io.kp1.correlation.CorrelationException;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.SubscriptionStrategy;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replies that go wrong, from a hand-written responder on its own connection (a raw transport
 * subscriber that answers by resource): dropped (the request times out, D14), duplicated
 * (completes once, the copy counted, D15), delayed past the timeout (counted late, D15), sent on
 * another endpoint's or resource's topic with the same ID (completes nothing, D12). Under every
 * subscription strategy, through a real Mosquitto; at the end no future is pending and none
 * completed with another's reply.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientFaultsIT {
    private static final String APP = "faults_v1";
    private static final Duration TIMEOUT = Duration.ofMillis(700);
    private static final long LATE_MILLIS = 1_200;

    private MosquittoBroker broker;
    private TestClients.Connected responderConnection;
    private final Executor later = CompletableFuture.delayedExecutor(LATE_MILLIS, TimeUnit.MILLISECONDS);

    @BeforeAll
    void start() throws Exception {
        broker = MosquittoBroker.launch();
        responderConnection = TestClients.connect(TestClients.Kind.HIVEMQ_5,
                TestClients.options(broker, MqttTestBroker.Listener.TCP), null);
        MqttTransport t = responderConnection.transport();
        t.setListener(this::respond);
        t.subscribe("kp1/" + APP + "/+/+/#", MqttQos.AT_LEAST_ONCE).get(15, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() {
        responderConnection.close();
        broker.close();
    }

    /** The faulty service: what it does depends on the resource (the level before the request ID). */
    private void respond(InboundMessage m) {
        String name = m.topic();
        if (name.endsWith("/status") || name.endsWith("/error")) {
            return; // replies, its own included
        }
        Topic request = Topic.parseRequest(name);
        String token = request.path().endpointToken();
        String body = token + ":" + new String(m.payload(), StandardCharsets.UTF_8);
        MqttTransport t = responderConnection.transport();
        switch (request.path().resource()) {
            case "/ok" -> t.publish(name + "/status", bytes(body), m.qos());
            case "/drop" -> { }
            case "/dup" -> {
                t.publish(name + "/status", bytes(body), m.qos());
                t.publish(name + "/status", bytes(body + " again"), m.qos());
                t.publish(name + "/error", bytes("{\"statusCode\":500,\"reasonPhrase\":\"and again\"}"), m.qos());
            }
            case "/late" -> later.execute(() -> t.publish(name + "/status", bytes(body), m.qos()));
            // Same request ID, another endpoint's topic: must complete nothing (D12).
            case "/cross" -> t.publish(name.replace("/" + token + "/", "/" + token + "Other/") + "/status",
                    bytes("not for " + token), m.qos());
            // Same request ID and endpoint, another resource.
            case "/wrongres" -> t.publish(name.replace("/wrongres/", "/ok/") + "/status", bytes("not for /wrongres"), m.qos());
            default -> t.publish(name + "/error", bytes("{\"statusCode\":404,\"reasonPhrase\":\"no such fault\"}"), m.qos());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        try {
            f.join();
            throw new AssertionError("completed normally: " + f.join());
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @ParameterizedTest
    @EnumSource(SubscriptionStrategy.class)
    void faultyReplies_eachEndsItsRequestTheRightWay_andIsCounted_D12_D14_D15(SubscriptionStrategy strategy)
            throws Exception {
        try (TestClients.Connected conn = TestClients.connect(TestClients.Kind.PAHO,
                TestClients.options(broker, MqttTestBroker.Listener.TCP), null)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport()).subscriptionStrategy(strategy)
                    .requestTimeout(TIMEOUT).build();
            int n = 20;
            List<CompletableFuture<Reply>> ok = new ArrayList<>();
            List<CompletableFuture<Reply>> drop = new ArrayList<>();
            List<CompletableFuture<Reply>> dup = new ArrayList<>();
            List<CompletableFuture<Reply>> late = new ArrayList<>();
            List<CompletableFuture<Reply>> cross = new ArrayList<>();
            List<CompletableFuture<Reply>> wrongResource = new ArrayList<>();
            List<CompletableFuture<Reply>> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                MqttEndpoint e = client.endpoint(APP, "FaultToken" + i);
                // The endpoint whose topics the /cross replies go to has requests pending too.
                MqttEndpoint other = client.endpoint(APP, "FaultToken" + i + "Other");
                ok.add(e.request("dcx", "/ok", "p" + i));
                drop.add(e.request("dcx", "/drop", "p" + i));
                dup.add(e.request("dcx", "/dup", "p" + i));
                late.add(e.request("dcx", "/late", "p" + i));
                cross.add(e.request("dcx", "/cross", "p" + i));
                cross.add(other.request("dcx", "/cross", "q" + i));
                wrongResource.add(e.request("dcx", "/wrongres", "p" + i));
            }
            List.of(ok, drop, dup, late, cross, wrongResource).forEach(all::addAll);
            // Every request ends (D14): by its reply or by its timeout.
            CompletableFuture.allOf(all.stream().map(f -> f.exceptionally(t -> null)).toArray(CompletableFuture[]::new))
                    .get(30, TimeUnit.SECONDS);

            for (int i = 0; i < n; i++) {
                assertThat(ok.get(i).join().payloadAsString()).isEqualTo("FaultToken" + i + ":p" + i);
                assertThat(dup.get(i).join().payloadAsString()).isEqualTo("FaultToken" + i + ":p" + i);
            }
            for (CompletableFuture<Reply> f : List.of(drop, late, cross, wrongResource).stream().flatMap(List::stream).toList()) {
                Throwable t = failureOf(f);
                assertThat(t).isInstanceOf(CorrelationException.class);
                assertThat(((CorrelationException) t).reason()).isEqualTo(CorrelationException.Reason.TIMEOUT);
            }

            // The late replies arrive after their requests timed out; the copies of /dup after the first.
            // Await both counts: under load a /dup copy can still be on its way when the late ones are in.
            EchoService.await(() -> client.stats().correlation().late() >= n
                    && client.stats().correlation().duplicate() >= 2L * n, "late and duplicate replies counted");
            Kp1MqttClient.Stats s = client.stats();
            assertThat(s.correlation().replied()).isEqualTo(2L * n);
            assertThat(s.correlation().timedOut()).isEqualTo(5L * n);
            assertThat(s.correlation().duplicate()).isEqualTo(2L * n);
            assertThat(s.correlation().late()).isEqualTo(n);
            // Unknown: each /wrongres reply, each /cross reply to the "Other" endpoint's topic, and under the
            // token wildcard also the replies to the Other endpoints sent to topics of endpoints that do not exist.
            boolean anyToken = strategy == SubscriptionStrategy.GATEWAY_WILDCARD
                    || strategy == SubscriptionStrategy.ANY_ENDPOINT_REPLY_TOPICS;
            assertThat(s.correlation().unknown()).isEqualTo(anyToken ? 3L * n : 2L * n);
            assertThat(s.correlation().pending()).isZero();
            client.close();
            assertThat(all).allMatch(CompletableFuture::isDone);
        }
    }
}
