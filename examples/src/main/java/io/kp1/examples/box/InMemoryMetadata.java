package io.kp1.examples.box;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.epmp.MetadataStore;
import io.kp1.server.Request;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Kaa in a box's 10/EPMP metadata: one JSON object per endpoint token, in memory; every key is
 * readable and writable.
 *
 * <pre>{@code
 * box.metadata().put("JTjdbENzHh", json);   // what the endpoint will read
 * box.metadata().get("JTjdbENzHh");         // what it wrote: {"name":"Sensor 1", ...}
 * }</pre>
 *
 * <p>Thread-safe; values handed in and out are copies.
 */
public final class InMemoryMetadata implements MetadataStore {
    private final Map<String, ObjectNode> byToken = new HashMap<>();

    InMemoryMetadata() {
    }

    @Override
    public synchronized CompletionStage<ObjectNode> getAll(Request request) {
        return CompletableFuture.completedFuture(get(request.endpointToken()));
    }

    @Override
    public synchronized CompletionStage<Void> fullUpdate(Request request, ObjectNode metadata) {
        byToken.put(request.endpointToken(), metadata.deepCopy());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> partialUpdate(Request request, ObjectNode metadata) {
        byToken.computeIfAbsent(request.endpointToken(), t -> JsonNodeFactory.instance.objectNode())
                .setAll(metadata.deepCopy());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> delete(Request request, Set<String> keys) {
        ObjectNode o = byToken.get(request.endpointToken());
        if (o != null) {
            o.remove(keys);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** A copy of one endpoint's metadata; an empty object when it has none. */
    public synchronized ObjectNode get(String endpointToken) {
        ObjectNode o = byToken.get(endpointToken);
        return o == null ? JsonNodeFactory.instance.objectNode() : o.deepCopy();
    }

    /** Replaces one endpoint's metadata (a copy of {@code metadata} is kept). */
    public synchronized void put(String endpointToken, ObjectNode metadata) {
        byToken.put(endpointToken, metadata.deepCopy());
    }

    /** The number of endpoints with metadata. */
    public synchronized int size() {
        return byToken.size();
    }

    @Override
    public synchronized String toString() {
        return "InMemoryMetadata[" + byToken.size() + " endpoints]";
    }
}
