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
 * A 7/CMP applied-configuration report ({@code /applied/json[/<name>]}): the endpoint tried to
 * apply a configuration, and succeeded (2xx, the default) or rejected it.
 *
 * <pre>{@code
 * AppliedReport.applied("97016dbe8bb4adff8f754ecbf24612f2").toJson();
 *     // {"configId":"97016dbe8bb4adff8f754ecbf24612f2"}
 * AppliedReport.rejected("97016dbe8bb4adff8f754ecbf24612f2", 400, "WPA2 is not supported").toJson();
 *     // {"configId":"97016dbe8bb4adff8f754ecbf24612f2","statusCode":400,"reasonPhrase":"WPA2 is not supported"}
 * }</pre>
 *
 * <p>Immutable. The reader accepts a {@code statusCode} written as an integral number with a
 * fraction ({@code 400.0}: the schema says {@code "number"}) and refuses anything outside
 * 100..599.
 */
public final class AppliedReport {
    /** The status code of a report that gives none (7/CMP schema default). */
    public static final int DEFAULT_STATUS_CODE = 200;
    private static final List<String> PROPERTIES = List.of("configId", "statusCode", "reasonPhrase");
    private static final Fields FIELDS = new Fields("7/CMP applied request", "7/CMP");

    private final String configId;
    private final Integer statusCode;
    private final String reasonPhrase;

    private AppliedReport(String configId, Integer statusCode, String reasonPhrase) {
        this.configId = configId;
        this.statusCode = statusCode;
        this.reasonPhrase = reasonPhrase;
    }

    /** The configuration was applied: {@code {"configId":..}}. */
    public static AppliedReport applied(String configId) {
        return new AppliedReport(Objects.requireNonNull(configId, "configId must not be null"), null, null);
    }

    /**
     * The configuration was rejected.
     *
     * @param statusCode   an HTTP status code outside 2xx, e.g. 400
     * @param reasonPhrase why (7/CMP: SHOULD be given)
     * @throws IllegalArgumentException for a status code that is 2xx or outside 100..599
     */
    public static AppliedReport rejected(String configId, int statusCode, String reasonPhrase) {
        Objects.requireNonNull(configId, "configId must not be null");
        Objects.requireNonNull(reasonPhrase, "reasonPhrase must not be null");
        if (statusCode < 100 || statusCode > 599 || (statusCode >= 200 && statusCode < 300)) {
            throw new IllegalArgumentException("Invalid statusCode " + statusCode + " for a rejection: must be an "
                    + "HTTP status code 100..599 outside 2xx (7/CMP)");
        }
        return new AppliedReport(configId, statusCode, reasonPhrase);
    }

    /** The configuration the report is about. */
    public String configId() {
        return configId;
    }

    /** The status code, {@value #DEFAULT_STATUS_CODE} when the report gives none. */
    public int statusCode() {
        return statusCode == null ? DEFAULT_STATUS_CODE : statusCode;
    }

    /** Whether the report gave a status code. */
    public boolean hasStatusCode() {
        return statusCode != null;
    }

    /** The reason phrase, if any. */
    public Optional<String> reasonPhrase() {
        return Optional.ofNullable(reasonPhrase);
    }

    /** Whether the configuration was applied: a 2xx status code (7/CMP). */
    public boolean isApplied() {
        int s = statusCode();
        return s >= 200 && s < 300;
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
        o.put("configId", configId);
        if (statusCode != null) {
            o.put("statusCode", statusCode.intValue());
        }
        if (reasonPhrase != null) {
            o.put("reasonPhrase", reasonPhrase);
        }
        return FIELDS.write(o, limits);
    }

    /** Reads a report under the default limits; see {@link #fromJson(byte[], PayloadLimits)}. */
    public static AppliedReport fromJson(byte[] payload) {
        return fromJson(payload, PayloadLimits.DEFAULTS);
    }

    /**
     * Reads a report strictly: {@code configId} (string) required, {@code statusCode} (100..599)
     * and {@code reasonPhrase} (string) optional, nothing else.
     *
     * @throws io.kp1.InvalidPayloadException naming the field
     */
    public static AppliedReport fromJson(byte[] payload, PayloadLimits limits) {
        ObjectNode o = FIELDS.readObject(payload, limits, PROPERTIES);
        String id = null;
        Integer status = null;
        String reason = null;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            switch (e.getKey()) {
                case "configId":
                    id = FIELDS.string(e.getValue(), "/configId");
                    break;
                case "statusCode":
                    status = FIELDS.statusCode(e.getValue(), "/statusCode", true);
                    break;
                default:
                    reason = FIELDS.string(e.getValue(), "/reasonPhrase");
                    break;
            }
        }
        if (id == null) {
            throw FIELDS.invalid("/configId", "required property is missing");
        }
        return new AppliedReport(id, status, reason);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AppliedReport)) {
            return false;
        }
        AppliedReport r = (AppliedReport) o;
        return r.configId.equals(configId) && Objects.equals(r.statusCode, statusCode)
                && Objects.equals(r.reasonPhrase, reasonPhrase);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configId, statusCode, reasonPhrase);
    }

    @Override
    public String toString() {
        return "AppliedReport[configId=\"" + configId + "\", " + statusCode() + (reasonPhrase == null ? ""
                : " " + reasonPhrase) + "]";
    }
}
