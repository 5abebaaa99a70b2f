package io.kp1.mqtt.testing;

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
import java.util.stream.Stream;

/**
 * A real MQTT broker on loopback for integration tests, which a test can stop and start again on
 * the same ports to simulate an outage. Implementations: {@link MosquittoBroker} (a child process
 * of the Debian {@code mosquitto} package) and {@link HiveMqCeBroker} (HiveMQ Community Edition,
 * embedded).
 *
 * <pre>{@code
 * try (MqttTestBroker broker = MosquittoBroker.launch()) {
 *     int port = broker.port(MqttTestBroker.Listener.TCP);
 *     ...
 *     broker.stop();     // clients lose their connection
 *     broker.start();    // same ports; sessions are gone (no persistence)
 * }
 * }</pre>
 *
 * <p>Every broker offers the same {@link Listener}s with the same rules: anonymous clients on all
 * but {@link Listener#PASSWORD}; subscriptions to {@link #DENIED_FILTER} refused (SUBACK
 * {@code 0x80}, or {@code 0x87} in MQTT 5) on {@link Listener#TCP}; TLS with a server
 * certificate from {@link TlsMaterial#shared()}. Sessions live in memory only, so a restart ends
 * them all.
 */
public interface MqttTestBroker extends AutoCloseable {

    /** A filter the brokers refuse to subscribe to on {@link Listener#TCP}. */
    String DENIED_FILTER = "denied/#";
    /** The user accepted on {@link Listener#PASSWORD}. */
    String USERNAME = "kp1-gateway";
    /** {@link #USERNAME}'s password (test material, not a secret). */
    String PASSWORD = "kp1-test-password";

    /** The kinds of listener every test broker offers, each on its own loopback port. */
    enum Listener {
        /** Plain MQTT over TCP, anonymous. */
        TCP,
        /** MQTT over TLS with the test server certificate, anonymous. */
        TLS,
        /** MQTT over TLS that requires a client certificate signed by the test CA. */
        MUTUAL_TLS,
        /** Plain MQTT over TCP that requires {@link #USERNAME} and {@link #PASSWORD}. */
        PASSWORD,
        /** MQTT over WebSocket (plain), at {@link #WEBSOCKET_PATH}, anonymous. */
        WEBSOCKET
    }

    /** The HTTP path of the WebSocket listener. */
    String WEBSOCKET_PATH = "/mqtt";

    /** The loopback address the brokers listen on. */
    default String host() {
        return InetAddress.getLoopbackAddress().getHostAddress();
    }

    /** The port of {@code listener}; it stays the same across {@link #stop()} and {@link #start()}. */
    int port(Listener listener);

    /**
     * A server URI in Eclipse Paho's form: {@code tcp://}, {@code ssl://} or
     * {@code ws://host:port/mqtt}.
     */
    default String pahoUri(Listener listener) {
        String hostPort = host() + ":" + port(listener);
        return switch (listener) {
            case TCP, PASSWORD -> "tcp://" + hostPort;
            case TLS, MUTUAL_TLS -> "ssl://" + hostPort;
            case WEBSOCKET -> "ws://" + hostPort + WEBSOCKET_PATH;
        };
    }

    /** Starts the broker (again) and waits until every listener accepts connections. */
    void start();

    /** Stops the broker and waits until it is down; its clients lose their connections. */
    void stop();

    /** Whether it runs. */
    boolean isRunning();

    /** Stops and starts again on the same ports. */
    default void restart() {
        stop();
        start();
    }

    /** A short name for test reports, such as {@code "mosquitto"}. */
    String name();

    /** Stops the broker for good and removes its files. */
    @Override
    void close();

    /** A free TCP port on loopback (free now: a broker started soon after is very likely to get it). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until something accepts connections on loopback {@code port}. */
    static boolean awaitListening(int port, Duration timeout) {
        return awaitPort(port, timeout, true);
    }

    /** Waits until nothing accepts connections on loopback {@code port}. */
    static boolean awaitClosed(int port, Duration timeout) {
        return awaitPort(port, timeout, false);
    }

    /** Deletes a broker's temporary folder, best effort. */
    static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }

    private static boolean awaitPort(int port, Duration timeout, boolean listening) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (accepts(port) == listening) {
                return true;
            }
            sleep(20);
        }
        return false;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
