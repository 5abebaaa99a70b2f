package io.kp1.examples.box;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.sun.net.httpserver.HttpServer;
import io.kp1.extension.cep.Commands;
import io.kp1.extension.cmp.Configuration;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.extension.epmp.Metadata;
import io.kp1.http.Kp1HttpHandler;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.hivemq.HiveMqConnectionEvents;
import io.kp1.mqtt.hivemq.HiveMqTransport;
import io.kp1.server.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Kaa in a box": an in-process 1/KP server with the four extension services of Kaa (2/DCP
 * {@code dcx}, 10/EPMP {@code epmx}, 7/CMP {@code cmx}, 11/CEP {@code cex}) over in-memory stores,
 * built only from kp1-java, served over MQTT (an embedded HiveMQ CE broker and
 * {@link Kp1MqttServer}) and over HTTP (the JDK HTTP server and {@link Kp1HttpHandler}). For
 * demos, and as a test fixture for code that talks 1/KP: a gateway, a device program, a client
 * library. Every reply can be dropped, duplicated, delayed, reordered or replaced by a
 * disconnection ({@link Faults}).
 *
 * <pre>{@code
 * try (KaaInABox box = KaaInABox.builder().start()) {
 *     URI base = box.httpBaseUri();                            // http://127.0.0.1:<port>/kpc
 *     String broker = box.mqttHost() + ":" + box.mqttPort();   // 127.0.0.1:<port>, plain TCP
 *
 *     Endpoint kettle = Kp1HttpClient.builder(HttpClient.newHttpClient(), base).build()
 *             .endpoint("smart_kettle_v1", "JTjdbENzHh");
 *     DataCollection.on(kettle).push(Map.of("temperature", 97)).join();
 *     box.data().samples("JTjdbENzHh");                        // [{"temperature":97}]
 *
 *     box.configurations().set("JTjdbENzHh", newConfig);       // pushed to MQTT observers (K11)
 *     CompletableFuture<CommandResult> r = box.commands().enqueue("JTjdbENzHh", "reboot", payload);
 *
 *     box.faults(Faults.always(Fault.drop()));                 // from now on, every reply is lost
 * }
 * }</pre>
 *
 * <p>Everything listens on loopback only, on free ports; the broker's files live in a temporary
 * folder that {@link #close()} deletes. The broker accepts any client without authentication.
 * HiveMQ's extension services are static, so run one box with MQTT per JVM at a time. Starting
 * takes a second or two; closing about four seconds with MQTT (the broker's shutdown).
 *
 * <p>HTTP: the box sets {@code sun.net.httpserver.nodelay=true} unless it is set already (without
 * TCP_NODELAY the JDK server makes every response with a body wait ~40 ms for a delayed ACK).
 */
public final class KaaInABox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KaaInABox.class);
    /** The HTTP context path: the base of {@code POST <base>/kp1/...} (K12). */
    public static final String HTTP_CONTEXT = "/kpc";

    /**
     * How many replies met each fault since the box started.
     *
     * @param passed       replies sent unchanged
     * @param dropped      replies lost
     * @param duplicated   replies sent twice (MQTT; HTTP sends them once)
     * @param delayed      replies sent late
     * @param reordered    replies overtaken by the next one (MQTT; HTTP sends them in place)
     * @param disconnected replies replaced by a disconnection
     */
    public record FaultCounters(long passed, long dropped, long duplicated, long delayed, long reordered,
            long disconnected) {
        /** Every reply the box decided a fault for, {@code passed} included. */
        public long total() {
            return passed + dropped + duplicated + delayed + reordered + disconnected;
        }
    }

    private final FaultInjector injector;
    private final InMemoryData data = new InMemoryData();
    private final InMemoryMetadata metadata = new InMemoryMetadata();
    private final InMemoryConfigurations configurations = new InMemoryConfigurations();
    private final InMemoryCommands commands = new InMemoryCommands();
    private final Router router;
    private EmbeddedBroker broker;
    private Mqtt5AsyncClient mqttClient;
    private Kp1MqttServer mqttServer;
    private HttpServer httpServer;
    private ExecutorService httpPool;
    private FaultyHttpHandler httpHandler;

    private KaaInABox(Builder b) {
        injector = new FaultInjector(b.faults, b.reorderWindow);
        if (b.defaultConfiguration != null) {
            configurations.setDefault(b.defaultConfiguration);
        }
        Router.Builder rb = Router.builder();
        DataCollection.routes(data).addTo(rb);
        Metadata.routes(metadata).addTo(rb);
        Configuration.routes(configurations).addTo(rb);
        Commands.routes(commands).addTo(rb);
        router = rb.build();
    }

    /** A builder: MQTT and HTTP on, no faults. */
    public static Builder builder() {
        return new Builder();
    }

    private void startMqtt(Duration timeout) {
        broker = EmbeddedBroker.start(timeout);
        HiveMqConnectionEvents events = new HiveMqConnectionEvents();
        mqttClient = events.addTo(Mqtt5Client.builder()
                        .identifier("kaa-in-a-box-" + broker.port())
                        .serverHost(broker.host())
                        .serverPort(broker.port()))
                .buildAsync();
        MqttTransport transport = new FaultyTransport(HiveMqTransport.of(mqttClient, events), injector,
                broker::disconnectPublisherOf);
        mqttServer = Kp1MqttServer.builder(transport, router).build();
        try {
            mqttClient.connectWith().cleanStart(true).send().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            mqttServer.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting Kaa in a box", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kaa in a box's MQTT server did not start", e);
        }
        Pusher pusher = (topic, payload) -> transport.publish(topic, payload, MqttQos.AT_LEAST_ONCE)
                .whenComplete((v, t) -> {
                    if (t != null) {
                        LOG.debug("A push failed: {}", t.toString());
                    }
                });
        configurations.pusher(pusher);
        commands.pusher(pusher);
    }

    private void startHttp() {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            httpServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Kaa in a box cannot open its HTTP port", e);
        }
        AtomicInteger n = new AtomicInteger();
        httpPool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "kaa-in-a-box-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        httpServer.setExecutor(httpPool);
        httpHandler = new FaultyHttpHandler(Kp1HttpHandler.of(router), injector);
        httpServer.createContext(HTTP_CONTEXT, httpHandler);
        httpServer.start();
    }

    /** The 2/DCP samples received. */
    public InMemoryData data() {
        return data;
    }

    /** The 10/EPMP metadata of every endpoint. */
    public InMemoryMetadata metadata() {
        return metadata;
    }

    /** The 7/CMP configurations; change one to see an endpoint pick it up. */
    public InMemoryConfigurations configurations() {
        return configurations;
    }

    /** The 11/CEP commands; enqueue one and wait for its result. */
    public InMemoryCommands commands() {
        return commands;
    }

    /** The router that serves both transports. */
    public Router router() {
        return router;
    }

    /** Whether the box serves MQTT. */
    public boolean hasMqtt() {
        return broker != null;
    }

    /** Whether the box serves HTTP. */
    public boolean hasHttp() {
        return httpServer != null;
    }

    /**
     * The broker's host, {@code 127.0.0.1}.
     *
     * @throws IllegalStateException if the box was built without MQTT
     */
    public String mqttHost() {
        return requireMqtt().host();
    }

    /**
     * The broker's plain TCP port (anonymous clients, MQTT 3.1.1 and 5).
     *
     * @throws IllegalStateException if the box was built without MQTT
     */
    public int mqttPort() {
        return requireMqtt().port();
    }

    /**
     * The broker as a URI, {@code tcp://127.0.0.1:<port>} (the form Eclipse Paho takes).
     *
     * @throws IllegalStateException if the box was built without MQTT
     */
    public URI mqttUri() {
        return URI.create("tcp://" + mqttHost() + ":" + mqttPort());
    }

    /**
     * The HTTP base URI, {@code http://127.0.0.1:<port>/kpc}: requests go to
     * {@code <base>/kp1/<appVersion>/<extension>/<token>/<resource>} (K12).
     *
     * @throws IllegalStateException if the box was built without HTTP
     */
    public URI httpBaseUri() {
        if (httpServer == null) {
            throw new IllegalStateException("This Kaa in a box serves no HTTP (see Builder.http)");
        }
        return URI.create("http://127.0.0.1:" + httpServer.getAddress().getPort() + HTTP_CONTEXT);
    }

    /** The MQTT server's counters (received, routed, replied, errors, ...). */
    public Kp1MqttServer.Counters mqttCounters() {
        requireMqtt();
        return mqttServer.counters();
    }

    /** Replaces the fault plan; replies decided from now on follow it. */
    public void faults(Faults faults) {
        injector.faults(faults);
    }

    /** The current fault plan. */
    public Faults faults() {
        return injector.faults();
    }

    /** How many replies met each fault, both transports together. */
    public FaultCounters faultCounters() {
        return injector.counters();
    }

    private EmbeddedBroker requireMqtt() {
        if (broker == null) {
            throw new IllegalStateException("This Kaa in a box serves no MQTT (see Builder.mqtt)");
        }
        return broker;
    }

    /**
     * Stops serving and releases everything: the MQTT server, its connection and the broker (and
     * its folder), the HTTP server, and responses held back by faults. Idempotent.
     */
    @Override
    public void close() {
        close(false);
    }

    /**
     * Like {@link #close()}, but leaves the embedded broker to stop with the JVM, and deletes its
     * folder now: for a program that exits right after ({@link #close()} waits about four seconds
     * for the broker's graceful stop). Not for tests: the broker keeps its port until the JVM
     * exits.
     */
    public void closeForExit() {
        close(true);
    }

    private synchronized void close(boolean exiting) {
        if (mqttServer != null) {
            mqttServer.close();
            mqttServer = null;
        }
        if (mqttClient != null) {
            try {
                mqttClient.disconnect().get(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("Disconnecting Kaa in a box's MQTT client failed: {}", e.toString());
            }
            mqttClient = null;
        }
        if (httpServer != null) {
            httpServer.stop(0);
            httpHandler.close();
            httpPool.shutdownNow();
            httpServer = null;
        }
        injector.close();
        if (broker != null) {
            if (exiting) {
                broker.abandon();
            } else {
                broker.close();
            }
            broker = null;
        }
    }

    @Override
    public String toString() {
        return "KaaInABox[" + (broker != null ? "mqtt " + mqttHost() + ":" + mqttPort() : "no mqtt") + ", "
                + (httpServer != null ? "http " + httpBaseUri() : "no http") + ", " + injector.faults() + "]";
    }

    /**
     * Builds and starts a {@link KaaInABox}; not thread-safe.
     *
     * <pre>{@code
     * KaaInABox box = KaaInABox.builder()
     *         .mqtt(false)                                           // HTTP only: starts in milliseconds
     *         .defaultConfiguration(json)                            // every endpoint's first configuration
     *         .faults(Faults.builder().seed(3).drop(0.1).build())
     *         .start();
     * }</pre>
     */
    public static final class Builder {
        private boolean mqtt = true;
        private boolean http = true;
        private Faults faults = Faults.none();
        private Duration reorderWindow = Duration.ofSeconds(1);
        private Duration startTimeout = Duration.ofSeconds(60);
        private JsonNode defaultConfiguration;

        private Builder() {
        }

        /** Whether to serve MQTT through an embedded broker; on by default. */
        public Builder mqtt(boolean mqtt) {
            this.mqtt = mqtt;
            return this;
        }

        /** Whether to serve HTTP; on by default. */
        public Builder http(boolean http) {
            this.http = http;
            return this;
        }

        /** The fault plan to start with; {@link Faults#none()} by default. */
        public Builder faults(Faults faults) {
            this.faults = Objects.requireNonNull(faults, "faults must not be null");
            return this;
        }

        /**
         * How long a {@link Fault.Kind#REORDER reordered} reply waits at most for a later reply to
         * overtake it; one second by default.
         */
        public Builder reorderWindow(Duration window) {
            Objects.requireNonNull(window, "window must not be null");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("reorderWindow must be positive, was " + window);
            }
            this.reorderWindow = window;
            return this;
        }

        /** How long the broker and the MQTT server may take to start; a minute by default. */
        public Builder startTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout must not be null");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + timeout);
            }
            this.startTimeout = timeout;
            return this;
        }

        /** The configuration every endpoint gets until one of its own is set; none by default. */
        public Builder defaultConfiguration(JsonNode config) {
            this.defaultConfiguration = Objects.requireNonNull(config, "config must not be null");
            return this;
        }

        /**
         * Starts the box: the broker and the MQTT server (after every SUBACK), then the HTTP server.
         *
         * @throws IllegalStateException if the broker or the MQTT server does not start in time
         */
        public KaaInABox start() {
            KaaInABox box = new KaaInABox(this);
            try {
                if (mqtt) {
                    box.startMqtt(startTimeout);
                }
                if (http) {
                    box.startHttp();
                }
            } catch (RuntimeException e) {
                box.close();
                throw e;
            }
            return box;
        }
    }
}
