package io.kp1.mqtt.server;

import io.kp1.Reply;
import io.kp1.server.Request;
import io.kp1.server.Router;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in extension service for server tests: one route for each resource of KP1.md's table
 * (2/DCP, 10/EPMP, 7/CMP, 11/CEP) with a canned reply, and {@code /fail/boom} whose handler throws.
 * 11/CEP replies come from another thread a few milliseconds later, as a real service's would.
 *
 * <pre>{@code
 * StubServices stubs = new StubServices();
 * Kp1MqttServer server = Kp1MqttServer.builder(transport, stubs.router(true)).build();
 * stubs.seen();   // every request the handlers got
 * }</pre>
 */
final class StubServices {
    /** One resource of the table: extension, resource, a request payload and the success reply payload. */
    record Resource(String extension, String resource, String request, String reply) {
        @Override
        public String toString() {
            return extension + resource;
        }
    }

    static final String KEYS = "[\"name\",\"location\"]";
    static final String METADATA = "{\"name\":\"kettle\"}";
    static final String CONFIG = "{\"configId\":\"c1\",\"config\":{\"targetTemperature\":90}}";

    /** KP1.md's table, each with a schema-shaped request and the reply the stub gives. */
    static final List<Resource> TABLE = List.of(
            new Resource("dcx", "/json", "[{\"temperature\":23}]", ""),
            new Resource("epmx", "/get/keys", "", KEYS),
            new Resource("epmx", "/get", "{\"keys\":[\"name\"]}", METADATA),
            new Resource("epmx", "/update", "{\"name\":\"kettle\"}", ""),
            new Resource("epmx", "/update/keys", "{\"location\":\"kitchen\"}", ""),
            new Resource("epmx", "/delete/keys", "[\"location\"]", ""),
            new Resource("cmx", "/config/json", "{\"observe\":false}", CONFIG),
            new Resource("cmx", "/config/json/main", "{\"configId\":\"c0\"}", CONFIG),
            new Resource("cmx", "/applied/json", "{\"configId\":\"c1\"}", ""),
            new Resource("cmx", "/applied/json/main", "{\"configId\":\"c1\",\"statusCode\":200}", ""),
            new Resource("cex", "/command/reboot", "{\"observe\":false}", "[{\"id\":1,\"payload\":\"reboot\"}]"),
            new Resource("cex", "/command/turn_off", "{}", "[{\"id\":1,\"payload\":\"turn_off\"}]"),
            new Resource("cex", "/result/reboot", "[{\"id\":1,\"statusCode\":200}]", ""));

    private final List<Request> seen = new CopyOnWriteArrayList<>();

    /** The router; {@code errorRepliesWithoutRequestId} is D11's option. */
    Router router(boolean errorRepliesWithoutRequestId) {
        return Router.builder()
                .on("dcx", "/json", req -> {
                    seen.add(req);
                    String body = req.payloadAsString().trim();
                    // 2/DCP: an array of samples, or one bare object as one sample (KP1.md's table).
                    return CompletableFuture.completedFuture(body.startsWith("[") || body.startsWith("{")
                            ? Reply.ok() : Reply.error(400, "2/DCP payload must be a JSON array or object"));
                })
                .on("epmx", "/get/keys", req -> ok(req, KEYS))
                .on("epmx", "/get", req -> ok(req, METADATA))
                .on("epmx", "/update", req -> ok(req, ""))
                .on("epmx", "/update/keys", req -> ok(req, ""))
                .on("epmx", "/delete/keys", req -> ok(req, ""))
                .on("cmx", "/config/json", req -> ok(req, CONFIG))
                .on("cmx", "/config/json/{name}", req -> ok(req, CONFIG))
                .on("cmx", "/applied/json", req -> ok(req, ""))
                .on("cmx", "/applied/json/{name}", req -> ok(req, ""))
                .on("cex", "/command/{type}", req -> {
                    seen.add(req);
                    String reply = "[{\"id\":1,\"payload\":\"" + req.pathVariable("type") + "\"}]";
                    return CompletableFuture.supplyAsync(() -> Reply.ok(reply),
                            CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
                })
                .on("cex", "/result/{type}", req -> ok(req, ""))
                .on("fail", "/boom", req -> {
                    seen.add(req);
                    throw new IllegalStateException("stub handler failure");
                })
                .errorRepliesWithoutRequestId(errorRepliesWithoutRequestId)
                .build();
    }

    private CompletableFuture<Reply> ok(Request req, String payload) {
        seen.add(req);
        return CompletableFuture.completedFuture(payload.isEmpty() ? Reply.ok() : Reply.ok(payload));
    }

    /** Every request a handler got, in order. */
    List<Request> seen() {
        return seen;
    }

    /** Whether a handler got a request on exactly this topic. */
    boolean saw(String topic) {
        return seen.stream().anyMatch(r -> r.topic().map(t -> t.name().equals(topic)).orElse(false));
    }
}
