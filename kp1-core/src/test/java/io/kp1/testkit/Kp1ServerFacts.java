package io.kp1.testkit;

import java.util.List;
import java.util.Objects;

/**
 * What a host tells a black-box 1/KP server contract about its server: the wire facts both the
 * MQTT and the HTTP contract need (app version, a known endpoint token, requests it serves, a
 * payload it refuses) and the hooks to start and stop it. The contracts themselves live in the
 * bindings' tests jars ({@code io.kp1.mqtt.testing.Kp1ServerMqttContract},
 * {@code io.kp1.http.testing.Kp1ServerHttpContract}) and add their transport's facts.
 *
 * <pre>{@code
 * class MyServerConformsIT extends Kp1ServerHttpContract {   // a Kp1ServerFacts
 *     @Override protected String appVersion() { return "kettle_v1"; }
 *     @Override protected String endpointToken() { return "JTjdbENzHh"; }
 *     @Override protected List<KnownRequest> knownRequests() {
 *         return List.of(new KnownRequest("dcx", "/json", "[{\"temperature\":23}]"));
 *     }
 *     @Override protected KnownRequest malformedRequest() { return new KnownRequest("dcx", "/json", "[1] [2]"); }
 *     // plus the transport's facts, e.g. baseUri()
 * }
 * }</pre>
 */
public abstract class Kp1ServerFacts {
    /**
     * A request the server under test serves, relative to the endpoint token: an extension
     * instance, a resource and the payload text, e.g. {@code ("dcx", "/json", "[{\"t\":1}]")}.
     */
    public record KnownRequest(String extension, String resource, String payload) {
        /** Checks the parts: all given, the resource starts with {@code /}. */
        public KnownRequest {
            Objects.requireNonNull(extension, "extension");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(payload, "payload");
            if (!resource.startsWith("/")) {
                throw new IllegalArgumentException("resource must start with '/': " + resource);
            }
        }

        @Override
        public String toString() {
            return extension + resource;
        }
    }

    /** For subclasses. */
    protected Kp1ServerFacts() {
    }

    /** Starts the server under test (and its broker), if the host runs it; before the first request. */
    protected void startServer() throws Exception {
    }

    /** Stops what {@link #startServer()} started; after the last request. */
    protected void stopServer() throws Exception {
    }

    /** The application version name the server serves, e.g. {@code kettle_v1}. */
    protected abstract String appVersion();

    /** An endpoint token the server knows. */
    protected abstract String endpointToken();

    /** Requests (at least one) the server answers with success for {@link #endpointToken()}. */
    protected abstract List<KnownRequest> knownRequests();

    /** A request to a served resource whose payload the server refuses with a 4xx, e.g. 2/DCP {@code [1] [2]}. */
    protected abstract KnownRequest malformedRequest();

    /** A resource of a served extension that the server does not serve; by default one made up under the first known request's extension. */
    protected KnownRequest unservedResource() {
        return new KnownRequest(knownRequests().get(0).extension(), "/kp1-contract/no-such-resource", "");
    }

    /** An extension instance the server does not serve. */
    protected String unservedExtension() {
        return "kp1contractnone";
    }
}
