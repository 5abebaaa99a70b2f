package io.kp1.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.extension.epmp.Metadata;
import io.kp1.extension.epmp.MetadataStore;
import io.kp1.http.testing.Kp1ServerHttpContract;
import io.kp1.http.testing.TestServers;
import io.kp1.server.Request;
import io.kp1.server.Router;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The wire facts of our own server for {@link Kp1ServerHttpContract}: the typed 2/DCP and
 * 10/EPMP routes mounted at {@code /kpc}; subclasses choose the server (JDK, Jetty).
 */
abstract class OurServerHttpConformance extends Kp1ServerHttpContract {
    private TestServers.Running server;

    /** Starts the server under test with {@code router} at {@code /kpc}. */
    abstract TestServers.Running start(Router router) throws Exception;

    @Override
    protected void startServer() throws Exception {
        Router.Builder b = Router.builder();
        DataCollection.routes((req, samples) -> CompletableFuture.completedFuture(null)).addTo(b);
        Metadata.routes(new FixedMetadata()).addTo(b);
        server = start(b.build());
    }

    @Override
    protected void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected URI baseUri() {
        return server.uri("/kpc");
    }

    @Override
    protected String appVersion() {
        return "conformance_v1";
    }

    @Override
    protected String endpointToken() {
        return "JTjdbENzHh";
    }

    @Override
    protected List<KnownRequest> knownRequests() {
        return List.of(
                new KnownRequest("dcx", "/json", "[{\"temperature\":23}]"),
                new KnownRequest("epmx", "/get/keys", ""),
                new KnownRequest("epmx", "/get", "{\"keys\":[\"name\"]}"),
                new KnownRequest("epmx", "/update/keys", "{\"location\":\"kitchen\"}"));
    }

    @Override
    protected KnownRequest malformedRequest() {
        return new KnownRequest("dcx", "/json", "[1] [2]");
    }

    /** One endpoint's fixed metadata; updates are accepted and forgotten. */
    private static final class FixedMetadata implements MetadataStore {
        @Override
        public CompletionStage<ObjectNode> getAll(Request request) {
            return CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode().put("name", "kettle"));
        }

        @Override
        public CompletionStage<Void> fullUpdate(Request request, ObjectNode metadata) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> partialUpdate(Request request, ObjectNode metadata) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> delete(Request request, Set<String> keys) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
