package io.kp1.examples;

import io.kp1.client.Endpoint;
import io.kp1.http.Kp1HttpClient;
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
 * <p>The choices are the {@link Kind}s. MQTT becomes one when kp1-mqtt-binding's gateway client
 * ({@code Kp1MqttClient}, whose {@code endpoint(appVersion, token)} hands out {@code Endpoint}s)
 * ships: a {@code Kind.MQTT} and a factory {@code mqtt(client, connection)} returning
 * {@code client::endpoint}.
 */
interface GatewayTransport extends AutoCloseable {
    /** The transports a program can be told to use ({@code --transport}). */
    enum Kind {
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
}
