package io.kp1.extension;

import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.client.Endpoint;
import io.kp1.client.Observation;
import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An {@link Endpoint} that calls a {@link Router} directly, as an MQTT client would (request IDs,
 * reply topics, observe and push) or as an HTTP client would (no push). Every exchange is
 * recorded so that tests can check each payload against the RFC schemas.
 *
 * <pre>{@code
 * InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
 * Metadata.on(ep).keys().join();
 * ep.exchanges();                                           // [Exchange[epmx /get/keys ...]]
 * ep.push("cex", "/command/reboot", "[{\"id\":1}]");        // a server push (K11)
 * }</pre>
 */
public final class InMemoryEndpoint implements Endpoint {
    public static final String APP = "kettle_v1";
    public static final String TOKEN = "JTjdbENzHh";

    /** One request and its reply ({@code reply} null for a fire-and-forget request without reply). */
    public record Exchange(String extension, String resource, byte[] request, Reply reply) {
        @Override
        public String toString() {
            return "Exchange[" + extension + " " + resource + " " + new String(request, java.nio.charset.StandardCharsets.UTF_8)
                    + " -> " + (reply == null ? "(none)" : reply + " " + reply.payloadAsString()) + "]";
        }
    }

    private final Router router;
    private final boolean mqtt;
    private final AtomicInteger ids = new AtomicInteger();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    /** Listeners by extension + resource: observations and push subscriptions. */
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();

    private InMemoryEndpoint(Router router, boolean mqtt) {
        this.router = router;
        this.mqtt = mqtt;
    }

    /** Behaves as an MQTT client: request IDs, observe and push. */
    public static InMemoryEndpoint mqtt(Router router) {
        return new InMemoryEndpoint(router, true);
    }

    /** Behaves as an HTTP client: no request IDs, no push (K12). */
    public static InMemoryEndpoint http(Router router) {
        return new InMemoryEndpoint(router, false);
    }

    /** Every exchange so far, in order. */
    public List<Exchange> exchanges() {
        return Collections.unmodifiableList(new ArrayList<>(exchanges));
    }

    /** Forgets the exchanges so far. */
    public void clearExchanges() {
        exchanges.clear();
    }

    @Override
    public String appVersion() {
        return APP;
    }

    @Override
    public String endpointToken() {
        return TOKEN;
    }

    @Override
    public CompletableFuture<Reply> request(String extension, String resource, byte[] payload) {
        ResourcePath path = ResourcePath.of(APP, extension, TOKEN, resource);
        Request req = mqtt ? Request.fromMqtt(Topic.request(path, ids.incrementAndGet()), payload, 1)
                : Request.fromHttp(path, payload);
        return router.route(req).toCompletableFuture().thenApply(out -> {
            Reply reply = toReply(out);
            exchanges.add(new Exchange(extension, resource, payload, reply));
            return reply;
        });
    }

    private Reply toReply(Outcome out) {
        if (mqtt) {
            Topic t = out.replyTopic().orElseThrow(() -> new AssertionError("No reply topic for " + out));
            return Reply.received(t, out.payload());
        }
        return out.isSuccess() ? Reply.ok(out.payload()) : Reply.error(out.reply().error());
    }

    @Override
    public CompletableFuture<Void> send(String extension, String resource, byte[] payload) {
        ResourcePath path = ResourcePath.of(APP, extension, TOKEN, resource);
        Request req = mqtt ? Request.fromMqtt(Topic.request(path), payload, 0) : Request.fromHttp(path, payload);
        return router.route(req).toCompletableFuture().thenAccept(out -> {
            exchanges.add(new Exchange(extension, resource, payload, mqtt && out.replyTopic().isEmpty() ? null
                    : out.reply()));
            if (!mqtt && !out.isSuccess()) {
                throw new IllegalStateException("HTTP " + out.httpStatus());
            }
        });
    }

    @Override
    public boolean supportsObserve() {
        return mqtt;
    }

    @Override
    public Observation observe(String extension, String resource, byte[] payload, Consumer<? super Reply> listener) {
        requireMqtt();
        Listener l = register(extension, resource, listener);
        request(extension, resource, payload).thenAccept(l::deliver);
        return l;
    }

    @Override
    public Observation onPush(String extension, String resource, Consumer<? super Reply> listener) {
        requireMqtt();
        return register(extension, resource, listener);
    }

    /** Delivers a server push (K11) to every observation and push subscription of the resource. */
    public void push(String extension, String resource, String payload) {
        push(extension, resource, Reply.ok(payload));
    }

    /** Delivers a reply as a server push; an error reply ends the observations (D13). */
    public void push(String extension, String resource, Reply reply) {
        for (Listener l : listeners.getOrDefault(key(extension, resource), List.of())) {
            l.deliver(reply);
        }
    }

    /** How many observations and push subscriptions of the resource are open. */
    public int listenerCount(String extension, String resource) {
        return listeners.getOrDefault(key(extension, resource), List.of()).size();
    }

    private void requireMqtt() {
        if (!mqtt) {
            throw new UnsupportedOperationException("No server push over HTTP (K12)");
        }
    }

    private Listener register(String extension, String resource, Consumer<? super Reply> listener) {
        Listener l = new Listener(key(extension, resource), Objects.requireNonNull(listener));
        listeners.computeIfAbsent(l.key, k -> new CopyOnWriteArrayList<>()).add(l);
        return l;
    }

    private static String key(String extension, String resource) {
        return extension + " " + resource;
    }

    private final class Listener implements Observation {
        final String key;
        final Consumer<? super Reply> consumer;
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        Listener(String key, Consumer<? super Reply> consumer) {
            this.key = key;
            this.consumer = consumer;
        }

        void deliver(Reply reply) {
            if (ended.isDone()) {
                return;
            }
            consumer.accept(reply);
            if (!reply.isSuccess()) {
                end();
                ended.completeExceptionally(new IllegalStateException("Observation ended by an error reply " + reply));
            }
        }

        private void end() {
            List<Listener> list = listeners.get(key);
            if (list != null) {
                list.remove(this);
            }
        }

        @Override
        public CompletableFuture<Void> ended() {
            return ended;
        }

        @Override
        public void cancel() {
            end();
            ended.complete(null);
        }
    }
}
