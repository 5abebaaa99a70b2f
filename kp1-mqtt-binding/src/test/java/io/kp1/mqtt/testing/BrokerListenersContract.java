package io.kp1.mqtt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.testing.MqttTestBroker.Listener;
import io.kp1.mqtt.testing.TestClients.Kind;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each client kind against each listener of a {@link MqttTestBroker}: plain TCP, TLS with the
 * server certificate, TLS with client certificates (X.509 client authentication), username and
 * password, and WebSocket, with the refusals that go with them. A connection that is accepted must
 * also carry a message both ways (subscribe, publish, receive).
 *
 * <pre>{@code
 * class MyBrokerListenersIT extends BrokerListenersContract {
 *     protected MqttTestBroker startBroker() { return MyBroker.launch(); }
 * }
 * }</pre>
 */
public abstract class BrokerListenersContract extends BrokerPerClass<MqttTestBroker> {
    /** For subclasses, one per adapter or broker. */
    protected BrokerListenersContract() {
    }

    /** Connects, subscribes, publishes to itself and checks the message came back. */
    private void assertRoundTrip(Kind kind, TestClients.Options options) throws Exception {
        RecordingListener events = new RecordingListener();
        try (TestClients.Connected c = TestClients.connect(kind, options, events)) {
            MqttTransport t = c.transport();
            String topic = "kp1/listeners_v1/dcx/" + UUID.randomUUID().toString().substring(0, 10) + "/json";
            t.subscribe(topic, MqttQos.AT_LEAST_ONCE).get(15, TimeUnit.SECONDS);
            t.publish(topic, "over the wire".getBytes(StandardCharsets.UTF_8), MqttQos.AT_LEAST_ONCE)
                    .get(15, TimeUnit.SECONDS);
            InboundMessage m = events.awaitMessage();
            assertThat(m.topic()).isEqualTo(topic);
            assertThat(m.payload()).isEqualTo("over the wire".getBytes(StandardCharsets.UTF_8));
        }
    }

    private void assertRefused(Kind kind, TestClients.Options options) {
        assertThatThrownBy(() -> TestClients.connect(kind, options, null).close())
                .as("%s must not connect with %s", kind, options)
                .isInstanceOf(Exception.class);
    }

    private TestClients.Options options(Listener listener) {
        return TestClients.options(broker, listener);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void tcp_anonymous_connectsAndRoundTrips(Kind kind) throws Exception {
        assertRoundTrip(kind, options(Listener.TCP));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void tls_serverCertificateFromTrustedCa_connectsAndRoundTrips(Kind kind) throws Exception {
        assertRoundTrip(kind, options(Listener.TLS));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void tls_serverCertificateFromUntrustedCa_refusedByTheClient(Kind kind) {
        assertRefused(kind, options(Listener.TLS).trust(TlsMaterial.shared().rogueTrust()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void mutualTls_clientCertificateFromTrustedCa_connectsAndRoundTrips(Kind kind) throws Exception {
        assertRoundTrip(kind, options(Listener.MUTUAL_TLS));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void mutualTls_clientCertificateFromUntrustedCa_refusedByTheBroker(Kind kind) {
        assertRefused(kind, options(Listener.MUTUAL_TLS).keys(TlsMaterial.shared().rogueClientKeys()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void mutualTls_expiredClientCertificateFromTrustedCa_refusedByTheBroker_K13(Kind kind) {
        assertRefused(kind, options(Listener.MUTUAL_TLS).keys(TlsMaterial.shared().expiredClientKeys()));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void mutualTls_noClientCertificate_refusedByTheBroker(Kind kind) {
        assertRefused(kind, options(Listener.MUTUAL_TLS).keys(null));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void password_rightCredentials_connectsAndRoundTrips(Kind kind) throws Exception {
        assertRoundTrip(kind, options(Listener.PASSWORD));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void password_wrongPassword_refused(Kind kind) {
        assertRefused(kind, options(Listener.PASSWORD).credentials(MqttTestBroker.USERNAME, "not-the-password"));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void password_noCredentials_refused(Kind kind) {
        assertRefused(kind, options(Listener.PASSWORD).credentials(null, null));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void websocket_anonymous_connectsAndRoundTrips(Kind kind) throws Exception {
        assertRoundTrip(kind, options(Listener.WEBSOCKET));
    }
}
