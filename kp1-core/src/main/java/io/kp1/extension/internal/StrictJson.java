package io.kp1.extension.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import io.kp1.InvalidPayloadException;
import io.kp1.extension.PayloadLimits;
import io.kp1.internal.Json;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The strict, bounded JSON reader and the checking writer of the extension payloads.
 *
 * <p>{@link #read} builds a tree and refuses, naming the field by JSON Pointer: text that is not
 * UTF-8, malformed JSON, duplicate property names, trailing content, and anything past the
 * {@link PayloadLimits}. {@link #write} refuses a tree that {@link #read} would refuse under the
 * same limits (too deep, too long a string, non-finite numbers, too large), so that whatever is
 * written reads back.
 */
public final class StrictJson {
    /** The longest number text Jackson reads under {@link Json#strictFactory}. */
    static final int MAX_NUMBER_LENGTH = 64;
    /** Pointers in messages are cut past this many characters. */
    private static final int MAX_POINTER_SHOWN = 200;
    private static final int MAX_CACHED_FACTORIES = 16;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper WRITER = JsonMapper.builder().build();
    private static final Map<PayloadLimits, JsonFactory> FACTORIES = new ConcurrentHashMap<>();

    private StrictJson() {
    }

    /** A plain mapper for converting caller objects to trees, the facades' default. */
    public static ObjectMapper defaultMapper() {
        return WRITER;
    }

    /**
     * Reads one JSON value strictly.
     *
     * @param what what is read, for messages: {@code "10/EPMP get request"}
     * @param rule the rule cited in messages: {@code "10/EPMP"}
     * @throws InvalidPayloadException naming the field and the problem; also for an empty payload
     */
    public static JsonNode read(byte[] json, String what, String rule, PayloadLimits limits) {
        JsonNode node = readOrNull(json, what, rule, limits);
        if (node == null) {
            throw new InvalidPayloadException(what, "", "expected a JSON value, got nothing (empty payload)", rule, null);
        }
        return node;
    }

    /** Like {@link #read}, but null for a payload with no JSON value (empty or only white space). */
    public static JsonNode readOrNull(byte[] json, String what, String rule, PayloadLimits limits) {
        if (json.length > limits.maxBytes()) {
            throw new InvalidPayloadException(what, "", "payload of " + json.length + " bytes is over the limit of "
                    + limits.maxBytes(), rule, null);
        }
        Json.requireUtf8(json, what, rule);
        JsonParser p = null;
        try {
            p = factory(limits).createParser(json);
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            JsonNode root = value(p, t, what, rule);
            if (p.nextToken() != null) {
                throw new InvalidPayloadException(what, "", "trailing content after the JSON value", rule, null);
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new InvalidPayloadException(what, pointerOf(p), "over a read limit: " + e.getOriginalMessage(),
                    rule, e);
        } catch (IOException e) {
            throw new InvalidPayloadException(what, pointerOf(p), "malformed JSON: " + Json.originalMessage(e),
                    rule, e);
        } finally {
            if (p != null) {
                try {
                    p.close();
                } catch (IOException ignored) {
                    // a parser over a byte array has nothing to release
                }
            }
        }
    }

    private static JsonNode value(JsonParser p, JsonToken t, String what, String rule) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (o.has(name)) {
                        throw new InvalidPayloadException(what, pointerOf(p), "duplicate property", rule, null);
                    }
                    o.set(name, value(p, p.nextToken(), what, rule));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(value(p, n, what, rule));
                }
                return a;
            }
            case VALUE_STRING:
                return TextNode.valueOf(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return IntNode.valueOf(p.getIntValue());
                    case LONG:
                        return LongNode.valueOf(p.getLongValue());
                    default:
                        return exactNumber(BigIntegerNode.valueOf(p.getBigIntegerValue()), p, what, rule);
                }
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                // 1e400 is valid JSON but no double: keep it exact rather than write "Infinity" later.
                if (Double.isFinite(d)) {
                    return DoubleNode.valueOf(d);
                }
                try {
                    return exactNumber(DecimalNode.valueOf(p.getDecimalValue()), p, what, rule);
                } catch (NumberFormatException e) {
                    // 2E2222222222 (found by fuzzing): valid JSON, but its exponent is past what a
                    // BigDecimal holds (an int scale). Refuse it as bad input, naming the field.
                    String text = p.getText();
                    throw new InvalidPayloadException(what, pointerOf(p), "number out of range: "
                            + (text.length() <= MAX_NUMBER_LENGTH ? text : text.substring(0, MAX_NUMBER_LENGTH) + "..."),
                            rule, e);
                }
            }
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return NullNode.instance;
            default:
                throw new InvalidPayloadException(what, pointerOf(p), "unexpected token " + t, rule, null);
        }
    }

    /**
     * A number kept exact (no long, no double) is refused past {@link #MAX_NUMBER_LENGTH}
     * characters as {@link #write} refuses it, so that what is read writes back (found by
     * fuzzing: {@code 7111...1E446}, 69 characters, read as {@code 7.111...1E+510} and then
     * refused by the writer). Jackson's own number-length check does not cover the exponent.
     */
    private static JsonNode exactNumber(JsonNode node, JsonParser p, String what, String rule) {
        int length = node.asText().length();
        if (length > MAX_NUMBER_LENGTH) {
            throw new InvalidPayloadException(what, pointerOf(p), "number of " + length
                    + " characters is longer than the limit of " + MAX_NUMBER_LENGTH, rule, null);
        }
        return node;
    }

    private static JsonFactory factory(PayloadLimits limits) {
        JsonFactory f = FACTORIES.get(limits);
        if (f == null) {
            // Duplicates are found by hand above, which names the property.
            f = Json.strictFactory(limits.maxDepth(), limits.maxStringLength(), limits.maxBytes())
                    .rebuild().disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
            if (FACTORIES.size() < MAX_CACHED_FACTORIES) {
                FACTORIES.putIfAbsent(limits, f);
            }
        }
        return f;
    }

    private static String pointerOf(JsonParser p) {
        if (p == null) {
            return "";
        }
        String ptr = p.getParsingContext().pathAsPointer().toString();
        return cutPointer(ptr);
    }

    private static String cutPointer(String ptr) {
        return ptr.length() <= MAX_POINTER_SHOWN ? ptr : ptr.substring(0, MAX_POINTER_SHOWN) + "...";
    }

    /**
     * Writes a tree as UTF-8 JSON, after checking that {@link #read} would read it back under
     * {@code limits}.
     *
     * @param what what is written, for messages: {@code "2/DCP sample"}
     * @throws InvalidPayloadException (an {@link IllegalArgumentException}) naming the field
     */
    public static byte[] write(JsonNode node, String what, String rule, PayloadLimits limits) {
        check(node, "", 1, what, rule, limits);
        byte[] bytes;
        try {
            bytes = WRITER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new InvalidPayloadException(what, "", "cannot be written as JSON: " + e.getOriginalMessage(), rule, e);
        }
        if (bytes.length > limits.maxBytes()) {
            throw new InvalidPayloadException(what, "", "payload of " + bytes.length + " bytes is over the limit of "
                    + limits.maxBytes(), rule, null);
        }
        return bytes;
    }

    /**
     * Checks a tree given by a caller (a value to be embedded in a payload) as {@link #write} does.
     *
     * @param pointer where the value will sit in the payload, e.g. {@code "/0/payload"}
     * @param depth   the nesting depth of the value in the payload (1 for the root)
     */
    public static void check(JsonNode node, String pointer, int depth, String what, String rule, PayloadLimits limits) {
        if (node == null) {
            throw new InvalidPayloadException(what, pointer, "null (use NullNode for JSON null)", rule, null);
        }
        JsonNodeType type = node.getNodeType();
        switch (type) {
            case OBJECT: {
                requireDepth(depth, pointer, what, rule, limits);
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    String child = pointer + "/" + Json.escapePointer(e.getKey());
                    requireLength(e.getKey(), cutPointer(child), "property name", what, rule, limits);
                    check(e.getValue(), child, depth + 1, what, rule, limits);
                }
                return;
            }
            case ARRAY: {
                requireDepth(depth, pointer, what, rule, limits);
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), pointer + "/" + i, depth + 1, what, rule, limits);
                }
                return;
            }
            case STRING:
                requireLength(node.textValue(), cutPointer(pointer), "string", what, rule, limits);
                return;
            case NUMBER:
                if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
                    throw new InvalidPayloadException(what, cutPointer(pointer), "not a finite number: "
                            + node.doubleValue() + " (JSON has no NaN or Infinity)", rule, null);
                }
                if ((node.isBigInteger() || node.isBigDecimal()) && node.asText().length() > MAX_NUMBER_LENGTH) {
                    throw new InvalidPayloadException(what, cutPointer(pointer), "number of " + node.asText().length()
                            + " characters is longer than the limit of " + MAX_NUMBER_LENGTH, rule, null);
                }
                return;
            case BOOLEAN:
            case NULL:
                return;
            default:
                // MISSING, POJO, BINARY: not plain JSON values.
                throw new InvalidPayloadException(what, cutPointer(pointer), "not a plain JSON value (a " + type
                        + " node)", rule, null);
        }
    }

    private static void requireDepth(int depth, String pointer, String what, String rule, PayloadLimits limits) {
        if (depth > limits.maxDepth()) {
            throw new InvalidPayloadException(what, cutPointer(pointer), "nested deeper than the limit of "
                    + limits.maxDepth(), rule, null);
        }
    }

    private static void requireLength(String s, String pointer, String kind, String what, String rule,
            PayloadLimits limits) {
        if (s.length() > limits.maxStringLength()) {
            throw new InvalidPayloadException(what, pointer, kind + " of " + s.length()
                    + " characters is longer than the limit of " + limits.maxStringLength(), rule, null);
        }
    }

    /** How a node reads in a message: "a string", "an object", ... */
    public static String describe(JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT:
                return "an object";
            case ARRAY:
                return "an array";
            case STRING:
                return "a string";
            case NUMBER:
                return n.isIntegralNumber() ? "an integer" : "a number with a fraction";
            case BOOLEAN:
                return "a boolean";
            case NULL:
                return "null";
            default:
                return "a " + n.getNodeType();
        }
    }

    /** {@code parent + "/" + name}, escaped (RFC 6901) and cut for messages. */
    public static String child(String parent, String name) {
        return cutPointer(parent + "/" + Json.escapePointer(name));
    }

    /** {@code parent + "/" + index}. */
    public static String child(String parent, int index) {
        return cutPointer(parent + "/" + index);
    }
}
