package io.kp1.extension.cmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.internal.Fields;
import io.kp1.extension.internal.StrictJson;

import java.util.List;
import java.util.Objects;

/**
 * A 7/CMP configuration response: a configuration with its identifier, or "unchanged".
 *
 * <table>
 *   <caption>The three kinds (7/CMP)</caption>
 *   <tr><th>kind</th><th>JSON</th><th>{@code isUnchanged()}</th><th>{@code isAbsent()}</th><th>{@code configId()}</th>
 *       <th>{@code config()}</th></tr>
 *   <tr><td>a configuration</td><td>{@code {"configId":"9701...","config":{...}}}</td><td>false</td><td>false</td>
 *       <td>{@code "9701..."}</td><td>the body, any JSON value</td></tr>
 *   <tr><td>none assigned</td><td>{@code {"configId":"","config":null}}</td><td>false</td><td>true</td>
 *       <td>{@code ""}</td><td>{@code NullNode}</td></tr>
 *   <tr><td>unchanged</td><td>{@code {}} (over HTTP a server may answer 304 instead, D10)</td><td>true</td>
 *       <td>false</td><td>throws</td><td>throws</td></tr>
 * </table>
 *
 * <pre>{@code
 * ConfigResponse r = ConfigResponse.of("97016dbe8bb4adff8f754ecbf24612f2", configNode);
 * ConfigResponse.fromJson(r.toJson()).equals(r);   // true
 * ConfigResponse.fromJson("{}".getBytes(UTF_8)).isUnchanged();   // true
 * }</pre>
 *
 * <p>{@code configId} and {@code config} come in a pair (7/CMP): the reader refuses one without
 * the other, and an empty {@code configId} with a configuration that is not {@code null}.
 * Immutable.
 */
public final class ConfigResponse {
    private static final ConfigResponse UNCHANGED = new ConfigResponse(null, null);
    private static final ConfigResponse ABSENT = new ConfigResponse("", NullNode.getInstance());
    private static final List<String> PROPERTIES = List.of("configId", "config");
    private static final Fields FIELDS = new Fields("7/CMP config response", "7/CMP");

    private final String configId;
    private final JsonNode config;

    private ConfigResponse(String configId, JsonNode config) {
        this.configId = configId;
        this.config = config;
    }

    /** "Unchanged": the configuration is the one the request named ({@code {}}). */
    public static ConfigResponse unchanged() {
        return UNCHANGED;
    }

    /** No configuration assigned: {@code {"configId":"","config":null}} (7/CMP "absent configuration"). */
    public static ConfigResponse absent() {
        return ABSENT;
    }

    /**
     * A configuration.
     *
     * @param configId an opaque identifier; {@code ""} only with a {@code NullNode} config
     *                 (see {@link #absent()})
     * @param config   the body, any JSON value ({@code NullNode} for JSON null)
     * @throws IllegalArgumentException for an empty {@code configId} with a non-null config
     */
    public static ConfigResponse of(String configId, JsonNode config) {
        Objects.requireNonNull(configId, "configId must not be null");
        Objects.requireNonNull(config, "config must not be null (use NullNode)");
        if (configId.isEmpty()) {
            if (!config.isNull()) {
                throw new IllegalArgumentException("An empty configId means no configuration (7/CMP): config must be "
                        + "null, got " + StrictJson.describe(config));
            }
            return ABSENT;
        }
        return new ConfigResponse(configId, config);
    }

    /** Whether this is "unchanged" ({@code {}}). */
    public boolean isUnchanged() {
        return configId == null;
    }

    /** Whether no configuration is assigned ({@code configId} {@code ""}, config {@code null}). */
    public boolean isAbsent() {
        return configId != null && configId.isEmpty();
    }

    /**
     * The configuration identifier ({@code ""} when none is assigned).
     *
     * @throws IllegalStateException if this is "unchanged"
     */
    public String configId() {
        requireChanged();
        return configId;
    }

    /**
     * The configuration body ({@code NullNode} when none is assigned). Do not modify it.
     *
     * @throws IllegalStateException if this is "unchanged"
     */
    public JsonNode config() {
        requireChanged();
        return config;
    }

    private void requireChanged() {
        if (configId == null) {
            throw new IllegalStateException("An unchanged 7/CMP response has no configId or config; "
                    + "check isUnchanged() first");
        }
    }

    /** The JSON payload under the default limits. */
    public byte[] toJson() {
        return toJson(PayloadLimits.DEFAULTS);
    }

    /**
     * The JSON payload: {@code {}} or {@code {"configId":..,"config":..}}.
     *
     * @throws IllegalArgumentException if the config would be past {@code limits}
     */
    public byte[] toJson(PayloadLimits limits) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        if (configId != null) {
            o.put("configId", configId);
            o.set("config", config);
        }
        return FIELDS.write(o, limits);
    }

    /** Reads a response under the default limits; see {@link #fromJson(byte[], PayloadLimits)}. */
    public static ConfigResponse fromJson(byte[] payload) {
        return fromJson(payload, PayloadLimits.DEFAULTS);
    }

    /**
     * Reads a response strictly.
     *
     * @throws io.kp1.InvalidPayloadException naming the field
     */
    public static ConfigResponse fromJson(byte[] payload, PayloadLimits limits) {
        ObjectNode o = FIELDS.readObject(payload, limits, PROPERTIES);
        JsonNode id = o.get("configId");
        JsonNode config = o.get("config");
        if (id == null && config == null) {
            return UNCHANGED;
        }
        if (id == null) {
            throw FIELDS.invalid("/configId", "required property is missing (configId and config come in a pair)");
        }
        String configId = FIELDS.string(id, "/configId");
        if (config == null) {
            throw FIELDS.invalid("/config", "required property is missing (configId and config come in a pair)");
        }
        if (configId.isEmpty() && !config.isNull()) {
            throw FIELDS.invalid("/config", "an empty configId means no configuration, so config must be null, got "
                    + StrictJson.describe(config));
        }
        return configId.isEmpty() ? ABSENT : new ConfigResponse(configId, config);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigResponse && Objects.equals(((ConfigResponse) o).configId, configId)
                && Objects.equals(((ConfigResponse) o).config, config);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configId, config);
    }

    @Override
    public String toString() {
        if (configId == null) {
            return "ConfigResponse[unchanged]";
        }
        return configId.isEmpty() ? "ConfigResponse[absent]"
                : "ConfigResponse[configId=\"" + configId + "\", config " + StrictJson.describe(config) + "]";
    }
}
