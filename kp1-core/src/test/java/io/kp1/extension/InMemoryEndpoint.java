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
 * ep.push("cex", "/command/reboot", "[{\"id\":1}]");        // a server push without request ID (K11)
 * ep.notifyObservers("cmx", "/config/json", "{}");          // a later reply to an observe request (K11)
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
    /** Listeners by extension + resource: observations (replies on the request's reply topic). */
    private final Map<String, List<Listener>> observers = new ConcurrentHashMap<>();
    /** Listeners by extension + resource: push subscriptions ({@code <resource>/status}, no request ID). */
    private final Map<String, List<Listener>> pushListeners = new ConcurrentHashMap<>();

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
        Listener l = register(observers, extension, resource, listener);
        request(extension, resource, payload).thenAccept(l::deliver);
        return l;
    }

    @Override
    public Observation onPush(String extension, String resource, Consumer<? super Reply> listener) {
        requireMqtt();
        return register(pushListeners, extension, resource, listener);
    }

    /** A server push without request ID on {@code <resource>/status} (K11) to the push subscriptions. */
    public void push(String extension, String resource, String payload) {
        push(extension, resource, Reply.ok(payload));
    }

    /** A server push (on {@code /status} or {@code /error}) to the push subscriptions; an error ends them. */
    public void push(String extension, String resource, Reply reply) {
        for (Listener l : pushListeners.getOrDefault(key(extension, resource), List.of())) {
            l.deliver(reply);
        }
    }

    /** A later reply to the observe requests of the resource (K11), on their reply topics. */
    public void notifyObservers(String extension, String resource, String payload) {
        notifyObservers(extension, resource, Reply.ok(payload));
    }

    /** A later reply to the observe requests; an error reply ends them (D13). */
    public void notifyObservers(String extension, String resource, Reply reply) {
        for (Listener l : observers.getOrDefault(key(extension, resource), List.of())) {
            l.deliver(reply);
        }
    }

    /** How many observations and push subscriptions of the resource are open. */
    public int listenerCount(String extension, String resource) {
        return observers.getOrDefault(key(extension, resource), List.of()).size()
                + pushListeners.getOrDefault(key(extension, resource), List.of()).size();
    }

    private void requireMqtt() {
        if (!mqtt) {
            throw new UnsupportedOperationException("No server push over HTTP (K12)");
        }
    }

    private static Listener register(Map<String, List<Listener>> map, String extension, String resource,
            Consumer<? super Reply> listener) {
        Listener l = new Listener(map, key(extension, resource), Objects.requireNonNull(listener));
        map.computeIfAbsent(l.key, k -> new CopyOnWriteArrayList<>()).add(l);
        return l;
    }

    private static String key(String extension, String resource) {
        return extension + " " + resource;
    }

    private static final class Listener implements Observation {
        final Map<String, List<Listener>> map;
        final String key;
        final Consumer<? super Reply> consumer;
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        Listener(Map<String, List<Listener>> map, String key, Consumer<? super Reply> consumer) {
            this.map = map;
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
            List<Listener> list = map.get(key);
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
