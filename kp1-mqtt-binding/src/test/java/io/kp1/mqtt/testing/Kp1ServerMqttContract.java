package io.kp1.mqtt.testing;

import io.kp1.testkit.Kp1ServerFacts;
import io.kp1.testkit.SchemaAssertions;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A black-box contract for any 1/KP server reachable over MQTT: a raw Eclipse Paho client (not
 * this library's client, so that it judges fairly) publishes requests and checks the replies
 * against the rules of KP1.md: success exactly on {@code <request topic>/status} (K5) with the
 * request ID echoed raw (D2), errors on {@code /error} with a K7 payload valid against the
 * schema, reply QoS equal to the request's (K8), no success reply without a request ID (K6, D11),
 * 404 for an unknown extension or resource (D10), a 4xx for a malformed payload, replies never on
 * another endpoint's topics (D12), exactly one reply per request, and invalid topics never
 * answered with success nor able to stop the server.
 *
 * <p>The host supplies only wire facts: where the broker is, the application version, a valid
 * endpoint token, a few requests its server answers with success, and one it refuses as
 * malformed.
 *
 * <pre>{@code
 * class MyServerConformsIT extends Kp1ServerMqttContract {
 *     protected void startServer() { myServer.start(); }      // optional: runs before the probe connects
 *     protected String brokerUri() { return "tcp://127.0.0.1:1883"; }
 *     protected String appVersion() { return "kettle_v1"; }
 *     protected String endpointToken() { return "JTjdbENzHh"; }
 *     protected List<KnownRequest> knownRequests() {
 *         return List.of(new KnownRequest("dcx", "/json", "[{\"temperature\":23}]"),
 *                        new KnownRequest("epmx", "/get/keys", ""));
 *     }
 *     protected KnownRequest malformedRequest() { return new KnownRequest("dcx", "/json", "[1] [2]"); }
 * }
 * }</pre>
 *
 * <p>The probe subscribes to {@code kp1/<appVersion>/#} at QoS 2, so that each reply arrives with
 * the QoS it was published with. Tests wait for a reply up to {@link #replyTimeout()}, and for the
 * absence of one for {@link #quietPeriod()}, after a later request's reply (a barrier) where they can.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class Kp1ServerMqttContract extends Kp1ServerFacts {
    /** One message the probe received. */
    private record Received(String topic, byte[] payload, int qos) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger(ThreadLocalRandom.current().nextInt(1_000, 1_000_000));
    private MqttAsyncClient probe;

    /** For subclasses. */
    protected Kp1ServerMqttContract() {
    }

    // ---------------------------------------------------------------- what the host supplies

    /** The broker, in Paho's form: {@code tcp://host:port}, {@code ssl://host:port}. */
    protected abstract String brokerUri();

    /** A second endpoint token, for D12; it need not be known to the server. */
    protected String otherEndpointToken() {
        return "Zz" + endpointToken() + "9q";
    }

    /** Whether the server answers requests for extensions it does not serve (it subscribes to {@code kp1/#}). */
    protected boolean answersUnknownExtensions() {
        return true;
    }

    /** D11: whether the server publishes error replies for requests without a request ID (the default). */
    protected boolean sendsErrorsWithoutRequestId() {
        return true;
    }

    /** D1b: whether the server accepts request ID 0 (off by default). */
    protected boolean acceptsRequestIdZero() {
        return false;
    }

    /** Connect options of the probe: clean session by default; override for TLS or credentials. */
    protected MqttConnectOptions connectOptions() {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setConnectionTimeout(10);
        o.setAutomaticReconnect(false);
        o.setMaxInflight(100);
        return o;
    }

    /** How long to wait for a reply. */
    protected Duration replyTimeout() {
        return Duration.ofSeconds(10);
    }

    /** How long to watch for a reply that must not come, after a barrier's reply. */
    protected Duration quietPeriod() {
        return Duration.ofMillis(300);
    }

    // ---------------------------------------------------------------- lifecycle

    @BeforeAll
    final void connectProbe() throws Exception {
        startServer();
        probe = new MqttAsyncClient(brokerUri(), "kp1-contract-" + UUID.randomUUID().toString().substring(0, 8),
                new MemoryPersistence());
        probe.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                // Each test fails on its own missing reply.
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(new Received(topic, message.getPayload(), message.getQos()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        long ms = replyTimeout().toMillis();
        probe.connect(connectOptions()).waitForCompletion(ms);
        probe.subscribe("kp1/" + appVersion() + "/#", 2).waitForCompletion(ms);
    }

    @AfterAll
    final void disconnectProbe() throws Exception {
        try {
            if (probe != null && probe.isConnected()) {
                probe.disconnect().waitForCompletion(replyTimeout().toMillis());
            }
            if (probe != null) {
                probe.close();
            }
        } finally {
            stopServer();
        }
    }

    /**
     * D12, K5: every reply with a request ID for the probe's tokens answers a request the probe
     * sent, on exactly that topic (other clients may share the broker and the application).
     */
    @AfterEach
    final void everyReplyAnswersASentRequest_D12() {
        for (Received r : received) {
            String request = requestOf(r.topic());
            boolean probes = r.topic().contains("/" + endpointToken() + "/") || r.topic().contains("/" + otherEndpointToken() + "/");
            if (request != null && endsWithId(request) && probes) {
                assertThat(sent).as("D12: reply %s answers no request the probe sent", r.topic()).contains(request);
            }
        }
    }

    // ---------------------------------------------------------------- K5, D2, K8

    List<KnownRequest> knownRequestsSource() {
        return knownRequests();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownRequestsSource")
    void knownRequest_withId_exactlyOneSuccessOnStatusTopic_K5(KnownRequest k) throws Exception {
        String topic = topic(endpointToken(), k) + "/" + nextId();

        publish(topic, k.payload(), 1);

        await(topic + "/status");
        quiet();
        assertThat(on(topic + "/status")).as("exactly one reply to %s", topic).hasSize(1);
        assertThat(on(topic + "/error")).isEmpty();
    }

    @Test
    void leadingZeroRequestId_replyOnTheRawTopic_D2() throws Exception {
        KnownRequest k = knownRequests().get(0);
        String topic = topic(endpointToken(), k) + "/00" + nextId();

        publish(topic, k.payload(), 1);

        await(topic + "/status");
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1})
    void successReply_hasTheRequestQos_K8(int qos) throws Exception {
        KnownRequest k = knownRequests().get(0);
        String topic = topic(endpointToken(), k) + "/" + nextId();

        publish(topic, k.payload(), qos);

        assertThat(await(topic + "/status").qos()).isEqualTo(qos);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1})
    void errorReply_hasTheRequestQos_K8(int qos) throws Exception {
        String topic = topic(endpointToken(), unservedResource()) + "/" + nextId();

        publish(topic, unservedResource().payload(), qos);

        assertThat(await(topic + "/error").qos()).isEqualTo(qos);
    }

    @Test
    void manyRequests_exactlyOneReplyEach_K5() throws Exception {
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            KnownRequest k = knownRequests().get(i % knownRequests().size());
            String topic = topic(endpointToken(), k) + "/" + nextId();
            topics.add(topic);
            publish(topic, k.payload(), 1);
        }
        for (String t : topics) {
            await(t + "/status");
        }
        quiet();
        for (String t : topics) {
            assertThat(on(t + "/status").size() + on(t + "/error").size()).as("replies to %s", t).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------- K6, D11

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownRequestsSource")
    void knownRequest_withoutId_noSuccessReply_K6(KnownRequest k) throws Exception {
        String topic = topic(endpointToken(), k);
        int since = received.size(); // replies on a topic without ID are told apart by time only

        publish(topic, k.payload(), 1);
        barrier(k);

        assertThat(on(topic + "/status", since)).as("K6: no success reply without a request ID").isEmpty();
        assertThat(on(topic + "/error", since)).as("a known request must not fail").isEmpty();
    }

    @Test
    void malformedPayload_withoutId_errorOnlyIfConfigured_neverSuccess_K6_D11() throws Exception {
        KnownRequest bad = malformedRequest();
        String topic = topic(endpointToken(), bad);
        int since = received.size();

        publish(topic, bad.payload(), 1);

        if (sendsErrorsWithoutRequestId()) {
            assertK7(await(topic + "/error", since), 400, 499);
        } else {
            barrier(knownRequests().get(0));
            assertThat(on(topic + "/error", since)).as("D11: configured not to answer").isEmpty();
        }
        assertThat(on(topic + "/status", since)).as("K6").isEmpty();
    }

    // ---------------------------------------------------------------- K7, D10, 400

    @Test
    void malformedPayload_withId_4xxOnErrorTopicOnly_K7() throws Exception {
        KnownRequest bad = malformedRequest();
        String topic = topic(endpointToken(), bad) + "/" + nextId();

        publish(topic, bad.payload(), 1);

        assertK7(await(topic + "/error"), 400, 499);
        quiet();
        assertThat(on(topic + "/status")).isEmpty();
        assertThat(on(topic + "/error")).hasSize(1);
    }

    @Test
    void unservedResource_404OnErrorTopic_D10_K7() throws Exception {
        String topic = topic(endpointToken(), unservedResource()) + "/" + nextId();

        publish(topic, unservedResource().payload(), 1);

        assertK7(await(topic + "/error"), 404, 404);
        assertThat(on(topic + "/status")).isEmpty();
    }

    @Test
    void unservedExtension_404OnErrorTopic_D10_K7() throws Exception {
        Assumptions.assumeTrue(answersUnknownExtensions(), "the server answers only its own extensions");
        KnownRequest k = knownRequests().get(0);
        String topic = topic(endpointToken(), new KnownRequest(unservedExtension(), k.resource(), k.payload()))
                + "/" + nextId();

        publish(topic, k.payload(), 1);

        assertK7(await(topic + "/error"), 404, 404);
        assertThat(on(topic + "/status")).isEmpty();
    }

    // ---------------------------------------------------------------- D12

    @Test
    void twoEndpoints_sameRequestId_eachReplyOnlyOnItsOwnTopic_D12() throws Exception {
        KnownRequest k = knownRequests().get(0);
        String id = String.valueOf(nextId());
        String mine = topic(endpointToken(), k) + "/" + id;
        String other = topic(otherEndpointToken(), k) + "/" + id;

        publish(other, k.payload(), 1);
        publish(mine, k.payload(), 1);

        await(mine + "/status");
        quiet();
        assertThat(on(mine + "/status")).as("exactly one reply on my topic").hasSize(1);
        assertThat(on(mine + "/error")).isEmpty();
        for (Received r : received) {
            if (r.topic().contains("/" + otherEndpointToken() + "/")) {
                assertThat(r.topic()).as("D12: the other endpoint's reply").isIn(other, other + "/status", other + "/error");
            }
        }
    }

    // ---------------------------------------------------------------- invalid topics

    @Test
    void invalidTopics_neverASuccessReply_serverKeepsServing_D1_D3_D5() throws Exception {
        KnownRequest k = knownRequests().get(0);
        String base = topic(endpointToken(), k);
        List<String> bad = new ArrayList<>(List.of(
                base + "/2147483648",
                base + "/99999999999999999999",
                "kp1/" + appVersion() + "//" + k.extension() + "/" + endpointToken() + k.resource() + "/" + nextId(),
                base + "/",
                "kp1/" + appVersion() + "/" + k.extension(),
                "kp2/" + appVersion() + "/" + k.extension() + "/" + endpointToken() + k.resource() + "/" + nextId(),
                "KP1/" + appVersion() + "/" + k.extension() + "/" + endpointToken() + k.resource() + "/" + nextId()));
        if (!acceptsRequestIdZero()) {
            bad.add(base + "/0");
            bad.add(base + "/000");
        }
        for (String t : bad) {
            publish(t, k.payload(), 1);
        }
        barrier(k);
        quiet();

        for (String t : bad) {
            assertThat(on(t + "/status")).as("no success reply to invalid %s", t).isEmpty();
            for (Received e : on(t + "/error")) {
                assertK7(e, 400, 499);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private String topic(String token, KnownRequest k) {
        return "kp1/" + appVersion() + "/" + k.extension() + "/" + token + k.resource();
    }

    private int nextId() {
        return ids.incrementAndGet();
    }

    private void publish(String topic, String payload, int qos) throws MqttException {
        sent.add(topic);
        probe.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false)
                .waitForCompletion(replyTimeout().toMillis());
    }

    /** Sends a known request with an ID and waits for its reply: earlier replies have come by then. */
    private void barrier(KnownRequest k) throws Exception {
        String topic = topic(endpointToken(), k) + "/" + nextId();
        publish(topic, k.payload(), 1);
        await(topic + "/status");
    }

    private List<Received> on(String topic) {
        return on(topic, 0);
    }

    /** The messages on {@code topic} from the {@code since}-th received on. */
    private List<Received> on(String topic, int since) {
        List<Received> all = List.copyOf(received); // a snapshot: the Paho thread keeps adding
        return all.subList(since, all.size()).stream().filter(r -> r.topic().equals(topic)).toList();
    }

    private Received await(String topic) throws InterruptedException {
        return await(topic, 0);
    }

    private Received await(String topic, int since) throws InterruptedException {
        long deadline = System.nanoTime() + replyTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> got = on(topic, since);
            if (!got.isEmpty()) {
                return got.get(0);
            }
            Thread.sleep(5);
        }
        String request = requestOf(topic);
        List<String> near = received.stream().map(Received::topic)
                .filter(t -> request != null && t.startsWith(request)).toList();
        return fail("No reply on " + topic + " within " + replyTimeout() + "; on related topics: " + near);
    }

    private void quiet() throws InterruptedException {
        Thread.sleep(quietPeriod().toMillis());
    }

    /** K7: a UTF-8 JSON object {statusCode, reasonPhrase}, valid against the RFC's schema, with a status in range. */
    private static void assertK7(Received r, int lowest, int highest) {
        SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, r.payload());
        String text = r.text();
        int status = Integer.parseInt(text.replaceAll("(?s).*\"statusCode\"\\s*:\\s*(-?\\d+).*", "$1"));
        assertThat(status).as("status code of %s on %s", text, r.topic()).isBetween(lowest, highest);
    }

    /** The request topic a reply topic answers, or null if it is not a reply topic. */
    private static String requestOf(String topic) {
        if (topic.endsWith("/status")) {
            return topic.substring(0, topic.length() - "/status".length());
        }
        if (topic.endsWith("/error")) {
            return topic.substring(0, topic.length() - "/error".length());
        }
        return null;
    }

    private static boolean endsWithId(String topic) {
        String last = topic.substring(topic.lastIndexOf('/') + 1);
        return !last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
