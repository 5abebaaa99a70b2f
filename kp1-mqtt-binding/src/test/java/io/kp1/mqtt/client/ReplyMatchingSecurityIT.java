package io.kp1.mqtt.client;

import ch.qos.logback.classic.Level;
import io.kp1.Reply;
import io.kp1.correlation.CorrelationException;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.SubscriptionStrategy;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.server.Router;
import io.kp1.testkit.LogCapture;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Security over a real Mosquitto broker, client and server side:
 * <ul>
 *   <li>D12: an impostor answers each request of {@link Kp1MqttClient} first with replies
 *       addressed elsewhere (same request ID for another token, application version, extension
 *       or resource; the right topic with another ID) and only then, for some resources, with the
 *       right reply. Under every subscription strategy the wrong replies never complete the
 *       request: it gets the right reply, or times out.</li>
 *   <li>D16: while the client and {@link Kp1MqttServer} go through the paths that log topics
 *       (handler exceptions quoting the token, invalid topics, malformed payloads, unknown
 *       extensions, fire-and-forget errors, invalid and unknown replies, timeouts), every log
 *       event of {@code io.kp1} at DEBUG and above is free of the whole token.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplyMatchingSecurityIT {
    private static final String APP = "sec_v1";
    private static final String TOKEN = "SECRETtok3nMqtt16";
    private static final String OTHER_TOKEN = "OTHERtok3nMqtt16x";
    /** A request to the impostor: {@code kp1/sec_v1/<ext>/<token>/<resource...>/<id>}. */
    private static final Pattern REQUEST = Pattern.compile("kp1/" + APP + "/(imp[a-z]*)/([^/]+)(/.*)/(\\d+)");

    private MosquittoBroker broker;
    private MqttAsyncClient impostor;
    private TestClients.Connected serverClient;
    private Kp1MqttServer server;

    @BeforeAll
    void start() throws Exception {
        broker = MosquittoBroker.launch();
        impostor = new MqttAsyncClient(broker.pahoUri(MqttTestBroker.Listener.TCP), "impostor", new MemoryPersistence());
        impostor.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) throws MqttException {
                answerWrongly(topic);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        impostor.connect(o).waitForCompletion(15_000);
        impostor.subscribe("kp1/" + APP + "/+/+/#", 1).waitForCompletion(15_000);

        // Our server on the same broker, for the D16 paths of the server side: extensions "dcx" and "boom".
        serverClient = TestClients.connect(TestClients.Kind.PAHO, TestClients.options(broker, MqttTestBroker.Listener.TCP), null);
        Router.Builder b = Router.builder().on("boom", "/json", req -> {
            throw new IllegalStateException("database refused endpoint " + req.endpointToken());
        });
        DataCollection.routes((req, samples) -> CompletableFuture.completedFuture(null)).addTo(b);
        server = Kp1MqttServer.builder(serverClient.transport(), b.build())
                .subscription("kp1/" + APP + "/dcx/#").subscription("kp1/" + APP + "/boom/#")
                .subscription("kp1/" + APP + "/nope/#").build();
        server.start().get(15, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (serverClient != null) {
            serverClient.close();
        }
        if (impostor != null) {
            impostor.disconnect().waitForCompletion(5_000);
            impostor.close();
        }
        broker.close();
    }

    /**
     * Answers a request to an {@code imp*} extension with wrong replies, then (for resources other
     * than {@code /never}) the right one, carrying {@code right}.
     */
    private void answerWrongly(String topic) throws MqttException {
        Matcher m = REQUEST.matcher(topic);
        if (!m.matches()) {
            return; // replies (ours and the impostor's own) and requests without ID
        }
        String ext = m.group(1);
        String token = m.group(2);
        String resource = m.group(3);
        String id = m.group(4);
        String otherToken = token.equals(TOKEN) ? OTHER_TOKEN : TOKEN;
        List<String> wrong = List.of(
                "kp1/" + APP + "/" + ext + "/" + otherToken + resource + "/" + id + "/status",
                "kp1/" + APP + "/" + ext + "/" + otherToken + resource + "/" + id + "/error",
                "kp1/other_v1/" + ext + "/" + token + resource + "/" + id + "/status",
                "kp1/" + APP + "/" + ext + "x/" + token + resource + "/" + id + "/status",
                "kp1/" + APP + "/" + ext + "/" + token + resource + "/x/" + id + "/status",
                "kp1/" + APP + "/" + ext + "/" + token + "/" + id + "/status",
                "kp1/" + APP + "/" + ext + "/" + token + resource + "/" + (Long.parseLong(id) + 1) + "/status",
                "kp1/" + APP + "/" + ext + "/" + token + resource + "/0" + id + "x/status",
                "kp1/" + APP + "/" + ext + "/" + token + resource + "/status");
        for (String w : wrong) {
            impostor.publish(w, "wrong".getBytes(StandardCharsets.UTF_8), 1, false);
        }
        if (!resource.equals("/never")) {
            impostor.publish(topic + "/status", "right".getBytes(StandardCharsets.UTF_8), 1, false);
        }
    }

    private Kp1MqttClient client(TestClients.Connected conn, SubscriptionStrategy strategy, Duration timeout) {
        return Kp1MqttClient.builder(conn.transport()).subscriptionStrategy(strategy).requestTimeout(timeout).build();
    }

    private TestClients.Connected connect() throws Exception {
        return TestClients.connect(TestClients.Kind.PAHO, TestClients.options(broker, MqttTestBroker.Listener.TCP), null);
    }

    @ParameterizedTest
    @EnumSource(SubscriptionStrategy.class)
    void repliesForOtherEndpointsOrResources_neverCompleteOurRequest_onlyTheRightOneDoes_D12(SubscriptionStrategy strategy)
            throws Exception {
        try (TestClients.Connected conn = connect(); Kp1MqttClient client = client(conn, strategy, Duration.ofSeconds(15))) {
            for (int i = 0; i < 10; i++) {
                // Both tokens in flight at once, with the same IDs: each may see the other's replies.
                CompletableFuture<Reply> mine = client.endpoint(APP, TOKEN).request("imp", "/get/keys", "");
                CompletableFuture<Reply> theirs = client.endpoint(APP, OTHER_TOKEN).request("imp", "/get/keys", "");
                assertThat(mine.get(15, TimeUnit.SECONDS).payloadAsString()).as("reply %d", i).isEqualTo("right");
                assertThat(theirs.get(15, TimeUnit.SECONDS).payloadAsString()).as("reply %d", i).isEqualTo("right");
                assertThat(mine.join().topic().orElseThrow().path().endpointToken()).isEqualTo(TOKEN);
                assertThat(theirs.join().topic().orElseThrow().path().endpointToken()).isEqualTo(OTHER_TOKEN);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SubscriptionStrategy.class, names = {"GATEWAY_WILDCARD", "PER_ENDPOINT_EXTENSION"})
    void onlyWrongReplies_requestTimesOut_neverCompletedByThem_D12_D14(SubscriptionStrategy strategy) throws Exception {
        try (TestClients.Connected conn = connect(); Kp1MqttClient client = client(conn, strategy, Duration.ofMillis(1500))) {
            CompletableFuture<Reply> f = client.endpoint(APP, TOKEN).request("imp", "/never", "");

            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CorrelationException.class);
            assertThat(((CorrelationException) f.handle((r, t) -> t instanceof CompletionException ? t.getCause() : t).join())
                    .reason()).isEqualTo(CorrelationException.Reason.TIMEOUT);
            // The wildcard strategies receive the wrong replies: counted and dropped (D15), never matched.
            Kp1MqttClient.Stats s = client.stats();
            assertThat(s.correlation().unknown() + s.correlation().pushes() + s.invalidReplies()).isPositive();
            assertThat(s.correlation().replied()).isZero();
        }
    }

    @Test
    void clientAndServerFailurePaths_tokenNeverWholeInLogsAtDebug_D16() throws Exception {
        try (LogCapture logs = LogCapture.start("io.kp1", Level.DEBUG);
             TestClients.Connected conn = connect();
             Kp1MqttClient client = client(conn, SubscriptionStrategy.GATEWAY_WILDCARD, Duration.ofMillis(800))) {
            var ep = client.endpoint(APP, TOKEN);
            // Server side: handler exception quoting the token, malformed payload, unknown route, invalid topics.
            Reply boom = ep.request("boom", "/json", "[]").get(10, TimeUnit.SECONDS);
            Reply malformed = ep.request("dcx", "/json", "[1] [2]").get(10, TimeUnit.SECONDS);
            Reply unknown = ep.request("nope", "/json", "").get(10, TimeUnit.SECONDS);
            ep.send("dcx", "/json", "not json").get(10, TimeUnit.SECONDS);
            for (String bad : List.of("/json/0", "/json/2147483648", "//json/5")) {
                conn.transport().publish("kp1/" + APP + "/dcx/" + TOKEN + bad, new byte[0],
                        io.kp1.mqtt.MqttQos.AT_LEAST_ONCE).get(10, TimeUnit.SECONDS);
            }
            // Client side: wrong and invalid replies from the impostor, then a timeout.
            CompletableFuture<Reply> never = ep.request("imp", "/never", "");
            assertThatThrownBy(() -> never.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CorrelationException.class);
            assertThat(ep.request("imp", "/get/keys", "").get(10, TimeUnit.SECONDS).payloadAsString()).isEqualTo("right");
            // A last round trip, so that the server's debug logs of the invalid topics are in.
            ep.request("dcx", "/json", "[]").get(10, TimeUnit.SECONDS);

            assertThat(boom.statusCode()).isEqualTo(500);
            assertThat(malformed.statusCode()).isEqualTo(400);
            assertThat(unknown.statusCode()).isEqualTo(404);
            logs.assertNeverContains(TOKEN);
            assertThat(logs.anyMessageContains(io.kp1.ResourcePath.redactToken(TOKEN))).as("the redacted token was logged").isTrue();
            assertThat(logs.events()).anyMatch(e -> e.getThrowableProxy() != null);
        }
    }
}
