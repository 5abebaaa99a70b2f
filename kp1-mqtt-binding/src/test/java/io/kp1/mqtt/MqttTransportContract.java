package io.kp1.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kp1.mqtt.testing.BrokerPerClass;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.RecordingListener;
import io.kp1.mqtt.testing.RecordingListener.Connected;
import io.kp1.mqtt.testing.TcpProxy;
import io.kp1.mqtt.testing.TestClients;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link MqttTransport} passes, against a real broker: what the 1/KP binding
 * relies on. Shipped in this module's tests jar so that a host can check its own adapter.
 *
 * <pre>{@code
 * class MyTransportIT extends MqttTransportContract {
 *     protected MqttTestBroker startBroker() {
 *         return MosquittoBroker.launch();
 *     }
 *
 *     protected TestClients.Connected connect(TestClients.Options o, MqttTransport.Listener listener) throws Exception {
 *         MyClient client = new MyClient(o.host(), o.port(), o.clientId());   // honour o.cleanSession(), o.automaticReconnect()
 *         MqttTransport transport = new MyTransport(client);
 *         transport.setListener(listener);                 // before connecting: the first onConnected counts
 *         client.connect();                                // wait for CONNACK; throw if refused
 *         return new TestClients.Connected(transport, client, client::close);
 *     }
 * }
 * }</pre>
 *
 * <p>The options are always plain TCP to the broker (or to a {@link TcpProxy} in front of it);
 * TLS, certificates, passwords and WebSocket are the client's configuration, tested by the
 * fixtures' own suites. The broker must refuse subscriptions to {@link MqttTestBroker#DENIED_FILTER},
 * as the fixture brokers do. Tests that need a client with automatic reconnect ask for it in the
 * options; the client should retry within a second or two.
 */
public abstract class MqttTransportContract extends BrokerPerClass<MqttTestBroker> {
    private static final long TIMEOUT_SECONDS = RecordingListener.TIMEOUT.toSeconds();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private String prefix;

    /** For subclasses, one per adapter or broker. */
    protected MqttTransportContract() {
    }

    /**
     * Creates a client of the adapter under test as {@code options} say, wraps it in its transport,
     * sets {@code listener} on the transport (it may be null), then connects and waits for CONNACK.
     *
     * @throws Exception if the connection fails
     */
    protected abstract TestClients.Connected connect(TestClients.Options options, MqttTransport.Listener listener)
            throws Exception;

    /** Whether the adapter reports the CONNACK session-present flag (Paho does not: {@code UNKNOWN}). */
    protected boolean reportsSessionPresence() {
        return true;
    }

    /** Whether the client does QoS 2. */
    protected boolean supportsQos2() {
        return true;
    }

    /** Whether the adapter can ask for MQTT 5's No Local (only MQTT 5 clients can). */
    protected boolean expectsNoLocal() {
        return false;
    }

    @BeforeEach
    void freshTopics() {
        prefix = "kp1/contract" + SEQUENCE.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 6);
    }

    @AfterEach
    void closeClients() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        cleanup.clear();
    }

    /** Options for an anonymous plain TCP client of the broker. */
    protected TestClients.Options tcpOptions() {
        return TestClients.Options.tcp(broker.host(), broker.port(MqttTestBroker.Listener.TCP));
    }

    /** A connected client, closed after the test. */
    protected MqttTransport client(TestClients.Options options, MqttTransport.Listener listener) throws Exception {
        TestClients.Connected c = connect(options, listener);
        cleanup.add(c);
        return c.transport();
    }

    /** A unique topic for this test: {@code kp1/contract<n>_<random>/<suffix>}. */
    protected String topic(String suffix) {
        return prefix + "/" + suffix;
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- subscribe, publish, QoS

    @Test
    void subscribe_completesAfterSuback_thenMatchingPublishIsDelivered() throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions(), events);
        MqttTransport publisher = client(tcpOptions(), null);
        String t = topic("dcx/JTjdbENzHh/json/1");

        MqttQos granted = await(subscriber.subscribe(t, MqttQos.AT_LEAST_ONCE));
        await(publisher.publish(t, utf8("hello"), MqttQos.AT_LEAST_ONCE));

        InboundMessage m = events.awaitMessage();
        assertThat(granted).isEqualTo(MqttQos.AT_LEAST_ONCE);
        assertThat(m.topic()).isEqualTo(t);
        assertThat(new String(m.payload(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(m.qos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        assertThat(m.retained()).isFalse();
    }

    @ParameterizedTest(name = "QoS {0}")
    @EnumSource(MqttQos.class)
    void publish_eachQos_roundTripsWithThatQosReported(MqttQos qos) throws Exception {
        Assumptions.assumeTrue(qos != MqttQos.EXACTLY_ONCE || supportsQos2(), "the client has no QoS 2");
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions(), events);
        MqttTransport publisher = client(tcpOptions(), null);
        String t = topic("qos" + qos.code());

        MqttQos granted = await(subscriber.subscribe(t, qos));
        await(publisher.publish(t, utf8("q" + qos.code()), qos));

        assertThat(granted).isEqualTo(qos);
        InboundMessage m = events.awaitMessage();
        assertThat(m.qos()).isEqualTo(qos);
        assertThat(m.payload()).isEqualTo(utf8("q" + qos.code()));
    }

    @Test
    void publish_aboveSubscriptionQos_deliveredAtTheLowerQos() throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions(), events);
        MqttTransport publisher = client(tcpOptions(), null);
        String t = topic("downgrade");

        MqttQos granted = await(subscriber.subscribe(t, MqttQos.AT_MOST_ONCE));
        await(publisher.publish(t, utf8("x"), MqttQos.AT_LEAST_ONCE));

        assertThat(granted).isEqualTo(MqttQos.AT_MOST_ONCE);
        assertThat(events.awaitMessage().qos()).isEqualTo(MqttQos.AT_MOST_ONCE);
    }

    static Stream<Arguments> payloads() {
        byte[] allByteValues = new byte[256];
        for (int i = 0; i < 256; i++) {
            allByteValues[i] = (byte) i;
        }
        byte[] large = new byte[256 * 1024];
        new Random(42).nextBytes(large);
        return Stream.of(
                Arguments.of("empty", new byte[0]),
                Arguments.of("all 256 byte values", allByteValues),
                Arguments.of("256 KiB random", large));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void publish_payload_arrivesByteForByte(String name, byte[] payload) throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions(), events);
        MqttTransport publisher = client(tcpOptions(), null);
        String t = topic("payload");

        await(subscriber.subscribe(t, MqttQos.AT_LEAST_ONCE));
        await(publisher.publish(t, payload.clone(), MqttQos.AT_LEAST_ONCE));

        assertThat(events.awaitMessage().payload()).as(name).isEqualTo(payload);
    }

    // ---- unsubscribe, wildcards

    @Test
    void subscribeNoLocal_ownPublishesKeptAwayWhereSupported_othersDelivered_MQTT5_3_8_3_1() throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions(), events);
        MqttTransport other = client(tcpOptions(), null);
        String t = topic("dcx/JTjdbENzHh/json/+/status");
        assertThat(subscriber.supportsNoLocal()).isEqualTo(expectsNoLocal());

        assertThat(await(subscriber.subscribeNoLocal(t, MqttQos.AT_LEAST_ONCE))).isEqualTo(MqttQos.AT_LEAST_ONCE);
        await(subscriber.publish(topic("dcx/JTjdbENzHh/json/1/status"), utf8("own"), MqttQos.AT_LEAST_ONCE));
        await(other.publish(topic("dcx/JTjdbENzHh/json/2/status"), utf8("other"), MqttQos.AT_LEAST_ONCE));

        if (expectsNoLocal()) {
            // "own" was acknowledged before "other" was sent: had the broker sent it back, it
            // would have come first on this connection.
            assertThat(new String(events.awaitMessage().payload(), StandardCharsets.UTF_8)).isEqualTo("other");
            assertThat(events.pendingMessages()).isEmpty();
        } else {
            // MQTT 3.1.1 has no No Local: a plain subscription, own messages included.
            List<String> got = List.of(new String(events.awaitMessage().payload(), StandardCharsets.UTF_8),
                    new String(events.awaitMessage().payload(), StandardCharsets.UTF_8));
            assertThat(got).containsExactlyInAnyOrder("own", "other");
        }
    }

    @Test
    void subscribeNoLocal_sharedSubscription_throwsIllegalArgument_MQTT5_3_8_3_1() throws Exception {
        MqttTransport subscriber = client(tcpOptions(), null);
        assertThatThrownBy(() -> subscriber.subscribeNoLocal("$share/workers/" + topic("#"), MqttQos.AT_LEAST_ONCE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No Local on the shared subscription")
                .hasMessageContaining("3.8.3.1");
        assertThatThrownBy(() -> subscriber.subscribeNoLocal(null, MqttQos.AT_LEAST_ONCE))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void unsubscribe_completesAfterUnsuback_thenThatFilterGetsNothing() throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions(), events);
        MqttTransport publisher = client(tcpOptions(), null);
        String gone = topic("gone");
        String kept = topic("kept");
        await(subscriber.subscribe(gone, MqttQos.AT_LEAST_ONCE));
        await(subscriber.subscribe(kept, MqttQos.AT_LEAST_ONCE));
        await(publisher.publish(gone, utf8("before"), MqttQos.AT_LEAST_ONCE));
        assertThat(events.awaitMessage().topic()).isEqualTo(gone);

        await(subscriber.unsubscribe(gone));
        await(publisher.publish(gone, utf8("after"), MqttQos.AT_LEAST_ONCE));
        await(publisher.publish(kept, utf8("marker"), MqttQos.AT_LEAST_ONCE));

        // One publisher, one QoS: the broker keeps the order, so "after" would come before the marker.
        InboundMessage next = events.awaitMessage();
        assertThat(next.topic()).isEqualTo(kept);
        assertThat(events.pendingMessages()).isEmpty();
    }

    @Test
    void subscribe_multiLevelWildcardKp1Hash_matchesEveryKp1TopicAndNothingElse() throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions(), events);
        MqttTransport publisher = client(tcpOptions(), null);
        await(subscriber.subscribe("kp1/#", MqttQos.AT_LEAST_ONCE));
        String deep = topic("dcx/JTjdbENzHh/json/42");

        await(publisher.publish(deep, utf8("deep"), MqttQos.AT_LEAST_ONCE));
        assertThat(events.awaitMessageOn(deep).payload()).isEqualTo(utf8("deep"));
        // "#" also matches its parent level.
        await(publisher.publish("kp1", utf8("parent"), MqttQos.AT_LEAST_ONCE));
        assertThat(events.awaitMessageOn("kp1").payload()).isEqualTo(utf8("parent"));

        String outside = "not" + prefix;
        await(publisher.publish(outside, utf8("outside"), MqttQos.AT_LEAST_ONCE));
        String marker = topic("marker");
        await(publisher.publish(marker, utf8("marker"), MqttQos.AT_LEAST_ONCE));
        assertThat(events.awaitMessage().topic()).isEqualTo(marker);
        assertThat(events.pendingMessages()).extracting(InboundMessage::topic).doesNotContain(outside);
    }

    @Test
    void subscribe_singleLevelWildcardPlus_matchesExactlyOneLevel() throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions(), events);
        MqttTransport publisher = client(tcpOptions(), null);
        await(subscriber.subscribe(prefix + "/dcx/+/json/+/status", MqttQos.AT_LEAST_ONCE));

        String match = topic("dcx/JTjdbENzHh/json/7/status");
        await(publisher.publish(match, utf8("ok"), MqttQos.AT_LEAST_ONCE));
        assertThat(events.awaitMessage().topic()).isEqualTo(match);

        await(publisher.publish(topic("dcx/JTjdbENzHh/json/7/8/status"), utf8("two levels"), MqttQos.AT_LEAST_ONCE));
        await(publisher.publish(topic("dcx/JTjdbENzHh/json/7/error"), utf8("other kind"), MqttQos.AT_LEAST_ONCE));
        await(publisher.publish(topic("dcx/JTjdbENzHh/json/status"), utf8("level missing"), MqttQos.AT_LEAST_ONCE));
        String marker = topic("dcx/other/json/9/status");
        await(publisher.publish(marker, utf8("marker"), MqttQos.AT_LEAST_ONCE));

        assertThat(events.awaitMessage().topic()).isEqualTo(marker);
        assertThat(events.pendingMessages()).isEmpty();
    }

    // ---- refusals and bad arguments

    @Test
    void subscribe_filterTheBrokerRefuses_completesExceptionallyWithTheRefusal() throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions(), events);

        assertThatThrownBy(() -> await(subscriber.subscribe(MqttTestBroker.DENIED_FILTER, MqttQos.AT_LEAST_ONCE)))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(MqttSubscriptionRefusedException.class, r -> {
                    assertThat(r.topicFilter()).isEqualTo(MqttTestBroker.DENIED_FILTER);
                    assertThat(r.reasonCode()).isGreaterThanOrEqualTo(0x80);
                });

        // The client goes on working.
        String t = topic("after-refusal");
        await(subscriber.subscribe(t, MqttQos.AT_LEAST_ONCE));
        await(subscriber.publish(t, utf8("still here"), MqttQos.AT_LEAST_ONCE));
        assertThat(events.awaitMessage().topic()).isEqualTo(t);
    }

    @Test
    void publish_topicWithWildcard_throwsIllegalArgument() throws Exception {
        MqttTransport transport = client(tcpOptions(), null);

        assertThatThrownBy(() -> transport.publish(topic("+/x"), utf8("x"), MqttQos.AT_MOST_ONCE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> transport.publish(topic("#"), utf8("x"), MqttQos.AT_MOST_ONCE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void subscribe_misplacedMultiLevelWildcard_throwsIllegalArgument() throws Exception {
        MqttTransport transport = client(tcpOptions(), null);

        assertThatThrownBy(() -> transport.subscribe("kp1/#/status", MqttQos.AT_MOST_ONCE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void operations_nullArguments_throwNullPointer() throws Exception {
        MqttTransport transport = client(tcpOptions(), null);

        assertThatThrownBy(() -> transport.publish(null, new byte[0], MqttQos.AT_MOST_ONCE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> transport.publish(topic("t"), null, MqttQos.AT_MOST_ONCE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> transport.publish(topic("t"), new byte[0], null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> transport.subscribe(null, MqttQos.AT_MOST_ONCE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> transport.unsubscribe(null)).isInstanceOf(NullPointerException.class);
    }

    // ---- listener failures

    @Test
    void listenerThrows_theClientKeepsDelivering() throws Exception {
        RecordingListener events = new RecordingListener();
        AtomicInteger calls = new AtomicInteger();
        MqttTransport.Listener throwing = new MqttTransport.Listener() {
            @Override
            public void onMessage(InboundMessage message) {
                events.onMessage(message);
                switch (calls.incrementAndGet()) {
                    case 1 -> throw new IllegalStateException("listener bug (expected by the test)");
                    case 2 -> throw new AssertionError("listener error (expected by the test)");
                    default -> {
                    }
                }
            }

            @Override
            public void onConnectionLost(Throwable cause) {
                events.onConnectionLost(cause);
            }
        };
        MqttTransport subscriber = client(tcpOptions(), throwing);
        MqttTransport publisher = client(tcpOptions(), null);
        String t = topic("throwing");
        await(subscriber.subscribe(t, MqttQos.AT_LEAST_ONCE));

        for (int i = 1; i <= 3; i++) {
            await(publisher.publish(t, utf8("m" + i), MqttQos.AT_LEAST_ONCE));
        }

        assertThat(events.awaitMessage().payload()).isEqualTo(utf8("m1"));
        assertThat(events.awaitMessage().payload()).isEqualTo(utf8("m2"));
        assertThat(events.awaitMessage().payload()).isEqualTo(utf8("m3"));
        assertThat(subscriber.isConnected()).isTrue();
        assertThat(events.pendingLosses()).isEmpty();
    }

    // ---- connection events

    @Test
    void connect_firstConnection_reportedAsNewConnectionWithoutSession() throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport transport = client(tcpOptions(), events);

        Connected first = events.awaitConnected();
        assertThat(first.reconnect()).isFalse();
        assertThat(first.session()).isEqualTo(expected(SessionPresence.ABSENT));
        assertThat(transport.isConnected()).isTrue();
    }

    @Test
    void brokerRestart_lossReported_thenReconnectionReportedWithSessionGone() throws Exception {
        RecordingListener events = new RecordingListener();
        MqttTransport subscriber = client(tcpOptions().automaticReconnect(true), events);
        assertThat(events.awaitConnected().reconnect()).isFalse();
        String t = topic("restart");
        await(subscriber.subscribe(t, MqttQos.AT_LEAST_ONCE));

        broker.stop();
        Throwable cause = events.awaitConnectionLost();
        assertThat(cause).isNotNull();
        assertThat(subscriber.isConnected()).isFalse();

        broker.start();
        Connected again = events.awaitConnected();
        assertThat(again.reconnect()).isTrue();
        // The fixture brokers keep sessions in memory only: a restart ends them.
        assertThat(again.session()).isEqualTo(expected(SessionPresence.ABSENT));
        assertThat(subscriber.isConnected()).isTrue();

        // Subscribe again, as the binding does when the session is gone, and traffic flows.
        await(subscriber.subscribe(t, MqttQos.AT_LEAST_ONCE));
        MqttTransport publisher = client(tcpOptions(), null);
        await(publisher.publish(t, utf8("after restart"), MqttQos.AT_LEAST_ONCE));
        assertThat(events.awaitMessageOn(t).payload()).isEqualTo(utf8("after restart"));
    }

    @Test
    void connectionDropped_persistentSession_reconnectionReportsSessionAndSubscriptionsSurvive() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(broker.port(MqttTestBroker.Listener.TCP))) {
            RecordingListener events = new RecordingListener();
            TestClients.Options options = tcpOptions().port(proxy.port()).cleanSession(false).automaticReconnect(true)
                    .clientId("kp1-contract-persistent-" + UUID.randomUUID().toString().substring(0, 8));
            MqttTransport subscriber = client(options, events);
            events.awaitConnected();
            String t = topic("persistent");
            await(subscriber.subscribe(t, MqttQos.AT_LEAST_ONCE));

            proxy.dropConnections();
            assertThat(events.awaitConnectionLost()).isNotNull();

            Connected again = events.awaitConnected();
            assertThat(again.reconnect()).isTrue();
            assertThat(again.session()).isEqualTo(expected(SessionPresence.PRESENT));

            // No new SUBSCRIBE: the broker kept the subscription with the session.
            MqttTransport publisher = client(tcpOptions(), null);
            await(publisher.publish(t, utf8("kept"), MqttQos.AT_LEAST_ONCE));
            assertThat(events.awaitMessageOn(t).payload()).isEqualTo(utf8("kept"));
        }
    }

    @Test
    void connectionDropped_cleanSession_reconnectionReportsSessionAbsent() throws Exception {
        try (TcpProxy proxy = TcpProxy.to(broker.port(MqttTestBroker.Listener.TCP))) {
            RecordingListener events = new RecordingListener();
            MqttTransport transport = client(tcpOptions().port(proxy.port()).automaticReconnect(true), events);
            events.awaitConnected();

            proxy.dropConnections();
            events.awaitConnectionLost();

            Connected again = events.awaitConnected();
            assertThat(again.reconnect()).isTrue();
            assertThat(again.session()).isEqualTo(expected(SessionPresence.ABSENT));
            assertThat(transport.isConnected()).isTrue();
        }
    }

    private SessionPresence expected(SessionPresence truth) {
        return reportsSessionPresence() ? truth : SessionPresence.UNKNOWN;
    }
}
