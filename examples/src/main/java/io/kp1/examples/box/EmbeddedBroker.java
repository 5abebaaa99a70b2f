package io.kp1.examples.box;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HiveMQ Community Edition embedded in this JVM, with one plain TCP listener on a free loopback
 * port, in-memory persistence and a temporary folder that {@link #close()} deletes. An embedded
 * extension remembers which client published each recent request topic, so that a fault can
 * disconnect the client that is waiting for a reply.
 *
 * <p>HiveMQ's extension services are static: run one embedded broker per JVM at a time.
 * Starting takes a second or two, {@link #close()} about four (HiveMQ's shutdown waits).
 */
final class EmbeddedBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    /** Request topics remembered for {@link #disconnectPublisherOf}; older ones are forgotten. */
    private static final int REMEMBERED_REQUESTS = 8192;

    private final Path dir;
    private final int port;
    private final Publishers publishers = new Publishers();
    private volatile ClientService clients;
    private EmbeddedHiveMQ hivemq;

    private EmbeddedBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a broker and waits until it accepts connections. */
    static EmbeddedBroker start(Duration timeout) {
        Path dir;
        int port = freePort();
        try {
            dir = Files.createTempDirectory("kp1-kaa-in-a-box-");
            for (String d : new String[] {"conf", "data", "extensions"}) {
                Files.createDirectories(dir.resolve(d));
            }
            Files.writeString(dir.resolve("conf/config.xml"), config(port));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the embedded broker's folder", e);
        }
        EmbeddedBroker broker = new EmbeddedBroker(dir, port);
        try {
            broker.run(timeout);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    private void run(Duration timeout) {
        hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions"))
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("kp1-kaa-in-a-box")
                        .withName("Kaa in a box: request publishers")
                        .withVersion("1")
                        .withExtensionMain(new Extension())
                        .build())
                .withoutLoggingBootstrap() // log through the host's SLF4J binding and its settings
                .build();
        try {
            hivemq.start().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the embedded HiveMQ CE", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The embedded HiveMQ CE did not start within " + timeout, e);
        }
        if (!awaitListening(port, Duration.ofSeconds(10))) {
            throw new IllegalStateException("The embedded HiveMQ CE does not listen on 127.0.0.1:" + port);
        }
        LOG.debug("Embedded HiveMQ CE listens on 127.0.0.1:{} (folder {})", port, dir);
    }

    /** The loopback address the listener is bound to. */
    String host() {
        return "127.0.0.1";
    }

    /** The TCP listener's port. */
    int port() {
        return port;
    }

    /**
     * Disconnects the client that published {@code requestTopic} (its last such request), so that
     * it loses its connection while it waits for the reply.
     *
     * @return completes with whether a client was found and disconnected
     */
    CompletableFuture<Boolean> disconnectPublisherOf(String requestTopic) {
        Optional<String> clientId = publishers.take(requestTopic);
        ClientService service = clients;
        if (clientId.isEmpty() || service == null) {
            return CompletableFuture.completedFuture(false);
        }
        return service.disconnectClient(clientId.get());
    }

    /**
     * Deletes the broker's folder but leaves the broker running, to stop with the JVM: for a
     * program that exits right after (HiveMQ's graceful stop takes about four seconds).
     */
    void abandon() {
        hivemq = null;
        deleteFolder();
    }

    @Override
    public void close() {
        if (hivemq != null) {
            try {
                hivemq.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("Stopping the embedded HiveMQ CE failed: {}", e.toString());
            }
            hivemq = null;
        }
        deleteFolder();
    }

    private void deleteFolder() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("Could not delete {}: {}", dir, e.toString());
        }
    }

    private static String config(int port) {
        return "<?xml version=\"1.0\"?>\n<!-- Kaa in a box (kp1-java examples): generated, deleted on close -->\n"
                + "<hivemq>\n"
                + "  <listeners><tcp-listener><port>" + port + "</port><bind-address>127.0.0.1</bind-address>"
                + "<name>kaa-in-a-box</name></tcp-listener></listeners>\n"
                + "  <persistence><mode>in-memory</mode></persistence>\n"
                + "  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n"
                + "</hivemq>\n";
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        }
    }

    private static boolean awaitListening(int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return true;
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    /** Recent request topics and the client that published each; bounded, oldest forgotten first. */
    private static final class Publishers {
        private final Map<String, String> byTopic = new LinkedHashMap<>(256, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > REMEMBERED_REQUESTS;
            }
        };

        synchronized void put(String topic, String clientId) {
            byTopic.put(topic, clientId);
        }

        synchronized Optional<String> take(String topic) {
            return Optional.ofNullable(byTopic.remove(topic));
        }
    }

    /** Records who publishes 1/KP requests (not replies), and keeps the client service. */
    private final class Extension implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            clients = Services.clientService();
            PublishInboundInterceptor recorder = (in, out) -> {
                String topic = in.getPublishPacket().getTopic();
                if (topic.startsWith("kp1/") && !topic.endsWith("/status") && !topic.endsWith("/error")) {
                    publishers.put(topic, in.getClientInformation().getClientId());
                }
            };
            Services.initializerRegistry().setClientInitializer(
                    (initInput, context) -> context.addPublishInboundInterceptor(recorder));
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
            clients = null;
        }
    }
}
