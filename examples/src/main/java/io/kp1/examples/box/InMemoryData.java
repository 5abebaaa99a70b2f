package io.kp1.examples.box;

import com.fasterxml.jackson.databind.JsonNode;
import io.kp1.extension.dcp.DataCollectionSink;
import io.kp1.server.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Kaa in a box's 2/DCP data collection: keeps every sample in memory, by endpoint token.
 *
 * <pre>{@code
 * box.data().sampleCount();              // samples received, all endpoints
 * box.data().samples("JTjdbENzHh");      // [{"temperature":23.5}, ...] in arrival order
 * }</pre>
 *
 * <p>Thread-safe. Meant for tests and demos: nothing is ever evicted but by {@link #clear()}.
 */
public final class InMemoryData implements DataCollectionSink {
    private final Map<String, List<JsonNode>> byToken = new HashMap<>();
    private long samples;
    private long batches;

    InMemoryData() {
    }

    @Override
    public synchronized CompletionStage<Void> accept(Request request, List<JsonNode> batch) {
        byToken.computeIfAbsent(request.endpointToken(), t -> new ArrayList<>()).addAll(batch);
        samples += batch.size();
        batches++;
        return CompletableFuture.completedFuture(null);
    }

    /** The samples of one endpoint, in arrival order (empty if none). */
    public synchronized List<JsonNode> samples(String endpointToken) {
        return List.copyOf(byToken.getOrDefault(endpointToken, List.of()));
    }

    /** The samples received, all endpoints together. */
    public synchronized long sampleCount() {
        return samples;
    }

    /** The 2/DCP requests (batches) received. */
    public synchronized long batchCount() {
        return batches;
    }

    /** The tokens of the endpoints that sent data. */
    public synchronized Set<String> endpoints() {
        return Set.copyOf(byToken.keySet());
    }

    /** Forgets everything. */
    public synchronized void clear() {
        byToken.clear();
        samples = 0;
        batches = 0;
    }

    @Override
    public synchronized String toString() {
        return "InMemoryData[" + samples + " samples from " + byToken.size() + " endpoints]";
    }
}
