package io.kp1.mqtt.server;

import static io.kp1.mqtt.server.Inbox.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.ErrorResponse;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.testing.Kp1ServerMqttContract;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.RecordingListener;
import io.kp1.mqtt.testing.TestClients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Kp1MqttServer} end to end on a real broker: a device (another client kind, written by the
 * test as a device program would) publishes requests, the server answers through the adapter under
 * test. Covers every resource of KP1.md's table with and without request ID at QoS 0 and 1
 * (K4, K5, K6, K8), D11, 404, 500, 400 for invalid topics (D1, D3), and that the server never
 * answers the replies its own subscription brings back.
 *
 * <p>It extends the black-box {@link Kp1ServerMqttContract}, so that our server passes it on every
 * adapter and broker this runs on; the tests here add what only a white box can check (the
 * handler saw the request, counters, the D11 option).
 *
 * <p>The server subscribes to {@code kp1/demo_v1/#} (its own replies included); the device to the
 * same filter at QoS 2, so that each reply arrives with the QoS it was published with.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerEndToEndContract extends Kp1ServerMqttContract {
    private static final String APP = "demo_v1";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private MqttTestBroker broker;
    private final List<AutoCloseable> closeAfterAll = new ArrayList<>();
    private final StubServices stubs = new StubServices();
    private final Inbox inbox = new Inbox();
    private Kp1MqttServer server;
    private MqttTransport serverTransport;
    private MqttTransport device;

    /** The broker of this class. */
    protected abstract MqttTestBroker startBroker();

    /** The client kind whose adapter drives the server. */
    protected abstract TestClients.Kind serverKind();

    /** The client kind the device uses. */
    protected abstract TestClients.Kind deviceKind();

    @Override
    protected void startServer() throws Exception {
        broker = startBroker();
        closeAfterAll.add(broker);
        TestClients.Connected serverClient = TestClients.connect(serverKind(), tcp(), null);
        closeAfterAll.add(serverClient);
        serverTransport = serverClient.transport();
        server = Kp1MqttServer.builder(serverTransport, stubs.router(true))
                .subscription("kp1/" + APP + "/#")
                .build();
        closeAfterAll.add(server);
        server.start().get(15, TimeUnit.SECONDS);
        TestClients.Connected deviceClient = TestClients.connect(deviceKind(), tcp(), inbox);
        closeAfterAll.add(deviceClient);
        device = deviceClient.transport();
        device.subscribe("kp1/" + APP + "/#", MqttQos.EXACTLY_ONCE).get(15, TimeUnit.SECONDS);
    }

    @Override
    protected void stopServer() throws Exception {
        for (int i = closeAfterAll.size() - 1; i >= 0; i--) {
            closeAfterAll.get(i).close();
        }
    }

    // ---- the wire facts of the black-box contract (Kp1ServerMqttContract), which runs here too ----

    @Override
    protected String brokerUri() {
        return broker.pahoUri(MqttTestBroker.Listener.TCP);
    }

    @Override
    protected String appVersion() {
        return APP;
    }

    @Override
    protected String endpointToken() {
        return "ProbeTok42x";
    }

    @Override
    protected List<KnownRequest> knownRequests() {
        return StubServices.TABLE.stream().map(r -> new KnownRequest(r.extension(), r.resource(), r.request())).toList();
    }

    @Override
    protected KnownRequest malformedRequest() {
        return new KnownRequest("dcx", "/json", "not json");
    }

    @AfterEach
    void neverAnsweredAReply_K5() {
        assertThat(inbox.topics()).as("a reply to a reply: the server answered its own (or another's) reply")
                .noneMatch(t -> t.matches(".*/(status|error)/(status|error)$"));
    }

    private TestClients.Options tcp() {
        return TestClients.options(broker, MqttTestBroker.Listener.TCP);
    }

    /** A fresh endpoint token per use, so that tests never see each other's replies. */
    private static String token() {
        return String.format("Tk%06dxY", SEQUENCE.incrementAndGet());
    }

    private static String path(String extension, String token, String resource) {
        return "kp1/" + APP + "/" + extension + "/" + token + resource;
    }

    private void publish(String topic, String payload, MqttQos qos) throws Exception {
        device.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos).get(15, TimeUnit.SECONDS);
    }

    private static ErrorResponse error(InboundMessage m) {
        return ErrorResponse.fromJson(m.payload());
    }

    static Stream<Arguments> tableAtQos0And1() {
        return StubServices.TABLE.stream().flatMap(r -> Stream.of(
                Arguments.of(r, MqttQos.AT_MOST_ONCE), Arguments.of(r, MqttQos.AT_LEAST_ONCE)));
    }

    // ---- KP1.md's table ----

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("tableAtQos0And1")
    void requestWithId_successOnStatusTopic_withRequestQos_K4_K5_K8(StubServices.Resource r, MqttQos qos)
            throws Exception {
        String topic = path(r.extension(), token(), r.resource()) + "/42";

        publish(topic, r.request(), qos);

        InboundMessage reply = inbox.await(topic + "/status");
        assertThat(text(reply)).isEqualTo(r.reply());
        assertThat(reply.qos()).isEqualTo(qos);
        assertThat(inbox.on(topic + "/error")).isEmpty();
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("tableAtQos0And1")
    void requestWithoutId_handledWithoutReply_K6(StubServices.Resource r, MqttQos qos) throws Exception {
        String topic = path(r.extension(), token(), r.resource());

        publish(topic, r.request(), qos);
        // A barrier: the same resource with an ID, published after; its reply comes after any reply to the first.
        publish(topic + "/7", r.request(), qos);
        inbox.await(topic + "/7/status");

        assertThat(stubs.saw(topic)).as("the handler got the fire-and-forget request").isTrue();
        assertThat(inbox.on(topic + "/status")).isEmpty();
        assertThat(inbox.on(topic + "/error")).isEmpty();
    }

    // ---- errors ----

    @ParameterizedTest
    @EnumSource(value = MqttQos.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
    void unknownExtensionAndResource_404OnErrorTopic(MqttQos qos) throws Exception {
        String tok = token();
        String noExtension = path("nope", tok, "/json/5");
        String noResource = path("dcx", tok, "/xml/6");

        publish(noExtension, "[]", qos);
        publish(noResource, "[]", qos);

        InboundMessage e1 = inbox.await(noExtension + "/error");
        InboundMessage e2 = inbox.await(noResource + "/error");
        assertThat(error(e1).statusCode()).isEqualTo(404);
        assertThat(error(e1).reasonPhrase()).contains("Unknown extension instance \"nope\"");
        assertThat(error(e2).statusCode()).isEqualTo(404);
        assertThat(error(e2).reasonPhrase()).contains("Unknown resource \"/xml\"");
        assertThat(e1.qos()).isEqualTo(qos);
        assertThat(e2.qos()).isEqualTo(qos);
    }

    @ParameterizedTest
    @EnumSource(value = MqttQos.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
    void handlerFailure_500(MqttQos qos) throws Exception {
        String topic = path("fail", token(), "/boom/9");

        publish(topic, "", qos);

        InboundMessage e = inbox.await(topic + "/error");
        assertThat(error(e)).isEqualTo(ErrorResponse.of(500, "Internal server error"));
        assertThat(e.qos()).isEqualTo(qos);
    }

    @ParameterizedTest
    @EnumSource(value = MqttQos.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
    void fireAndForgetError_answeredOnErrorTopicByDefault_D11(MqttQos qos) throws Exception {
        String topic = path("dcx", token(), "/json");

        publish(topic, "not json", qos);

        InboundMessage e = inbox.await(topic + "/error");
        assertThat(error(e).statusCode()).isEqualTo(400);
        assertThat(e.qos()).isEqualTo(qos);
    }

    @ParameterizedTest
    @EnumSource(value = MqttQos.class, names = {"AT_MOST_ONCE", "AT_LEAST_ONCE"})
    void requestIdZero_400OnItsErrorTopic_INVALID_REQUEST_ID_D1(MqttQos qos) throws Exception {
        String tok = token();
        String topic = path("dcx", tok, "/json/0");

        publish(topic, "[]", qos);

        InboundMessage e = inbox.await(topic + "/error");
        assertThat(error(e).statusCode()).isEqualTo(400);
        assertThat(error(e).reasonPhrase()).startsWith("INVALID_REQUEST_ID: ").endsWith("(D1)").doesNotContain(tok);
        assertThat(e.qos()).isEqualTo(qos);
        assertThat(stubs.saw(topic)).isFalse();
    }

    @Test
    void emptyLevel_validMqttName_400OnTopicSlashError_D3() throws Exception {
        String topic = "kp1/" + APP + "//json";

        publish(topic, "[]", MqttQos.AT_LEAST_ONCE);

        InboundMessage e = inbox.await(topic + "/error");
        assertThat(error(e).statusCode()).isEqualTo(400);
        assertThat(error(e).reasonPhrase()).startsWith("EMPTY_LEVEL: ").endsWith("(D3)");
    }

    @Test
    void routerKeepsFireAndForgetSilent_onlyRequestsWithIdsGetErrors_D11() throws Exception {
        StubServices quietStubs = new StubServices();
        try (TestClients.Connected c = TestClients.connect(serverKind(), tcp(), null);
             Kp1MqttServer quiet = Kp1MqttServer.builder(c.transport(), quietStubs.router(false))
                     .subscription("kp1/quiet_v1/#").build()) {
            quiet.start().get(15, TimeUnit.SECONDS);
            device.subscribe("kp1/quiet_v1/#", MqttQos.EXACTLY_ONCE).get(15, TimeUnit.SECONDS);
            String base = "kp1/quiet_v1/dcx/" + token() + "/json";

            publish(base, "not json", MqttQos.AT_LEAST_ONCE);
            publish("kp1/quiet_v1//json", "[]", MqttQos.AT_LEAST_ONCE);
            publish(base + "/0", "[]", MqttQos.AT_LEAST_ONCE);
            publish(base + "/3", "not json", MqttQos.AT_LEAST_ONCE);

            assertThat(error(inbox.await(base + "/0/error")).statusCode()).isEqualTo(400);
            assertThat(error(inbox.await(base + "/3/error")).statusCode()).isEqualTo(400);
            assertThat(inbox.on(base + "/error")).isEmpty();
            assertThat(inbox.on("kp1/quiet_v1//json/error")).isEmpty();
            assertThat(quiet.counters().errors(400)).isEqualTo(3);  // two from the handler, one invalid topic
        }
    }

    @Test
    void ownReplies_keptAwayByNoLocalOnMqtt5_otherwiseCountedAsEchoes_neverAnswered() throws Exception {
        // Only the MQTT 5 adapter can ask for No Local; the server asks wherever MQTT allows it.
        assertThat(serverTransport.supportsNoLocal()).isEqualTo(serverKind() == TestClients.Kind.HIVEMQ_5);
        long before = server.counters().echoesIgnored();
        String topic = path("epmx", token(), "/get/keys/11");

        publish(topic, "", MqttQos.AT_LEAST_ONCE);
        inbox.await(topic + "/status");

        if (serverTransport.supportsNoLocal()) {
            // The broker hands the server its messages in order. The device sends the second
            // request only after it got the first reply, and the broker passes a reply on to the
            // server (when it does) before it passes it on to the device, so an echo of the first
            // reply would be counted before the second request is routed, thus before its reply.
            String second = path("epmx", token(), "/get/keys/12");
            publish(second, "", MqttQos.AT_LEAST_ONCE);
            inbox.await(second + "/status");
            assertThat(server.counters().echoesIgnored()).as("own replies sent back despite No Local").isEqualTo(before);
        } else {
            long deadline = System.nanoTime() + RecordingListener.TIMEOUT.toNanos();
            while (server.counters().echoesIgnored() == before && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(server.counters().echoesIgnored()).isGreaterThan(before);
        }
        assertThat(inbox.on(topic + "/status/error")).isEmpty();
    }
}
