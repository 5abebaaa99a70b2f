package io.kp1.extension.epmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.InvalidPayloadException;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.extension.ExtensionRoutes;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.internal.ExtensionClient;
import io.kp1.extension.internal.Handlers;
import io.kp1.extension.internal.Names;
import io.kp1.extension.internal.SimpleRoutes;
import io.kp1.extension.internal.StrictJson;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * 10/EPMP endpoint metadata, client side: a thin typed facade over an {@link Endpoint} from
 * either binding; and, with {@link #routes}, the server side over a {@link MetadataStore}.
 *
 * <pre>{@code
 * Metadata md = Metadata.on(endpoint);                                 // instance "epmx"
 * List<String> keys = md.keys().join();                                // /get/keys
 * ObjectNode all = md.getAll().join();                                 // /get {}
 * ObjectNode some = md.get("name", "location").join();                 // /get {"keys":["name","location"]}
 * md.fullUpdate(Map.of("name", "Sensor 1", "cores", 2)).join();        // /update: other keys are removed
 * md.partialUpdate(Map.of("firmwareVersion", "2.0.1")).join();         // /update/keys: others are kept
 * md.delete("location").join();                                        // /delete/keys ["location"]
 * }</pre>
 *
 * <p>Keys are checked against {@code ^[a-zA-Z0-9_]+$} before anything is sent; a bad key, an
 * empty key list or update, or a metadata value that is not a JSON object throws
 * {@link IllegalArgumentException} at once. Metadata objects may be an {@link ObjectNode} or
 * anything the facade's {@link ObjectMapper} converts to one (a map, a record, a bean).
 *
 * <p>A future completes exceptionally with {@link io.kp1.extension.Kp1ErrorException} on an
 * error reply (K7), for example a key the endpoint may not read; with
 * {@link InvalidPayloadException} when a reply breaks its schema; and with whatever the endpoint
 * reports when no reply came (D14). Immutable and thread-safe.
 */
public final class Metadata {
    /** The usual instance name. */
    public static final String DEFAULT_INSTANCE = "epmx";
    /** The pattern metadata keys match. */
    public static final String KEY_PATTERN = Names.METADATA_KEY_PATTERN;

    static final String GET_KEYS = "/get/keys";
    static final String GET = "/get";
    static final String UPDATE = "/update";
    static final String UPDATE_KEYS = "/update/keys";
    static final String DELETE_KEYS = "/delete/keys";

    private static final byte[] EMPTY = new byte[0];

    private final ExtensionClient client;

    private Metadata(ExtensionClient client) {
        this.client = client;
    }

    /** The facade for the {@code epmx} instance of this endpoint. */
    public static Metadata on(Endpoint endpoint) {
        return on(endpoint, DEFAULT_INSTANCE);
    }

    /**
     * The facade for another instance name of this endpoint.
     *
     * @throws IllegalArgumentException if {@code instance} is not a valid topic level (K1, D3, D4)
     */
    public static Metadata on(Endpoint endpoint, String instance) {
        return new Metadata(ExtensionClient.of(endpoint, instance));
    }

    /** This facade converting metadata objects with {@code mapper}. */
    public Metadata withMapper(ObjectMapper mapper) {
        return new Metadata(client.withMapper(mapper));
    }

    /** This facade reading replies, and refusing requests, past {@code limits}. */
    public Metadata withLimits(PayloadLimits limits) {
        return new Metadata(client.withLimits(limits));
    }

    /** The extension instance name. */
    public String instance() {
        return client.instance();
    }

    /** Whether {@code key} is a valid metadata key ({@value #KEY_PATTERN}). */
    public static boolean isValidKey(String key) {
        return Names.isMetadataKey(key);
    }

    /** The metadata keys the endpoint may read or write ({@code /get/keys}), in the server's order. */
    public CompletableFuture<List<String>> keys() {
        return client.request(GET_KEYS, EMPTY, r -> EpmpPayloads.readKeysResponse(r.payloadBytes(), client.limits()));
    }

    /** All metadata the endpoint may read ({@code /get} with {@code {}}). */
    public CompletableFuture<ObjectNode> getAll() {
        return get0(null);
    }

    /**
     * The metadata of these keys ({@code /get} with {@code {"keys":[...]}}); keys the endpoint
     * has no value for are absent from the result.
     *
     * @throws IllegalArgumentException if there is no key or a key is invalid
     */
    public CompletableFuture<ObjectNode> get(String... keys) {
        return get(Arrays.asList(keys));
    }

    /** {@link #get(String...)} with a collection; duplicates are sent once. */
    public CompletableFuture<ObjectNode> get(Collection<String> keys) {
        return get0(EpmpPayloads.checkKeys(Objects.requireNonNull(keys, "keys must not be null"), true));
    }

    private CompletableFuture<ObjectNode> get0(Set<String> keys) {
        byte[] payload = EpmpPayloads.writeGetRequest(keys, client.limits());
        return client.request(GET, payload, r -> EpmpPayloads.readGetResponse(r.payloadBytes(), client.limits()));
    }

    /**
     * Full update ({@code /update}): the server's metadata becomes {@code metadata}; writable
     * keys that it does not have are removed.
     *
     * @param metadata an {@link ObjectNode} or an object the mapper converts to one, with at
     *                 least one key, all valid
     */
    public CompletableFuture<Void> fullUpdate(Object metadata) {
        return update(UPDATE, metadata);
    }

    /**
     * Partial update ({@code /update/keys}): creates or updates the keys of {@code metadata} and
     * keeps the others.
     */
    public CompletableFuture<Void> partialUpdate(Object metadata) {
        return update(UPDATE_KEYS, metadata);
    }

    private CompletableFuture<Void> update(String resource, Object metadata) {
        ObjectNode o = EpmpPayloads.checkMetadata(toObject(metadata), true);
        byte[] payload = EpmpPayloads.writeMetadata(o, EpmpPayloads.UPDATE_REQUEST, client.limits());
        return client.requestIgnoringPayload(resource, payload);
    }

    /**
     * Deletes these keys ({@code /delete/keys}).
     *
     * @throws IllegalArgumentException if there is no key or a key is invalid
     */
    public CompletableFuture<Void> delete(String... keys) {
        return delete(Arrays.asList(keys));
    }

    /** {@link #delete(String...)} with a collection; duplicates are sent once. */
    public CompletableFuture<Void> delete(Collection<String> keys) {
        Set<String> checked = EpmpPayloads.checkKeys(Objects.requireNonNull(keys, "keys must not be null"), true);
        byte[] payload = EpmpPayloads.writeKeys(checked, EpmpPayloads.DELETE_REQUEST, client.limits());
        return client.requestIgnoringPayload(DELETE_KEYS, payload);
    }

    private ObjectNode toObject(Object metadata) {
        Objects.requireNonNull(metadata, "metadata must not be null");
        JsonNode tree = client.toTree(metadata, EpmpPayloads.UPDATE_REQUEST, "", EpmpPayloads.RULE);
        if (tree == null || !tree.isObject()) {
            throw new InvalidPayloadException(EpmpPayloads.UPDATE_REQUEST, "", "metadata must be a JSON object, got "
                    + (tree == null ? "nothing" : StrictJson.describe(tree)), EpmpPayloads.RULE, null);
        }
        return (ObjectNode) tree;
    }

    /**
     * The 10/EPMP routes over a store, with the default limits.
     *
     * <pre>{@code
     * Metadata.routes(store).addTo(routerBuilder);        // /get/keys, /get, /update, /update/keys, /delete/keys under "epmx"
     * }</pre>
     */
    public static ExtensionRoutes routes(MetadataStore store) {
        return routes(store, PayloadLimits.DEFAULTS);
    }

    /** The 10/EPMP routes over a store, reading requests under {@code limits}. */
    public static ExtensionRoutes routes(MetadataStore store, PayloadLimits limits) {
        Objects.requireNonNull(store, "store must not be null");
        Objects.requireNonNull(limits, "limits must not be null");
        return new SimpleRoutes(DEFAULT_INSTANCE)
                // 10/EPMP: the server MUST ignore a get-keys payload.
                .on(GET_KEYS, req -> Handlers.call("MetadataStore.keys", () -> store.keys(req),
                        keys -> Reply.ok(EpmpPayloads.writeKeys(checkReply(keys), EpmpPayloads.KEYS_RESPONSE, limits))))
                .on(GET, req -> Handlers.withBody(req, limits, EpmpPayloads::readGetRequest, keys -> Handlers.call(
                        "MetadataStore.get", () -> keys == null ? store.getAll(req) : store.get(req, keys),
                        m -> Reply.ok(EpmpPayloads.writeMetadata(checkReply(m), EpmpPayloads.GET_RESPONSE, limits)))))
                .on(UPDATE, req -> Handlers.withBody(req, limits, EpmpPayloads::readUpdateRequest, m ->
                        Handlers.callVoid("MetadataStore.fullUpdate", () -> store.fullUpdate(req, m), Reply.ok())))
                .on(UPDATE_KEYS, req -> Handlers.withBody(req, limits, EpmpPayloads::readUpdateRequest, m ->
                        Handlers.callVoid("MetadataStore.partialUpdate", () -> store.partialUpdate(req, m), Reply.ok())))
                .on(DELETE_KEYS, req -> Handlers.withBody(req, limits, EpmpPayloads::readDeleteRequest, keys ->
                        Handlers.callVoid("MetadataStore.delete", () -> store.delete(req, keys), Reply.ok())));
    }

    /** A store's keys: valid and distinct, or the reply is a 500. */
    private static Set<String> checkReply(Collection<String> keys) {
        try {
            return EpmpPayloads.checkKeys(keys, false);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("MetadataStore.keys returned an invalid key: " + e.getMessage(), e);
        }
    }

    private static ObjectNode checkReply(ObjectNode metadata) {
        try {
            return EpmpPayloads.checkMetadata(metadata, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("MetadataStore.get returned an invalid key: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Metadata[" + client.instance() + "]";
    }
}
