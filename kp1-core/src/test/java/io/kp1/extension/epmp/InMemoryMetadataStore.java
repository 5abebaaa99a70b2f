package io.kp1.extension.epmp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.server.Request;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link MetadataStore} in memory, per endpoint token, with an optional read-only key. */
class InMemoryMetadataStore implements MetadataStore {
    final Map<String, ObjectNode> byToken = new ConcurrentHashMap<>();
    private final String readOnlyKey;

    InMemoryMetadataStore(String readOnlyKey) {
        this.readOnlyKey = readOnlyKey;
    }

    ObjectNode of(String token) {
        return byToken.computeIfAbsent(token, t -> JsonNodeFactory.instance.objectNode());
    }

    @Override
    public synchronized CompletionStage<ObjectNode> getAll(Request request) {
        return CompletableFuture.completedFuture(of(request.endpointToken()).deepCopy());
    }

    @Override
    public synchronized CompletionStage<Void> fullUpdate(Request request, ObjectNode metadata) {
        ObjectNode m = of(request.endpointToken());
        checkWritable(metadata.properties().stream().map(Map.Entry::getKey).toList());
        if (readOnlyKey != null && m.has(readOnlyKey)) {
            metadata = metadata.deepCopy().set(readOnlyKey, m.get(readOnlyKey));
        }
        m.removeAll();
        m.setAll(metadata);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> partialUpdate(Request request, ObjectNode metadata) {
        checkWritable(metadata.properties().stream().map(Map.Entry::getKey).toList());
        of(request.endpointToken()).setAll(metadata);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public synchronized CompletionStage<Void> delete(Request request, Set<String> keys) {
        checkWritable(keys);
        of(request.endpointToken()).remove(keys);
        return CompletableFuture.completedFuture(null);
    }

    private void checkWritable(Iterable<String> keys) {
        for (String k : keys) {
            if (k.equals(readOnlyKey)) {
                throw new Kp1ErrorException(403, "Key " + k + " is read-only");
            }
        }
    }
}
