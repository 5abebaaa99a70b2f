package io.kp1.mqtt.server;

import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.testing.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A device's view of the broker for server tests: keeps every message it receives (unlike
 * {@link RecordingListener#awaitMessageOn}, waiting for one topic drops nothing), so that a test
 * can wait for a reply and then check what else did, or did not, arrive.
 *
 * <pre>{@code
 * Inbox inbox = new Inbox();
 * device = TestClients.connect(kind, options, inbox);
 * device.transport().subscribe("kp1/demo_v1/#", MqttQos.EXACTLY_ONCE).join();
 * InboundMessage reply = inbox.await("kp1/demo_v1/dcx/tok/json/42/status");
 * assertThat(inbox.on("kp1/demo_v1/dcx/tok/json/42/error")).isEmpty();
 * }</pre>
 */
final class Inbox implements MqttTransport.Listener {
    private final List<InboundMessage> messages = new ArrayList<>();

    @Override
    public synchronized void onMessage(InboundMessage message) {
        messages.add(message);
        notifyAll();
    }

    /** The first message on {@code topic}, waiting up to {@link RecordingListener#TIMEOUT}. */
    synchronized InboundMessage await(String topic) throws InterruptedException {
        long deadline = System.nanoTime() + RecordingListener.TIMEOUT.toNanos();
        while (true) {
            for (InboundMessage m : messages) {
                if (m.topic().equals(topic)) {
                    return m;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No message on " + topic + " within " + RecordingListener.TIMEOUT.toMillis()
                        + " ms; received " + topics());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Every message received on {@code topic} so far. */
    synchronized List<InboundMessage> on(String topic) {
        List<InboundMessage> out = new ArrayList<>();
        for (InboundMessage m : messages) {
            if (m.topic().equals(topic)) {
                out.add(m);
            }
        }
        return out;
    }

    /** The topics of every message so far, in order of arrival. */
    synchronized List<String> topics() {
        List<String> out = new ArrayList<>();
        for (InboundMessage m : messages) {
            out.add(m.topic());
        }
        return out;
    }

    static String text(InboundMessage m) {
        return new String(m.payload(), StandardCharsets.UTF_8);
    }
}
