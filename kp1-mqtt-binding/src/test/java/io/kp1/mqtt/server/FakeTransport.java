package io.kp1.mqtt.server;

import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.SessionPresence;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory {@link MqttTransport} for unit tests of {@code Kp1MqttServer}: the unit-level seam
 * between the server and an MQTT client. It records publishes, subscriptions and unsubscriptions,
 * lets the test complete them (at once by default, or held until released), and delivers messages
 * and connection events to the listener as a client's thread would.
 *
 * <pre>{@code
 * FakeTransport t = new FakeTransport();
 * Kp1MqttServer server = Kp1MqttServer.builder(t, router).build();
 * server.start().join();
 * t.deliver("kp1/app/dcx/tok/json/42", "[]", MqttQos.AT_LEAST_ONCE);
 * t.published();   // [Published[kp1/app/dcx/tok/json/42/status, "", QoS 1]]
 * }</pre>
 */
final class FakeTransport implements MqttTransport {
    /** One publish call. */
    record Published(String topic, byte[] payload, MqttQos qos, CompletableFuture<Void> future) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Published[" + topic + ", \"" + text() + "\", QoS " + qos.code() + "]";
        }
    }

    private final List<Published> published = new CopyOnWriteArrayList<>();
    private final List<String> subscribed = new CopyOnWriteArrayList<>();
    private final List<String> subscribedNoLocal = new CopyOnWriteArrayList<>();
    private final List<String> unsubscribed = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<MqttQos>> heldSubscriptions = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> heldUnsubscriptions = new CopyOnWriteArrayList<>();
    private final Set<String> refused = new HashSet<>();
    private volatile Listener listener;
    private volatile boolean holdPublishes;
    private volatile boolean holdSubscriptions;
    private volatile boolean holdUnsubscriptions;
    private volatile MqttQos grantCap = MqttQos.EXACTLY_ONCE;
    private volatile RuntimeException publishThrows;

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos) {
        RuntimeException t = publishThrows;
        if (t != null) {
            throw t;
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        published.add(new Published(topic, payload, qos, f));
        if (!holdPublishes) {
            f.complete(null);
        }
        return f;
    }

    @Override
    public CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos) {
        subscribed.add(topicFilter);
        CompletableFuture<MqttQos> f = new CompletableFuture<>();
        if (refused.contains(topicFilter)) {
            f.completeExceptionally(new MqttSubscriptionRefusedException(topicFilter, 0x80, null));
        } else if (holdSubscriptions) {
            heldSubscriptions.add(f);
        } else {
            f.complete(qos.min(grantCap));
        }
        return f;
    }

    /** Records the filter as asked with No Local, then subscribes as MQTT 3.1.1 clients do. */
    @Override
    public CompletableFuture<MqttQos> subscribeNoLocal(String topicFilter, MqttQos qos) {
        CompletableFuture<MqttQos> f = MqttTransport.super.subscribeNoLocal(topicFilter, qos);
        subscribedNoLocal.add(topicFilter);
        return f;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        unsubscribed.add(topicFilter);
        CompletableFuture<Void> f = new CompletableFuture<>();
        if (holdUnsubscriptions) {
            heldUnsubscriptions.add(f);
        } else {
            f.complete(null);
        }
        return f;
    }

    @Override
    public void setListener(Listener listener) {
        this.listener = listener;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    Listener listener() {
        return listener;
    }

    /** Delivers a message as the client's thread would (to the current listener, if any). */
    void deliver(String topic, String payload, MqttQos qos) {
        deliver(new InboundMessage(topic, payload.getBytes(StandardCharsets.UTF_8), qos, false, false));
    }

    void deliver(InboundMessage m) {
        Listener l = listener;
        if (l != null) {
            l.onMessage(m);
        }
    }

    void connected(boolean reconnect, SessionPresence session) {
        listener.onConnected(reconnect, session);
    }

    void connectionLost(Throwable cause) {
        listener.onConnectionLost(cause);
    }

    /** Publishes, subscriptions or unsubscriptions from now on wait for {@link #releaseAll()}. */
    void holdPublishes(boolean hold) {
        holdPublishes = hold;
    }

    void holdSubscriptions(boolean hold) {
        holdSubscriptions = hold;
    }

    void holdUnsubscriptions(boolean hold) {
        holdUnsubscriptions = hold;
    }

    /** The broker refuses this filter (SUBACK 0x80). */
    void refuse(String filter) {
        refused.add(filter);
    }

    /** The broker grants at most this QoS. */
    void grantAtMost(MqttQos qos) {
        grantCap = qos;
    }

    /** {@code publish} throws this (null: it does not). */
    void publishThrows(RuntimeException e) {
        publishThrows = e;
    }

    /** Completes every held subscription (with the asked QoS capped), unsubscription and publish. */
    void releaseAll() {
        for (CompletableFuture<MqttQos> f : heldSubscriptions) {
            f.complete(grantCap);
        }
        heldSubscriptions.clear();
        for (CompletableFuture<Void> f : heldUnsubscriptions) {
            f.complete(null);
        }
        heldUnsubscriptions.clear();
        for (Published p : published) {
            p.future().complete(null);
        }
    }

    List<Published> published() {
        return new ArrayList<>(published);
    }

    List<String> publishedTopics() {
        List<String> topics = new ArrayList<>();
        for (Published p : published) {
            topics.add(p.topic());
        }
        return topics;
    }

    Published lastPublished() {
        if (published.isEmpty()) {
            throw new AssertionError("Nothing was published");
        }
        return published.get(published.size() - 1);
    }

    List<String> subscribed() {
        return new ArrayList<>(subscribed);
    }

    /** The filters of {@link #subscribed()} that were asked with No Local. */
    List<String> subscribedNoLocal() {
        return new ArrayList<>(subscribedNoLocal);
    }

    List<String> unsubscribed() {
        return new ArrayList<>(unsubscribed);
    }

    void clearRecords() {
        published.clear();
        subscribed.clear();
        subscribedNoLocal.clear();
        unsubscribed.clear();
    }
}
