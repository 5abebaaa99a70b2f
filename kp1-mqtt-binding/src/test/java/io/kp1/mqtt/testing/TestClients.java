package io.kp1.mqtt.testing;

import com.hivemq.client.mqtt.MqttClientBuilderBase;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.hivemq.HiveMqConnectionEvents;
import io.kp1.mqtt.hivemq.HiveMqTransport;
import io.kp1.mqtt.paho.PahoTransport;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Connected test clients of each supported kind with their {@link MqttTransport}, configured the
 * way a host would: for a {@link MqttTestBroker} listener, with TLS material, credentials, session
 * and reconnect settings. The transport is created and its listener set before the client
 * connects, so that the first {@code onConnected} is seen.
 *
 * <pre>{@code
 * TestClients.Options options = TestClients.options(broker, MqttTestBroker.Listener.MUTUAL_TLS)
 *         .automaticReconnect(true);
 * try (TestClients.Connected c = TestClients.connect(TestClients.Kind.HIVEMQ_5, options, listener)) {
 *     c.transport().publish("kp1/a", payload, MqttQos.AT_LEAST_ONCE).join();
 * }
 * }</pre>
 *
 * <p>Automatic reconnect is tuned for tests: Paho retries every second (its maximum delay set to
 * 1 s), the HiveMQ client from 100 ms up to 1 s.
 */
public final class TestClients {
    private static final long CONNECT_TIMEOUT_SECONDS = 15;

    private TestClients() {
    }

    /** The client libraries the adapters support. */
    public enum Kind {
        /** Eclipse Paho 1.2.5, MQTT 3.1.1, through {@code PahoTransport}. */
        PAHO,
        /** HiveMQ MQTT Client, MQTT 3.1.1, through {@code HiveMqTransport}. */
        HIVEMQ_3,
        /** HiveMQ MQTT Client, MQTT 5, through {@code HiveMqTransport}. */
        HIVEMQ_5
    }

    /** How the network is spoken: the URI scheme, in Paho's terms. */
    public enum Wire {
        /** MQTT over TCP. */
        TCP,
        /** MQTT over TLS. */
        TLS,
        /** MQTT over WebSocket at {@link MqttTestBroker#WEBSOCKET_PATH}. */
        WEBSOCKET
    }

    /**
     * What a test client connects with; immutable, each setter returns a copy.
     *
     * @param host the broker host
     * @param port the broker port
     * @param wire TCP, TLS or WebSocket
     * @param trust the trusted CAs for TLS, or null for the JDK's
     * @param keys the client certificate for TLS, or null for none
     * @param username the user name, or null
     * @param password the password, or null
     * @param clientId the MQTT client identifier
     * @param cleanSession whether to start a clean session (MQTT 5: clean start, session expiry 0)
     * @param automaticReconnect whether the client reconnects by itself after a loss
     */
    public record Options(String host, int port, Wire wire, TrustManagerFactory trust, KeyManagerFactory keys,
                          String username, String password, String clientId, boolean cleanSession,
                          boolean automaticReconnect) {

        /** Plain TCP to {@code host:port}, anonymous, clean session, no automatic reconnect, random client id. */
        public static Options tcp(String host, int port) {
            return new Options(host, port, Wire.TCP, null, null, null, null,
                    "kp1-test-" + UUID.randomUUID().toString().substring(0, 8), true, false);
        }

        /** A copy for another port (through a {@link TcpProxy}, say). */
        public Options port(int port) {
            return new Options(host, port, wire, trust, keys, username, password, clientId, cleanSession, automaticReconnect);
        }

        /** A copy with this wire. */
        public Options wire(Wire wire) {
            return new Options(host, port, wire, trust, keys, username, password, clientId, cleanSession, automaticReconnect);
        }

        /** A copy with this TLS trust. */
        public Options trust(TrustManagerFactory trust) {
            return new Options(host, port, wire, trust, keys, username, password, clientId, cleanSession, automaticReconnect);
        }

        /** A copy with this client certificate (null: none). */
        public Options keys(KeyManagerFactory keys) {
            return new Options(host, port, wire, trust, keys, username, password, clientId, cleanSession, automaticReconnect);
        }

        /** A copy with these credentials (null: none). */
        public Options credentials(String username, String password) {
            return new Options(host, port, wire, trust, keys, username, password, clientId, cleanSession, automaticReconnect);
        }

        /** A copy with this client id. */
        public Options clientId(String clientId) {
            return new Options(host, port, wire, trust, keys, username, password, clientId, cleanSession, automaticReconnect);
        }

        /** A copy with this session choice. */
        public Options cleanSession(boolean cleanSession) {
            return new Options(host, port, wire, trust, keys, username, password, clientId, cleanSession, automaticReconnect);
        }

        /** A copy with this reconnect choice. */
        public Options automaticReconnect(boolean automaticReconnect) {
            return new Options(host, port, wire, trust, keys, username, password, clientId, cleanSession, automaticReconnect);
        }
    }

    /** Options for {@code listener} of {@code broker}, with the credentials or certificates it asks for. */
    public static Options options(MqttTestBroker broker, MqttTestBroker.Listener listener) {
        Options o = Options.tcp(broker.host(), broker.port(listener));
        TlsMaterial tls = TlsMaterial.shared();
        return switch (listener) {
            case TCP -> o;
            case PASSWORD -> o.credentials(MqttTestBroker.USERNAME, MqttTestBroker.PASSWORD);
            case TLS -> o.wire(Wire.TLS).trust(tls.caTrust());
            case MUTUAL_TLS -> o.wire(Wire.TLS).trust(tls.caTrust()).keys(tls.clientKeys());
            case WEBSOCKET -> o.wire(Wire.WEBSOCKET);
        };
    }

    /**
     * A connected client and its transport; closing disconnects and releases the client.
     *
     * @param transport the adapter over the client
     * @param client the client itself ({@code MqttAsyncClient}, {@code Mqtt3AsyncClient} or {@code Mqtt5AsyncClient})
     * @param closer disconnects and releases the client
     */
    public record Connected(MqttTransport transport, Object client, AutoCloseable closer) implements AutoCloseable {
        @Override
        public void close() {
            try {
                closer.close();
            } catch (Exception e) {
                // Best effort: the broker may be down already.
            }
        }
    }

    /**
     * Creates a client of {@code kind}, wraps it in its transport, sets {@code listener} (may be
     * null), and connects, waiting for CONNACK.
     *
     * @throws Exception whatever the client throws when the connection is refused
     */
    public static Connected connect(Kind kind, Options options, MqttTransport.Listener listener) throws Exception {
        Objects.requireNonNull(options, "options");
        return switch (kind) {
            case PAHO -> paho(options, listener);
            case HIVEMQ_3 -> hiveMq3(options, listener);
            case HIVEMQ_5 -> hiveMq5(options, listener);
        };
    }

    private static Connected paho(Options o, MqttTransport.Listener listener) throws Exception {
        String scheme = switch (o.wire()) {
            case TCP -> "tcp://";
            case TLS -> "ssl://";
            case WEBSOCKET -> "ws://";
        };
        String uri = scheme + o.host() + ":" + o.port() + (o.wire() == Wire.WEBSOCKET ? MqttTestBroker.WEBSOCKET_PATH : "");
        MqttAsyncClient client = new MqttAsyncClient(uri, o.clientId(), new MemoryPersistence());
        MqttTransport transport = PahoTransport.of(client);
        transport.setListener(listener);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(o.cleanSession());
        options.setAutomaticReconnect(o.automaticReconnect());
        options.setMaxReconnectDelay(1000);
        options.setConnectionTimeout((int) CONNECT_TIMEOUT_SECONDS);
        options.setMaxInflight(1000);
        if (o.wire() == Wire.TLS) {
            options.setSocketFactory(TlsMaterial.shared().clientContext(o.trust(), o.keys()).getSocketFactory());
        }
        if (o.username() != null) {
            options.setUserName(o.username());
            options.setPassword(o.password() == null ? new char[0] : o.password().toCharArray());
        }
        AutoCloseable closer = () -> {
            try {
                if (client.isConnected()) {
                    client.disconnect(0).waitForCompletion(5000);
                } else {
                    client.disconnectForcibly(0, 100, false);
                }
            } catch (Exception e) {
                // Down already, or reconnecting: close(true) below ends it.
            }
            client.close(true);
        };
        return connectOrClose(new Connected(transport, client, closer),
                () -> client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_SECONDS)));
    }

    private static Connected hiveMq5(Options o, MqttTransport.Listener listener) throws Exception {
        HiveMqConnectionEvents events = new HiveMqConnectionEvents();
        Mqtt5AsyncClient client = hiveMqBuilder(events.addTo(Mqtt5Client.builder()), o).buildAsync();
        MqttTransport transport = HiveMqTransport.of(client, events);
        transport.setListener(listener);
        return connectOrClose(new Connected(transport, client, () -> client.disconnect().get(5, TimeUnit.SECONDS)), () -> {
            var connect = client.connectWith().cleanStart(o.cleanSession()).sessionExpiryInterval(o.cleanSession() ? 0 : 3600);
            if (o.username() != null) {
                connect = connect.simpleAuth().username(o.username())
                        .password(bytes(o.password())).applySimpleAuth();
            }
            connect.send().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        });
    }

    private static Connected hiveMq3(Options o, MqttTransport.Listener listener) throws Exception {
        HiveMqConnectionEvents events = new HiveMqConnectionEvents();
        Mqtt3AsyncClient client = hiveMqBuilder(events.addTo(Mqtt3Client.builder()), o).buildAsync();
        MqttTransport transport = HiveMqTransport.of(client, events);
        transport.setListener(listener);
        return connectOrClose(new Connected(transport, client, () -> client.disconnect().get(5, TimeUnit.SECONDS)), () -> {
            var connect = client.connectWith().cleanSession(o.cleanSession());
            if (o.username() != null) {
                connect = connect.simpleAuth().username(o.username())
                        .password(bytes(o.password())).applySimpleAuth();
            }
            connect.send().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        });
    }

    /** Connects; if that fails, closes the client before rethrowing. */
    private static Connected connectOrClose(Connected connected, ConnectAction connect) throws Exception {
        try {
            connect.run();
        } catch (Exception e) {
            closeQuietly(connected.closer());
            throw e;
        }
        return connected;
    }

    @FunctionalInterface
    private interface ConnectAction {
        void run() throws Exception;
    }

    /**
     * Identity, address, TLS, WebSocket and reconnect settings, shared by the MQTT 3 and 5 builders
     * (whose connect and auth types differ).
     */
    private static <B extends MqttClientBuilderBase<B>> B hiveMqBuilder(B builder, Options o) {
        B b = builder.identifier(o.clientId()).serverHost(o.host()).serverPort(o.port());
        if (o.wire() == Wire.TLS) {
            MqttClientSslConfigBuilder.Nested<? extends B> s = b.sslConfig();
            if (o.trust() != null) {
                s = s.trustManagerFactory(o.trust());
            }
            if (o.keys() != null) {
                s = s.keyManagerFactory(o.keys());
            }
            b = s.applySslConfig();
        } else if (o.wire() == Wire.WEBSOCKET) {
            b = b.webSocketConfig().serverPath(MqttTestBroker.WEBSOCKET_PATH.substring(1)).applyWebSocketConfig();
        }
        if (o.automaticReconnect()) {
            b = b.automaticReconnect().initialDelay(100, TimeUnit.MILLISECONDS).maxDelay(1, TimeUnit.SECONDS)
                    .applyAutomaticReconnect();
        }
        return b;
    }

    private static byte[] bytes(String s) {
        return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Best effort.
        }
    }
}
