package io.kp1.examples;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import io.kp1.client.Endpoint;
import io.kp1.http.Kp1HttpClient;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.hivemq.HiveMqConnectionEvents;
import io.kp1.mqtt.hivemq.HiveMqTransport;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Where the gateway's {@link Endpoint}s come from. The gateway ({@link Gateway}) only sees
 * {@code Endpoint}s, so it runs unchanged over every transport that hands them out.
 *
 * <pre>{@code
 * try (GatewayTransport t = GatewayTransport.http(HttpClient.newHttpClient(), base, Duration.ofSeconds(10), 16)) {
 *     Endpoint e = t.endpoint("demo_application_v1", "JTjdbENzHh");
 * }
 * }</pre>
 *
 * <p>The choices are the {@link Kind}s: {@link #http} (one {@code Kp1HttpClient}, a request per
 * HTTP exchange, no push) and {@link #mqtt} (one MQTT connection for every endpoint, K10, through
 * kp1-mqtt-binding's {@link Kp1MqttClient}; replies matched by request ID, K4/K5, and server push,
 * K11, so {@link Endpoint#supportsObserve()} is true).
 *
 * <pre>{@code
 * try (GatewayTransport t = GatewayTransport.mqtt(GatewayTransport.MqttConnection.plain("127.0.0.1", 1883),
 *         Duration.ofSeconds(10))) {
 *     Endpoint e = t.endpoint("demo_application_v1", "JTjdbENzHh");   // kp1/demo_application_v1/...
 * }
 * }</pre>
 */
interface GatewayTransport extends AutoCloseable {
    /** The transports a program can be told to use ({@code --transport}). */
    enum Kind {
        /** 1/KP over MQTT with {@link Kp1MqttClient} on one HiveMQ MQTT client connection. */
        MQTT,
        /** 1/KP over HTTP (K12) with {@link Kp1HttpClient}. */
        HTTP;

        /**
         * The kind named {@code name}, case-insensitively.
         *
         * @throws IllegalArgumentException naming the choices
         */
        static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("Unknown transport \"" + name + "\"; choose one of "
                    + Arrays.stream(values()).map(k -> k.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", ")));
        }
    }

    /** Which transport this is; the summary's rows start with its name. */
    Kind kind();

    /** The handle of one endpoint (K10: one gateway, many endpoints). */
    Endpoint endpoint(String appVersion, String endpointToken);

    /** For the programs' output, e.g. {@code "HTTP, Kp1HttpClient -> http://127.0.0.1:8080/kpc"}. */
    String description();

    /** Releases what the transport owns; the default owns nothing. */
    @Override
    default void close() {
    }

    /**
     * 1/KP over HTTP to {@code baseUri} (e.g. {@code https://host/kpc}) on the host's {@code http}
     * client. Requests are blocking sends on a pool of {@code threads} threads that the transport
     * owns (Kp1HttpClient's executor mode: fewer thread hand-offs than {@code sendAsync}); so at
     * most {@code threads} requests are in flight.
     */
    static GatewayTransport http(HttpClient http, URI baseUri, Duration requestTimeout, int threads) {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gateway-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Kp1HttpClient client = Kp1HttpClient.builder(Objects.requireNonNull(http, "http must not be null"), baseUri)
                .requestTimeout(requestTimeout)
                .executor(pool)
                .build();
        return new GatewayTransport() {
            @Override
            public Kind kind() {
                return Kind.HTTP;
            }

            @Override
            public Endpoint endpoint(String appVersion, String endpointToken) {
                return client.endpoint(appVersion, endpointToken);
            }

            @Override
            public String description() {
                return "HTTP, Kp1HttpClient -> " + client.baseUri();
            }

            @Override
            public void close() {
                pool.shutdown();
            }
        };
    }

    /**
     * Where and how to connect to an MQTT broker (K13: TLS, client certificates, credentials).
     *
     * <pre>{@code
     * MqttConnection c = MqttConnection.plain("127.0.0.1", 1883);                  // mqtt://
     * MqttConnection s = MqttConnection.plain("mqtt.example.com", 8883).withTls(trust, null)
     *         .withCredentials("gateway-1", "secret");                             // mqtts:// with a password
     * }</pre>
     *
     * @param host     the broker's host
     * @param port     its port
     * @param tls      whether to use TLS
     * @param trust    CAs to trust (with TLS), or null for the JDK's
     * @param keys     a client certificate to present (with TLS), or null
     * @param username MQTT user name, or null
     * @param password MQTT password, or null
     */
    record MqttConnection(String host, int port, boolean tls, TrustManagerFactory trust, KeyManagerFactory keys,
            String username, String password) {
        public MqttConnection {
            Objects.requireNonNull(host, "host must not be null");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("MQTT port must be 1 to 65535, was " + port);
            }
        }

        /** Plain TCP, anonymous. */
        static MqttConnection plain(String host, int port) {
            return new MqttConnection(host, port, false, null, null, null, null);
        }

        /** The same over TLS; null factories mean the JDK's defaults. */
        MqttConnection withTls(TrustManagerFactory trust, KeyManagerFactory keys) {
            return new MqttConnection(host, port, true, trust, keys, username, password);
        }

        /** The same with a user name and password (CONNECT). */
        MqttConnection withCredentials(String username, String password) {
            return new MqttConnection(host, port, tls, trust, keys, username, password);
        }

        /** For output: {@code mqtts://host:port}, never the password. */
        @Override
        public String toString() {
            return (tls ? "mqtts://" : "mqtt://") + (username == null ? "" : username + "@") + host + ":" + port;
        }
    }

    /**
     * 1/KP over MQTT: connects one HiveMQ MQTT 3.1.1 client (automatic reconnection on) and puts
     * every endpoint on it through a {@link Kp1MqttClient} whose requests end within
     * {@code requestTimeout} (D14). {@link #close()} closes the Kp1MqttClient (ending what is
     * pending), then disconnects.
     *
     * @throws IllegalStateException if the connection fails or takes longer than {@code requestTimeout}
     */
    static GatewayTransport mqtt(MqttConnection connection, Duration requestTimeout) {
        Objects.requireNonNull(connection, "connection must not be null");
        HiveMqConnectionEvents events = new HiveMqConnectionEvents();
        Mqtt3ClientBuilder b = events.addTo(Mqtt3Client.builder()
                .identifier("kp1-gateway-" + UUID.randomUUID().toString().substring(0, 8))
                .serverHost(connection.host())
                .serverPort(connection.port())
                .automaticReconnectWithDefaultConfig());
        if (connection.tls()) {
            b.sslConfig(MqttClientSslConfig.builder()
                    .trustManagerFactory(connection.trust())
                    .keyManagerFactory(connection.keys())
                    .build());
        }
        if (connection.username() != null) {
            b.simpleAuth()
                    .username(connection.username())
                    .password((connection.password() == null ? "" : connection.password())
                            .getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        Mqtt3AsyncClient mqtt = b.buildAsync();
        // Built before connecting, so that no connection event is missed.
        Kp1MqttClient client = Kp1MqttClient.builder(HiveMqTransport.of(mqtt, events))
                .requestTimeout(requestTimeout)
                .build();
        try {
            mqtt.connectWith().cleanSession(true).send().get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
            throw new IllegalStateException("Interrupted while connecting to " + connection, e);
        } catch (ExecutionException | TimeoutException e) {
            client.close();
            mqtt.disconnect();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("Cannot connect to " + connection + ": " + cause, cause);
        }
        return new GatewayTransport() {
            @Override
            public Kind kind() {
                return Kind.MQTT;
            }

            @Override
            public Endpoint endpoint(String appVersion, String endpointToken) {
                return client.endpoint(appVersion, endpointToken);
            }

            @Override
            public String description() {
                return "MQTT, Kp1MqttClient on one HiveMQ client -> " + connection;
            }

            @Override
            public void close() {
                client.close();
                try {
                    mqtt.disconnect().get(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    // Closing anyway.
                }
            }
        };
    }
}
