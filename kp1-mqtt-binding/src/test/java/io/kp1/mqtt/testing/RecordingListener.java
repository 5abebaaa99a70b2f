package io.kp1.mqtt.testing;

import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.SessionPresence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MqttTransport.Listener} that records what it is told, for tests to wait on. Waits fail
 * with an {@link AssertionError} after a timeout ({@link #TIMEOUT} unless given).
 *
 * <pre>{@code
 * RecordingListener events = new RecordingListener();
 * transport.setListener(events);
 * transport.subscribe("kp1/#", MqttQos.AT_LEAST_ONCE).join();
 * publisher.publish("kp1/a", bytes, MqttQos.AT_LEAST_ONCE).join();
 * InboundMessage m = events.awaitMessage();
 * events.awaitConnectionLost();           // after broker.stop()
 * RecordingListener.Connected c = events.awaitConnected();
 * }</pre>
 */
public class RecordingListener implements MqttTransport.Listener {
    /** How long a wait lasts by default: generous, for a loaded CI machine. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** An {@code onConnected} call. */
    public record Connected(boolean reconnect, SessionPresence session) {
    }

    private final BlockingQueue<InboundMessage> messages = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> losses = new LinkedBlockingQueue<>();
    private final BlockingQueue<Connected> connections = new LinkedBlockingQueue<>();

    @Override
    public void onMessage(InboundMessage message) {
        messages.add(message);
    }

    @Override
    public void onConnectionLost(Throwable cause) {
        losses.add(cause);
    }

    @Override
    public void onConnected(boolean reconnect, SessionPresence session) {
        connections.add(new Connected(reconnect, session));
    }

    /** The next message, waiting up to {@link #TIMEOUT}. */
    public InboundMessage awaitMessage() {
        return await(messages, TIMEOUT, "message");
    }

    /** The next message, waiting up to {@code timeout}. */
    public InboundMessage awaitMessage(Duration timeout) {
        return await(messages, timeout, "message");
    }

    /** The next message whose topic is {@code topic}, skipping (and dropping) others. */
    public InboundMessage awaitMessageOn(String topic) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            InboundMessage m = await(messages, left.isNegative() ? Duration.ZERO : left, "message on " + topic);
            if (m.topic().equals(topic)) {
                return m;
            }
        }
    }

    /** The cause of the next connection loss. */
    public Throwable awaitConnectionLost() {
        return await(losses, TIMEOUT, "onConnectionLost");
    }

    /** The next {@code onConnected} call. */
    public Connected awaitConnected() {
        return await(connections, TIMEOUT, "onConnected");
    }

    /** The next {@code onConnected} call, waiting up to {@code timeout}. */
    public Connected awaitConnected(Duration timeout) {
        return await(connections, timeout, "onConnected");
    }

    /** Messages received and not yet taken by an await, in order; they stay recorded. */
    public List<InboundMessage> pendingMessages() {
        return new ArrayList<>(messages);
    }

    /** Connection losses reported and not yet taken. */
    public List<Throwable> pendingLosses() {
        return new ArrayList<>(losses);
    }

    /** Connections reported and not yet taken. */
    public List<Connected> pendingConnections() {
        return new ArrayList<>(connections);
    }

    private static <T> T await(BlockingQueue<T> queue, Duration timeout, String what) {
        try {
            T t = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (t == null) {
                throw new AssertionError("No " + what + " within " + timeout.toMillis() + " ms");
            }
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for " + what, e);
        }
    }
}
