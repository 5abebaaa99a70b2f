package io.kp1.extension.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.InvalidPayloadException;
import io.kp1.extension.PayloadLimits;

import java.math.BigDecimal;
import java.util.Map;
import java.util.List;

/**
 * One payload kind's strict reads and checked writes: the whole payload ({@link #read},
 * {@link #readObject}, {@link #write}, through {@link StrictJson} under the caller's limits) and
 * typed reads of its tree fields. Every failure names what was read, the field and the rule.
 */
public final class Fields {
    private static final BigDecimal MIN_STATUS = BigDecimal.valueOf(100);
    private static final BigDecimal MAX_STATUS = BigDecimal.valueOf(599);

    private final String what;
    private final String rule;

    /**
     * @param what what is read, for messages: {@code "7/CMP config request"}
     * @param rule the rule cited: {@code "7/CMP"}
     */
    public Fields(String what, String rule) {
        this.what = what;
        this.rule = rule;
    }

    /** Reads a whole payload strictly; see {@link StrictJson#read}. */
    public JsonNode read(byte[] payload, PayloadLimits limits) {
        return StrictJson.read(payload, what, rule, limits);
    }

    /** Reads a whole payload that must be an object with no property outside {@code allowed}. */
    public ObjectNode readObject(byte[] payload, PayloadLimits limits, List<String> allowed) {
        return object(read(payload, limits), "", allowed);
    }

    /** Writes a whole payload after the checks of {@link StrictJson#write}. */
    public byte[] write(JsonNode node, PayloadLimits limits) {
        return StrictJson.write(node, what, rule, limits);
    }

    /** An exception naming {@code pointer}. */
    public InvalidPayloadException invalid(String pointer, String problem) {
        return new InvalidPayloadException(what, pointer, problem, rule, null);
    }

    /** The node as an object with no property outside {@code allowed} (listed in that order in messages). */
    public ObjectNode object(JsonNode n, String pointer, List<String> allowed) {
        if (!n.isObject()) {
            throw invalid(pointer, "expected a JSON object, got " + StrictJson.describe(n));
        }
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!allowed.contains(e.getKey())) {
                throw invalid(StrictJson.child(pointer, e.getKey()), "unexpected property (allowed: "
                        + String.join(", ", allowed) + ")");
            }
        }
        return (ObjectNode) n;
    }

    /** A string. */
    public String string(JsonNode n, String pointer) {
        if (!n.isTextual()) {
            throw invalid(pointer, "expected a string, got " + StrictJson.describe(n));
        }
        return n.textValue();
    }

    /** A boolean. */
    public boolean bool(JsonNode n, String pointer) {
        if (!n.isBoolean()) {
            throw invalid(pointer, "expected a boolean, got " + StrictJson.describe(n));
        }
        return n.booleanValue();
    }

    /** An integer that fits a {@code long}. */
    public long longValue(JsonNode n, String pointer) {
        if (!n.isIntegralNumber()) {
            throw invalid(pointer, "expected an integer, got " + StrictJson.describe(n));
        }
        if (!n.canConvertToLong()) {
            throw invalid(pointer, "integer out of range (-2^63..2^63-1): " + n.asText());
        }
        return n.longValue();
    }

    /**
     * An HTTP status code, 100..599.
     *
     * @param integralFraction whether {@code 400.0} is accepted (a schema {@code "number"})
     */
    public int statusCode(JsonNode n, String pointer, boolean integralFraction) {
        if (!n.isIntegralNumber() && !(integralFraction && n.isNumber() && isIntegral(n))) {
            throw invalid(pointer, "expected an integer status code, got " + StrictJson.describe(n));
        }
        BigDecimal d = n.decimalValue();
        if (d.compareTo(MIN_STATUS) < 0 || d.compareTo(MAX_STATUS) > 0) {
            throw invalid(pointer, "not an HTTP status code (100..599): " + n.asText());
        }
        return d.intValue();
    }

    private static boolean isIntegral(JsonNode n) {
        BigDecimal d = n.decimalValue();
        return d.signum() == 0 || d.stripTrailingZeros().scale() <= 0;
    }
}
