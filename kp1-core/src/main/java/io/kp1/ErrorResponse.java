package io.kp1;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.kp1.internal.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The 1/KP error payload (K7): {@code {"statusCode": int, "reasonPhrase": string}}, both required,
 * nothing else. Status codes are HTTP status codes.
 *
 * <pre>{@code
 * ErrorResponse e = ErrorResponse.of(404, "Unknown resource");
 * byte[] json = e.toJson();   // {"statusCode":404,"reasonPhrase":"Unknown resource"}
 * ErrorResponse back = ErrorResponse.fromJson(json);  // equal to e
 * }</pre>
 *
 * <p>{@link #fromJson} is strict: a missing, mistyped, duplicated or extra field, text that is
 * not UTF-8, JSON nested deeper than {@value #MAX_NESTING_DEPTH} levels, a reason phrase longer
 * than {@value #MAX_REASON_LENGTH} characters or a payload past {@value #MAX_PAYLOAD_BYTES} bytes
 * is an {@link InvalidPayloadException} that names the field.
 */
public final class ErrorResponse {
    /** The longest reason phrase {@link #of} and {@link #fromJson} accept, in characters (UTF-16 units). */
    public static final int MAX_REASON_LENGTH = 16_384;
    /**
     * The largest error payload {@link #fromJson} accepts, in bytes: more than {@link #toJson}
     * ever writes (a reason phrase of {@link #MAX_REASON_LENGTH} characters, each escaped to at
     * most six bytes), so that every payload this class writes reads back.
     */
    public static final int MAX_PAYLOAD_BYTES = 131_072;
    /** The deepest nesting {@link #fromJson} reads before it gives up. */
    public static final int MAX_NESTING_DEPTH = 16;

    private static final String WHAT = "error response";
    private static final String RULE = "K7";
    // Both properties are read by hand, which finds a duplicate and names it; Jackson's own
    // detection would fire first and report it as "malformed JSON" without the field.
    private static final JsonFactory JSON = Json.strictFactory(MAX_NESTING_DEPTH, MAX_REASON_LENGTH,
            MAX_PAYLOAD_BYTES).rebuild().disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private final int statusCode;
    private final String reasonPhrase;

    private ErrorResponse(int statusCode, String reasonPhrase) {
        this.statusCode = statusCode;
        this.reasonPhrase = reasonPhrase;
    }

    /**
     * An error response.
     *
     * @param statusCode   an HTTP status code, 100..599
     * @param reasonPhrase a human-readable reason, at most {@link #MAX_REASON_LENGTH} characters;
     *                     must not be null
     * @throws IllegalArgumentException if a value is one that {@link #fromJson} would refuse
     */
    public static ErrorResponse of(int statusCode, String reasonPhrase) {
        Objects.requireNonNull(reasonPhrase, "reasonPhrase must not be null");
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException("Invalid statusCode " + statusCode
                    + ": must be an HTTP status code 100..599 (K7)");
        }
        if (reasonPhrase.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("Invalid reasonPhrase of " + reasonPhrase.length()
                    + " characters: at most " + MAX_REASON_LENGTH + " (K7)");
        }
        return new ErrorResponse(statusCode, reasonPhrase);
    }

    /** The HTTP status code. */
    public int statusCode() {
        return statusCode;
    }

    /** The human-readable reason phrase. */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** The UTF-8 JSON payload: exactly {@code {"statusCode":..,"reasonPhrase":..}} (K7). */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(40 + reasonPhrase.length());
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("statusCode", statusCode);
            g.writeStringField("reasonPhrase", reasonPhrase);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return out.toByteArray();
    }

    /**
     * Reads a K7 error payload strictly.
     *
     * @throws InvalidPayloadException naming the field and the problem
     */
    public static ErrorResponse fromJson(byte[] json) {
        Objects.requireNonNull(json, "json must not be null");
        if (json.length > MAX_PAYLOAD_BYTES) {
            throw new InvalidPayloadException(WHAT, "", "payload of " + json.length + " bytes is over the limit of "
                    + MAX_PAYLOAD_BYTES, RULE, null);
        }
        Json.requireUtf8(json, WHAT, RULE);
        Integer status = null;
        String reason = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidPayloadException(WHAT, "", "expected a JSON object, got " + Json.describe(p), RULE, null);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("statusCode".equals(name)) {
                    if (status != null) {
                        throw duplicate(name);
                    }
                    if (t != JsonToken.VALUE_NUMBER_INT) {
                        throw new InvalidPayloadException(WHAT, "/statusCode", "expected an integer, got "
                                + Json.describe(p), RULE, null);
                    }
                    if (p.getNumberType() != JsonParser.NumberType.INT) {
                        throw new InvalidPayloadException(WHAT, "/statusCode", "integer out of range: "
                                + p.getText(), RULE, null);
                    }
                    status = p.getIntValue();
                    if (status < 100 || status > 599) {
                        throw new InvalidPayloadException(WHAT, "/statusCode", "not an HTTP status code (100..599): "
                                + status, RULE, null);
                    }
                } else if ("reasonPhrase".equals(name)) {
                    if (reason != null) {
                        throw duplicate(name);
                    }
                    if (t != JsonToken.VALUE_STRING) {
                        throw new InvalidPayloadException(WHAT, "/reasonPhrase", "expected a string, got "
                                + Json.describe(p), RULE, null);
                    }
                    try {
                        reason = p.getText(); // Jackson decodes, and checks the length, here
                    } catch (StreamConstraintsException e) {
                        throw new InvalidPayloadException(WHAT, "/reasonPhrase", "longer than "
                                + MAX_REASON_LENGTH + " characters", RULE, e);
                    } catch (JsonParseException e) {
                        // Bytes that are not UTF-8, or a raw control character, inside the string.
                        throw new InvalidPayloadException(WHAT, "/reasonPhrase", "malformed string: "
                                + e.getOriginalMessage(), RULE, e);
                    }
                } else {
                    throw new InvalidPayloadException(WHAT, "/" + Json.escapePointer(name),
                            "unexpected property (only statusCode and reasonPhrase are allowed)", RULE, null);
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidPayloadException(WHAT, "", "trailing content after the JSON object", RULE, null);
            }
        } catch (StreamConstraintsException e) {
            throw new InvalidPayloadException(WHAT, "", "over a read limit: " + e.getOriginalMessage(), RULE, e);
        } catch (IOException e) {
            throw new InvalidPayloadException(WHAT, "", "malformed JSON: " + Json.originalMessage(e), RULE, e);
        }
        if (status == null) {
            throw new InvalidPayloadException(WHAT, "/statusCode", "required property is missing", RULE, null);
        }
        if (reason == null) {
            throw new InvalidPayloadException(WHAT, "/reasonPhrase", "required property is missing", RULE, null);
        }
        return new ErrorResponse(status, reason);
    }

    private static InvalidPayloadException duplicate(String name) {
        return new InvalidPayloadException(WHAT, "/" + name, "duplicate property", RULE, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ErrorResponse && ((ErrorResponse) o).statusCode == statusCode
                && ((ErrorResponse) o).reasonPhrase.equals(reasonPhrase);
    }

    @Override
    public int hashCode() {
        return 31 * statusCode + reasonPhrase.hashCode();
    }

    @Override
    public String toString() {
        return "ErrorResponse[" + statusCode + " " + reasonPhrase + "]";
    }
}
