package io.kp1.extension.cmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.internal.Fields;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A 7/CMP configuration request: {@code {"configId"?, "observe"?}}, both optional.
 *
 * <table>
 *   <caption>What the server does (7/CMP)</caption>
 *   <tr><th>payload</th><th>meaning</th></tr>
 *   <tr><td>{@code {"observe":false}}</td><td>send the current configuration, no pushes</td></tr>
 *   <tr><td>{@code {"configId":"9701..."}}</td><td>send the configuration only if it is not 9701...;
 *       otherwise {@code {}} (unchanged)</td></tr>
 *   <tr><td>{@code {"observe":true}}</td><td>send it now and whenever it changes (K11)</td></tr>
 * </table>
 *
 * <pre>{@code
 * ConfigRequest r = ConfigRequest.of().withConfigId("97016dbe8bb4adff8f754ecbf24612f2").withObserve(true);
 * byte[] json = r.toJson();      // {"configId":"97016dbe8bb4adff8f754ecbf24612f2","observe":true}
 * ConfigRequest.fromJson(json);  // equal to r
 * }</pre>
 *
 * <p>Immutable. The client facade {@link Configuration} writes these; a
 * {@link ConfigurationSource} receives them read.
 */
public final class ConfigRequest {
    private static final ConfigRequest EMPTY = new ConfigRequest(null, null);
    private static final List<String> PROPERTIES = List.of("configId", "observe");
    private static final Fields FIELDS = new Fields("7/CMP config request", "7/CMP");

    private final String configId;
    private final Boolean observe;

    private ConfigRequest(String configId, Boolean observe) {
        this.configId = configId;
        this.observe = observe;
    }

    /** {@code {}}: the current configuration; the server may also push later ones (7/CMP). */
    public static ConfigRequest of() {
        return EMPTY;
    }

    /** This request naming the configuration the endpoint has applied ({@code ""} for none). */
    public ConfigRequest withConfigId(String configId) {
        return new ConfigRequest(Objects.requireNonNull(configId, "configId must not be null"), observe);
    }

    /** This request with the {@code observe} flag. */
    public ConfigRequest withObserve(boolean observe) {
        return new ConfigRequest(configId, observe);
    }

    /** The configuration the endpoint has, if it said. */
    public Optional<String> configId() {
        return Optional.ofNullable(configId);
    }

    /** The observe flag, if present (absent: the server may push or not). */
    public Optional<Boolean> observe() {
        return Optional.ofNullable(observe);
    }

    /** The JSON payload under the default limits. */
    public byte[] toJson() {
        return toJson(PayloadLimits.DEFAULTS);
    }

    /**
     * The JSON payload.
     *
     * @throws IllegalArgumentException if it would be past {@code limits}
     */
    public byte[] toJson(PayloadLimits limits) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (configId != null) {
            o.put("configId", configId);
        }
        if (observe != null) {
            o.put("observe", observe);
        }
        return FIELDS.write(o, limits);
    }

    /** Reads a request under the default limits; see {@link #fromJson(byte[], PayloadLimits)}. */
    public static ConfigRequest fromJson(byte[] payload) {
        return fromJson(payload, PayloadLimits.DEFAULTS);
    }

    /**
     * Reads a request strictly: a JSON object with at most a string {@code configId} and a
     * boolean {@code observe}.
     *
     * @throws io.kp1.InvalidPayloadException naming the field
     */
    public static ConfigRequest fromJson(byte[] payload, PayloadLimits limits) {
        ObjectNode o = FIELDS.readObject(payload, limits, PROPERTIES);
        String id = null;
        Boolean obs = null;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if ("configId".equals(e.getKey())) {
                id = FIELDS.string(e.getValue(), "/configId");
            } else {
                obs = FIELDS.bool(e.getValue(), "/observe");
            }
        }
        return id == null && obs == null ? EMPTY : new ConfigRequest(id, obs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigRequest && Objects.equals(((ConfigRequest) o).configId, configId)
                && Objects.equals(((ConfigRequest) o).observe, observe);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configId, observe);
    }

    @Override
    public String toString() {
        return "ConfigRequest[configId=" + (configId == null ? "(absent)" : "\"" + configId + "\"")
                + ", observe=" + (observe == null ? "(absent)" : observe) + "]";
    }
}
