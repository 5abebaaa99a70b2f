package io.kp1.examples.box;

import io.kp1.ErrorResponse;
import io.kp1.InvalidPayloadException;
import io.kp1.ParseResult;
import io.kp1.Topic;
import io.kp1.TopicParser;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The {@link MqttTransport} that Kaa in a box's {@code Kp1MqttServer} (and its pushes) publish
 * through: every 1/KP reply passes the {@link FaultInjector} first. Subscriptions and incoming
 * messages are untouched. Publishes that are not 1/KP replies pass unchanged and uncounted.
 *
 * <p>A dropped or disconnected reply's future completes normally: the server believes it replied,
 * as a server whose reply was lost in the network would.
 */
final class FaultyTransport implements MqttTransport {
    private final MqttTransport delegate;
    private final FaultInjector injector;
    private final Function<String, CompletableFuture<Boolean>> disconnectPublisherOf;
    private final TopicParser parser = TopicParser.defaults();
    /** Sends started, to tell which replies were sent after a held one. */
    private final AtomicLong sends = new AtomicLong();
    /** A reply waiting to be overtaken; guarded by {@code this}. */
    private Held held;

    FaultyTransport(MqttTransport delegate, FaultInjector injector,
            Function<String, CompletableFuture<Boolean>> disconnectPublisherOf) {
        this.delegate = delegate;
        this.injector = injector;
        this.disconnectPublisherOf = disconnectPublisherOf;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos) {
        ParseResult parsed = parser.tryParseReply(topic);
        if (!parsed.isValid()) {
            return delegate.publish(topic, payload, qos);
        }
        Topic t = parsed.topic();
        OutgoingReply reply = new OutgoingReply(OutgoingReply.Transport.MQTT, t.path(),
                t.hasRequestId() ? OptionalInt.of(t.requestId()) : OptionalInt.empty(), statusOf(t, payload),
                !t.hasRequestId());
        Fault fault = injector.decide(reply);
        switch (fault.kind()) {
            case DROP:
                return CompletableFuture.completedFuture(null);
            case DUPLICATE:
                return send(topic, payload, qos).thenCompose(v -> send(topic, payload, qos));
            case DELAY: {
                CompletableFuture<Void> done = new CompletableFuture<>();
                injector.schedule(() -> relay(send(topic, payload, qos), done), fault.delay());
                return done;
            }
            case REORDER:
                return hold(topic, payload, qos);
            case DISCONNECT:
                if (t.hasRequestId()) {
                    disconnectPublisherOf.apply(t.requestTopic().name());
                }
                return CompletableFuture.completedFuture(null);
            default:
                return send(topic, payload, qos);
        }
    }

    private static int statusOf(Topic t, byte[] payload) {
        if (t.kind() == Topic.Kind.STATUS) {
            return 200;
        }
        try {
            return ErrorResponse.fromJson(payload).statusCode();
        } catch (InvalidPayloadException e) {
            return 500;
        }
    }

    /** Publishes, then lets a reply held before go: the one just sent has overtaken it. */
    private CompletableFuture<Void> send(String topic, byte[] payload, MqttQos qos) {
        long seq = sends.incrementAndGet();
        CompletableFuture<Void> sent = delegate.publish(topic, payload, qos);
        sent.whenComplete((v, t) -> releaseOvertaken(seq));
        return sent;
    }

    private void releaseOvertaken(long seq) {
        Held h;
        synchronized (this) {
            h = held;
        }
        if (h != null && h.seq < seq) {
            release(h);
        }
    }

    private CompletableFuture<Void> hold(String topic, byte[] payload, MqttQos qos) {
        Held h = new Held(topic, payload, qos, sends.get());
        synchronized (this) {
            if (held != null) {
                // One at a time: this reply overtakes the one already held, and releases it.
                return send(topic, payload, qos);
            }
            held = h;
        }
        injector.schedule(() -> release(h), injector.reorderWindow());
        return h.done;
    }

    /** Publishes {@code h} if it is still held. */
    private void release(Held h) {
        synchronized (this) {
            if (held != h) {
                return;
            }
            held = null;
        }
        relay(delegate.publish(h.topic, h.payload, h.qos), h.done);
    }

    private static void relay(CompletableFuture<Void> from, CompletableFuture<Void> to) {
        from.whenComplete((v, t) -> {
            if (t != null) {
                to.completeExceptionally(t);
            } else {
                to.complete(null);
            }
        });
    }

    @Override
    public CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos) {
        return delegate.subscribe(topicFilter, qos);
    }

    @Override
    public CompletableFuture<MqttQos> subscribeNoLocal(String topicFilter, MqttQos qos) {
        return delegate.subscribeNoLocal(topicFilter, qos);
    }

    @Override
    public boolean supportsNoLocal() {
        return delegate.supportsNoLocal();
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        return delegate.unsubscribe(topicFilter);
    }

    @Override
    public void setListener(Listener listener) {
        delegate.setListener(listener);
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    /** A reply held back by a {@link Fault.Kind#REORDER} fault. */
    private static final class Held {
        final String topic;
        final byte[] payload;
        final MqttQos qos;
        /** The number of sends started before it was held: only later ones overtake it. */
        final long seq;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Held(String topic, byte[] payload, MqttQos qos, long seq) {
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
            this.seq = seq;
        }
    }
}
