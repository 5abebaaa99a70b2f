package io.kp1.extension.epmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.server.Request;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The server side of 10/EPMP: an endpoint's metadata, per endpoint token (and application
 * version, principal, ... all in the {@link Request}). Plug it into a router with
 * {@link Metadata#routes(MetadataStore)}; the routes read and check every request (400 naming
 * the field) and check and write every reply.
 *
 * <pre>{@code
 * class MyStore implements MetadataStore {
 *     public CompletionStage<ObjectNode> getAll(Request r) { return db.load(r.endpointToken()); }
 *     public CompletionStage<Void> fullUpdate(Request r, ObjectNode m) { return db.replace(r.endpointToken(), m); }
 *     public CompletionStage<Void> partialUpdate(Request r, ObjectNode m) { return db.merge(r.endpointToken(), m); }
 *     public CompletionStage<Void> delete(Request r, Set<String> keys) {
 *         if (keys.contains("serial")) {
 *             throw new Kp1ErrorException(403, "Key serial is read-only");  // 10/EPMP: restricted keys answer an error
 *         }
 *         return db.remove(r.endpointToken(), keys);
 *     }
 * }
 * }</pre>
 *
 * <p>Every method may throw, or fail its stage with, {@link io.kp1.extension.Kp1ErrorException}
 * to answer that error (10/EPMP requires an error for keys the client may not read or write);
 * any other failure, a null stage or a null value answers 500. Values the store returns must be
 * valid 10/EPMP replies (keys matching {@code ^[a-zA-Z0-9_]+$}), or the reply is a 500.
 */
public interface MetadataStore {
    /**
     * The keys the client may read or write ({@code /get/keys}). By default the keys of
     * {@link #getAll}.
     */
    default CompletionStage<? extends Collection<String>> keys(Request request) throws Exception {
        return getAll(request).thenApply(all -> {
            List<String> names = new ArrayList<>(all.size());
            all.fieldNames().forEachRemaining(names::add);
            return names;
        });
    }

    /** All metadata the client may read ({@code /get} with no keys, or an empty payload). */
    CompletionStage<ObjectNode> getAll(Request request) throws Exception;

    /**
     * The metadata of these keys ({@code /get} with {@code {"keys":[...]}}). By default those
     * of {@link #getAll} that are present; a store with restricted keys overrides this to answer
     * an error for a restricted key it is asked for, as 10/EPMP requires.
     *
     * @param keys the keys asked for, in request order, valid and distinct; may be empty
     */
    default CompletionStage<ObjectNode> get(Request request, Set<String> keys) throws Exception {
        return getAll(request).thenApply(all -> {
            ObjectNode some = JsonNodeFactory.instance.objectNode();
            for (String k : keys) {
                JsonNode v = all.get(k);
                if (v != null) {
                    some.set(k, v);
                }
            }
            return some;
        });
    }

    /**
     * Replaces the metadata ({@code /update}): keys of {@code metadata} are created or updated,
     * other writable keys are removed.
     *
     * @param metadata at least one key, all valid
     */
    CompletionStage<Void> fullUpdate(Request request, ObjectNode metadata) throws Exception;

    /**
     * Creates or updates only the keys of {@code metadata} ({@code /update/keys}).
     *
     * @param metadata at least one key, all valid
     */
    CompletionStage<Void> partialUpdate(Request request, ObjectNode metadata) throws Exception;

    /**
     * Deletes these keys ({@code /delete/keys}).
     *
     * @param keys at least one key, valid and distinct, in request order
     */
    CompletionStage<Void> delete(Request request, Set<String> keys) throws Exception;
}
