package io.kp1.extension.dcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.extension.ExtensionRoutes;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.internal.ExtensionClient;
import io.kp1.extension.internal.Handlers;
import io.kp1.extension.internal.SimpleRoutes;
import io.kp1.extension.internal.StrictJson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * 2/DCP data collection, client side: a thin typed facade over an {@link Endpoint} from either
 * binding; and, with {@link #routes}, the server side.
 *
 * <pre>{@code
 * DataCollection dc = DataCollection.on(endpoint);                  // instance "dcx"
 * dc.push(Map.of("temperature", 23.5)).join();                      // [{"temperature":23.5}], reply awaited
 * dc.pushAll(List.of(sample1, sample2));                            // one batch
 * dc.send(jsonNode);                                                // no request ID, no reply (K6)
 * DataCollection.on(endpoint, "dcx-eu").withMapper(myMapper);       // another instance, own mapper
 * }</pre>
 *
 * <p>Samples are any JSON value: a {@link JsonNode} is sent as is, any other object is converted
 * with the facade's {@link ObjectMapper} (a plain one unless {@link #withMapper} says otherwise;
 * it handles records, beans, maps, lists, strings and numbers). {@link #push} always sends one
 * sample, even a list (which becomes one array-valued sample); {@link #pushAll} sends a batch.
 * Conversion and limit checks happen at once and throw {@link IllegalArgumentException}.
 *
 * <p>A future completes exceptionally with {@link io.kp1.extension.Kp1ErrorException} on an
 * error reply (K7), or with whatever the endpoint reports when no reply came (D14). The success
 * payload, which 2/DCP says is empty, is ignored. Immutable and thread-safe.
 */
public final class DataCollection {
    /** The usual instance name. */
    public static final String DEFAULT_INSTANCE = "dcx";
    /** The resource (JSON format) after the endpoint token. */
    public static final String RESOURCE = "/json";

    static final String RULE = "2/DCP";
    static final String REQUEST = "2/DCP request";

    private final ExtensionClient client;

    private DataCollection(ExtensionClient client) {
        this.client = client;
    }

    /** The facade for the {@code dcx} instance of this endpoint. */
    public static DataCollection on(Endpoint endpoint) {
        return on(endpoint, DEFAULT_INSTANCE);
    }

    /**
     * The facade for another instance name of this endpoint.
     *
     * @throws IllegalArgumentException if {@code instance} is not a valid topic level (K1, D3, D4)
     */
    public static DataCollection on(Endpoint endpoint, String instance) {
        return new DataCollection(ExtensionClient.of(endpoint, instance));
    }

    /** This facade converting samples with {@code mapper}. */
    public DataCollection withMapper(ObjectMapper mapper) {
        return new DataCollection(client.withMapper(mapper));
    }

    /** This facade refusing requests past {@code limits} (those of the receiving server, ideally). */
    public DataCollection withLimits(PayloadLimits limits) {
        return new DataCollection(client.withLimits(limits));
    }

    /** The extension instance name. */
    public String instance() {
        return client.instance();
    }

    /**
     * Pushes one sample and completes when the server has processed it.
     *
     * @param sample a {@link JsonNode} or an object the mapper converts; not null (use
     *               {@code NullNode.getInstance()} for a JSON null sample)
     * @throws IllegalArgumentException if the sample cannot be converted or is past the limits
     */
    public CompletableFuture<Void> push(Object sample) {
        return pushAll(Collections.singletonList(Objects.requireNonNull(sample, "sample must not be null")));
    }

    /**
     * Pushes a batch (2/DCP: "all data samples in a batch are processed together and have a
     * single response status").
     *
     * @throws IllegalArgumentException if a sample cannot be converted or the batch is past the limits
     */
    public CompletableFuture<Void> pushAll(Collection<?> samples) {
        return client.requestIgnoringPayload(RESOURCE, encode(samples));
    }

    /** Sends one sample without a request ID: no success reply (K6); see {@link Endpoint#send}. */
    public CompletableFuture<Void> send(Object sample) {
        return sendAll(Collections.singletonList(Objects.requireNonNull(sample, "sample must not be null")));
    }

    /** Sends a batch without a request ID: no success reply (K6); see {@link Endpoint#send}. */
    public CompletableFuture<Void> sendAll(Collection<?> samples) {
        return client.send(RESOURCE, encode(samples));
    }

    private byte[] encode(Collection<?> samples) {
        Objects.requireNonNull(samples, "samples must not be null");
        ArrayNode batch = JsonNodeFactory.instance.arrayNode(samples.size());
        int i = 0;
        for (Object s : samples) {
            if (s == null) {
                throw new NullPointerException("sample " + i + " is null (use NullNode for a JSON null sample)");
            }
            batch.add(client.toTree(s, REQUEST, "/" + i, RULE));
            i++;
        }
        return StrictJson.write(batch, REQUEST, RULE, client.limits());
    }

    /**
     * The 2/DCP routes ({@code /json}) over a sink, with the default limits.
     *
     * <pre>{@code
     * DataCollection.routes(sink).addTo(routerBuilder);          // under "dcx"
     * }</pre>
     */
    public static ExtensionRoutes routes(DataCollectionSink sink) {
        return routes(sink, PayloadLimits.DEFAULTS);
    }

    /** The 2/DCP routes over a sink, reading requests under {@code limits}. */
    public static ExtensionRoutes routes(DataCollectionSink sink, PayloadLimits limits) {
        Objects.requireNonNull(sink, "sink must not be null");
        Objects.requireNonNull(limits, "limits must not be null");
        return new SimpleRoutes(DEFAULT_INSTANCE).on(RESOURCE, req -> Handlers.withBody(req, limits,
                DataCollection::readRequest, samples -> Handlers.callVoid("DataCollectionSink.accept",
                        () -> sink.accept(req, samples), Reply.ok())));
    }

    /**
     * Reads a 2/DCP request: an array is a batch of its elements; any other JSON value is one
     * sample (Kaa's single-object form).
     */
    static List<JsonNode> readRequest(byte[] payload, PayloadLimits limits) {
        JsonNode root = StrictJson.read(payload, REQUEST, RULE, limits);
        if (!root.isArray()) {
            return List.of(root);
        }
        List<JsonNode> samples = new ArrayList<>(root.size());
        root.forEach(samples::add);
        return Collections.unmodifiableList(samples);
    }

    @Override
    public String toString() {
        return "DataCollection[" + client.instance() + "]";
    }
}
