package io.kp1.mqtt.client;

import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.SessionPresence;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * An in-memory {@link MqttTransport} for unit tests of {@code Kp1MqttClient}: the unit-level seam
 * between the client and an MQTT client library. It records publishes, subscriptions and
 * unsubscriptions in one ordered log, completes them at once (or holds SUBACKs and PUBACKs until
 * the test releases them), refuses chosen filters, and delivers messages and connection events to
 * the listener as a client's thread would.
 *
 * <pre>{@code
 * FakeTransport t = new FakeTransport();
 * t.holdSubscriptions(true);
 * Kp1MqttClient client = Kp1MqttClient.builder(t).build();
 * CompletableFuture<Reply> f = client.endpoint("app", "tok").request("dcx", "/json", "[]");
 * t.log();                              // [SUBSCRIBE kp1/app/dcx/tok/json/#]
 * t.releaseSubscriptions();
 * t.log();                              // [..., PUBLISH kp1/app/dcx/tok/json/17 QoS 1]
 * t.deliver(t.lastPublished().topic() + "/status", "ok");
 * }</pre>
 */
final class FakeTransport implements MqttTransport {
    /** One publish call. */
    record Published(String topic, byte[] payload, MqttQos qos, CompletableFuture<Void> future) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<MqttQos>> heldSubscriptions = new CopyOnWriteArrayList<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private volatile Listener listener;
    private volatile boolean connected = true;
    private volatile boolean holdSubscriptions;
    private volatile boolean holdPublishes;
    private volatile boolean failPublishes;

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        published.add(new Published(topic, payload, qos, f));
        log.add("PUBLISH " + topic + " QoS " + qos.code());
        if (!connected || failPublishes) {
            f.completeExceptionally(new IllegalStateException(connected ? "publish refused" : "not connected"));
        } else if (!holdPublishes) {
            f.complete(null);
        }
        return f;
    }

    @Override
    public CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos) {
        log.add("SUBSCRIBE " + topicFilter);
        CompletableFuture<MqttQos> f = new CompletableFuture<>();
        if (!connected) {
            f.completeExceptionally(new IllegalStateException("not connected"));
        } else if (refused.contains(topicFilter)) {
            f.completeExceptionally(new MqttSubscriptionRefusedException(topicFilter, 0x80, null));
        } else if (holdSubscriptions) {
            heldSubscriptions.add(f);
        } else {
            f.complete(qos);
        }
        return f;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        log.add("UNSUBSCRIBE " + topicFilter);
        return connected ? CompletableFuture.completedFuture(null)
                : CompletableFuture.failedFuture(new IllegalStateException("not connected"));
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    Listener listener() {
        return listener;
    }

    /** Holds SUBACKs until {@link #releaseSubscriptions()}. */
    void holdSubscriptions(boolean hold) {
        this.holdSubscriptions = hold;
    }

    /** Completes the held subscriptions, in order. */
    void releaseSubscriptions() {
        List<CompletableFuture<MqttQos>> held = new ArrayList<>(heldSubscriptions);
        heldSubscriptions.clear();
        held.forEach(f -> f.complete(MqttQos.EXACTLY_ONCE));
    }

    /** Holds PUBACKs (publish futures stay pending). */
    void holdPublishes(boolean hold) {
        this.holdPublishes = hold;
    }

    /** Fails every publish while connected. */
    void failPublishes(boolean fail) {
        this.failPublishes = fail;
    }

    /** Refuses subscriptions to {@code filter} (SUBACK 0x80). */
    void refuse(String filter) {
        refused.add(filter);
    }

    /** The operations in call order. */
    List<String> log() {
        return new ArrayList<>(log);
    }

    /** The filters subscribed, in order, repeats included. */
    List<String> subscribed() {
        return log.stream().filter(s -> s.startsWith("SUBSCRIBE ")).map(s -> s.substring(10)).collect(Collectors.toList());
    }

    /** The filters unsubscribed, in order. */
    List<String> unsubscribed() {
        return log.stream().filter(s -> s.startsWith("UNSUBSCRIBE ")).map(s -> s.substring(12)).collect(Collectors.toList());
    }

    List<Published> published() {
        return new ArrayList<>(published);
    }

    Published lastPublished() {
        if (published.isEmpty()) {
            throw new AssertionError("nothing published; log: " + log);
        }
        return published.get(published.size() - 1);
    }

    /** Delivers a message as the client's thread would (not retained, QoS 1). */
    void deliver(String topic, String payload) {
        deliver(new InboundMessage(topic, payload.getBytes(StandardCharsets.UTF_8), MqttQos.AT_LEAST_ONCE, false, false));
    }

    void deliver(InboundMessage m) {
        Listener l = listener;
        if (l != null) {
            l.onMessage(m);
        }
    }

    /** The connection breaks: pending publishes fail, as with Paho. */
    void loseConnection() {
        connected = false;
        for (Published p : published) {
            p.future().completeExceptionally(new IllegalStateException("connection lost"));
        }
        heldSubscriptions.forEach(f -> f.completeExceptionally(new IllegalStateException("connection lost")));
        heldSubscriptions.clear();
        Listener l = listener;
        if (l != null) {
            l.onConnectionLost(new IllegalStateException("connection lost"));
        }
    }

    /** The connection comes back. */
    void reconnect(SessionPresence session) {
        connected = true;
        Listener l = listener;
        if (l != null) {
            l.onConnected(true, session);
        }
    }
}
