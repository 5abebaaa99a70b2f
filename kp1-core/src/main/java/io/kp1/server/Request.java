package io.kp1.server;

import io.kp1.ResourcePath;
import io.kp1.Topic;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A 1/KP request as a {@link Router} hands it to a handler: where it was addressed (application
 * version, extension instance, endpoint token, resource), the values of the route's path
 * variables, the request ID and QoS when it came over MQTT, the payload, and attributes that the
 * transport binding sets, such as the authenticated client (K13).
 *
 * <table>
 *   <caption>Accessors for an MQTT request on {@code kp1/kettle_v1/cex/JTjdbENzHh/command/reboot/42},
 *            routed by {@code /command/{type}}, and an HTTP one on {@code POST /kp1/kettle_v1/dcx/JTjdbENzHh/json}</caption>
 *   <tr><th>accessor</th><th>MQTT</th><th>HTTP</th></tr>
 *   <tr><td>{@code appVersion()}</td><td>{@code kettle_v1}</td><td>{@code kettle_v1}</td></tr>
 *   <tr><td>{@code extension()}</td><td>{@code cex}</td><td>{@code dcx}</td></tr>
 *   <tr><td>{@code endpointToken()}</td><td>{@code JTjdbENzHh}</td><td>{@code JTjdbENzHh}</td></tr>
 *   <tr><td>{@code resource()}</td><td>{@code /command/reboot}</td><td>{@code /json}</td></tr>
 *   <tr><td>{@code pathVariable("type")}</td><td>{@code reboot}</td><td>(throws: no such variable)</td></tr>
 *   <tr><td>{@code requestId()}</td><td>{@code OptionalInt[42]}</td><td>empty (K12)</td></tr>
 *   <tr><td>{@code qos()}</td><td>the QoS it was received with</td><td>empty</td></tr>
 *   <tr><td>{@code topic()}</td><td>the topic, name as received (D2)</td><td>empty</td></tr>
 * </table>
 *
 * <pre>{@code
 * // In a binding:
 * Request mqtt = Request.fromMqtt(topic, payload, qos).withPrincipal(clientCertificate);
 * Request http = Request.fromHttp(path, body);
 *
 * // In a handler:
 * Router.builder().on("cex", "/command/{type}", req -> {
 *     String type = req.pathVariable("type");
 *     String json = req.payloadAsString();
 *     return commands.poll(req.endpointToken(), type, json);   // CompletionStage<Reply>
 * });
 * }</pre>
 *
 * <p>Immutable, apart from the payload array, which is not copied: treat it as read-only.
 * {@code toString()} redacts the endpoint token (D16).
 */
public final class Request {
    /** The attribute name under which bindings put the authenticated client (K13), see {@link #principal()}. */
    public static final String PRINCIPAL = "io.kp1.principal";

    private static final String[] NO_VARIABLES = new String[0];
    /** Longest topic or path text, and variable value, that {@link #toString()} shows whole. */
    private static final int MAX_SHOWN_TOPIC = 200;
    private static final int MAX_SHOWN_VARIABLE = 64;

    private final ResourcePath path;
    private final Topic topic;
    private final byte[] payload;
    private final int qos;
    private final Map<String, Object> attributes;
    private final String[] varNames;
    private final String[] varValues;

    private Request(ResourcePath path, Topic topic, byte[] payload, int qos, Map<String, Object> attributes,
            String[] varNames, String[] varValues) {
        this.path = path;
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.attributes = attributes;
        this.varNames = varNames;
        this.varValues = varValues;
    }

    /**
     * A request received over MQTT.
     *
     * @param topic   a request topic, e.g. from {@link io.kp1.TopicParser#tryParseRequest}
     * @param payload the message payload; not copied
     * @param qos     the QoS the message was received with, 0..2; replies use it (K8)
     * @throws IllegalArgumentException if {@code topic} is a reply topic or {@code qos} is not 0..2
     */
    public static Request fromMqtt(Topic topic, byte[] payload, int qos) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        if (topic.kind() != Topic.Kind.REQUEST) {
            throw new IllegalArgumentException("Not a request topic (D6): " + topic + " is a " + topic.kind()
                    + " topic");
        }
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("Invalid MQTT QoS " + qos + ": must be 0, 1 or 2");
        }
        return new Request(topic.path(), topic, payload, qos, Map.of(), NO_VARIABLES, NO_VARIABLES);
    }

    /**
     * A request received over HTTP (K12): no request ID, no QoS.
     *
     * @param path    the resource path decoded from the URL (D9)
     * @param payload the request body; not copied
     */
    public static Request fromHttp(ResourcePath path, byte[] payload) {
        Objects.requireNonNull(path, "path must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        return new Request(path, null, payload, -1, Map.of(), NO_VARIABLES, NO_VARIABLES);
    }

    /**
     * This request with one more attribute (or another value for {@code name}). Bindings use
     * attributes for what the transport knows and the protocol does not, such as the
     * authenticated client.
     */
    public Request withAttribute(String name, Object value) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(value, "value must not be null");
        Map<String, Object> copy = new LinkedHashMap<>(attributes);
        copy.put(name, value);
        return new Request(path, topic, payload, qos, Collections.unmodifiableMap(copy), varNames, varValues);
    }

    /**
     * This request with the authenticated client (K13), e.g. the MQTT user name or the TLS
     * client certificate's subject; the attribute {@link #PRINCIPAL}.
     */
    public Request withPrincipal(Object principal) {
        return withAttribute(PRINCIPAL, principal);
    }

    /** This request with the variables of the route that matched it. */
    Request withVariables(String[] names, String[] values) {
        return new Request(path, topic, payload, qos, attributes, names, values);
    }

    /** The topic, or null over HTTP; for the router, without an Optional. */
    Topic topicOrNull() {
        return topic;
    }

    /** The QoS, or 0 over HTTP; for the router. */
    int qosOrZero() {
        return qos < 0 ? 0 : qos;
    }

    /** The resource path (without request ID, D9 or K4). */
    public ResourcePath path() {
        return path;
    }

    /** The application version name (K1). */
    public String appVersion() {
        return path.appVersion();
    }

    /** The extension instance name (K1). */
    public String extension() {
        return path.extension();
    }

    /** Whether the path has an endpoint token level (D7). */
    public boolean hasEndpointToken() {
        return path.hasEndpointToken();
    }

    /**
     * The endpoint token, or null for an endpoint-unaware extension (D7). A secret-like value:
     * never log it (D16).
     */
    public String endpointToken() {
        return path.endpointToken();
    }

    /** The resource relative to the extension (K14): {@code /json}, {@code /command/reboot}, or {@code ""}. */
    public String resource() {
        return path.resource();
    }

    /**
     * The value of a path variable of the route that matched: {@code "reboot"} for
     * {@code type} under {@code /command/{type}}.
     *
     * @throws IllegalArgumentException if the route has no variable of that name (a programming
     *                                  error: the router then answers 500)
     */
    public String pathVariable(String name) {
        for (int i = 0; i < varNames.length; i++) {
            if (varNames[i].equals(name)) {
                return varValues[i];
            }
        }
        throw new IllegalArgumentException("No path variable \"" + name + "\" in this request; its route has "
                + (varNames.length == 0 ? "none" : String.join(", ", varNames)));
    }

    /**
     * All path variables by name, in pattern order; empty when the route has none. For a handler
     * shared by {@code /config/json} and {@code /config/json/{name}}:
     * {@code req.pathVariables().getOrDefault("name", "")}.
     */
    public Map<String, String> pathVariables() {
        if (varNames.length == 0) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>(varNames.length * 2);
        for (int i = 0; i < varNames.length; i++) {
            m.put(varNames[i], varValues[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** Whether the request carries a request ID (K4); never over HTTP (K12). */
    public boolean hasRequestId() {
        return topic != null && topic.hasRequestId();
    }

    /** The request ID (K4, K14), or empty: sent without one (K6) or over HTTP (K12). */
    public OptionalInt requestId() {
        return hasRequestId() ? OptionalInt.of(topic.requestId()) : OptionalInt.empty();
    }

    /** The MQTT QoS the request was received with (K8), or empty over HTTP. */
    public OptionalInt qos() {
        return qos < 0 ? OptionalInt.empty() : OptionalInt.of(qos);
    }

    /** The MQTT topic, name exactly as received (D2), or empty over HTTP. */
    public Optional<Topic> topic() {
        return Optional.ofNullable(topic);
    }

    /** Whether the request came over MQTT (it has a topic). */
    public boolean isMqtt() {
        return topic != null;
    }

    /** The payload array itself, not a copy: do not modify it. Empty, never null, when there is none. */
    public byte[] payload() {
        return payload;
    }

    /** The payload decoded as UTF-8 (malformed input becomes U+FFFD). */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The attribute of that name, if a binding set it. */
    public Optional<Object> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    /** The attribute of that name if it is set and of that type. */
    public <T> Optional<T> attribute(String name, Class<T> type) {
        Object v = attributes.get(name);
        return type.isInstance(v) ? Optional.of(type.cast(v)) : Optional.empty();
    }

    /** Every attribute, read-only. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /** The authenticated client (K13) if the binding set it, see {@link #withPrincipal}. */
    public Optional<Object> principal() {
        return attribute(PRINCIPAL);
    }

    /**
     * For logs: the topic or path with the token redacted (D16), the transport, the payload size,
     * path variables and attribute names (not their values); long texts are cut.
     * {@code Request[kp1/kettle_v1/cex/JT******Hh/command/reboot/42, MQTT QoS 1, 2 bytes, {type=reboot}]}
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96).append("Request[");
        if (topic != null) {
            appendCut(sb, topic.toString(), MAX_SHOWN_TOPIC);
            sb.append(", MQTT QoS ").append(qos);
        } else {
            appendCut(sb, path.toString(), MAX_SHOWN_TOPIC);
            sb.append(", HTTP");
        }
        sb.append(", ").append(payload.length).append(" bytes");
        if (varNames.length > 0) {
            sb.append(", {");
            for (int i = 0; i < varNames.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(varNames[i]).append('=');
                appendCut(sb, varValues[i], MAX_SHOWN_VARIABLE);
            }
            sb.append('}');
        }
        if (!attributes.isEmpty()) {
            sb.append(", attributes ").append(attributes.keySet());
        }
        return sb.append(']').toString();
    }

    /** Appends {@code s}, or its start and its length when it is longer than {@code max} (logs stay short). */
    private static void appendCut(StringBuilder sb, String s, int max) {
        if (s.length() <= max) {
            sb.append(s);
            return;
        }
        int end = Character.isLowSurrogate(s.charAt(max)) ? max - 1 : max;
        sb.append(s, 0, end).append("...(").append(s.length()).append(" chars)");
    }
}
