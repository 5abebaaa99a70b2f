package io.kp1.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.kp1.InvalidPayloadException;

import java.io.IOException;

/** Jackson set-up and helpers shared by the payload codecs. */
public final class Json {
    private Json() {
    }

    /** A factory whose parsers enforce the given limits and refuse trailing tokens and duplicates. */
    public static JsonFactory strictFactory(int maxDepth, int maxStringLength, int maxDocumentBytes) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(maxStringLength)
                        .maxNameLength(maxStringLength)
                        .maxDocumentLength(maxDocumentBytes)
                        .maxNumberLength(64)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * Refuses byte order marks and encodings other than UTF-8, which Jackson would otherwise
     * detect and accept (UTF-16 and UTF-32 put a zero byte in the first four).
     */
    public static void requireUtf8(byte[] json, String what, String rule) {
        int n = Math.min(json.length, 4);
        for (int i = 0; i < n; i++) {
            if (json[i] == 0) {
                throw new InvalidPayloadException(what, "", "not UTF-8 (a zero byte at offset " + i
                        + " suggests UTF-16 or UTF-32)", rule, null);
            }
        }
        if (json.length >= 2 && ((json[0] == (byte) 0xFE && json[1] == (byte) 0xFF)
                || (json[0] == (byte) 0xFF && json[1] == (byte) 0xFE))) {
            throw new InvalidPayloadException(what, "", "not UTF-8 (a UTF-16 byte order mark)", rule, null);
        }
    }

    /** How the current token reads in a message: "a string", "an object", ... */
    public static String describe(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "nothing (empty payload)";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
                return "an integer";
            case VALUE_NUMBER_FLOAT:
                return "a number with a fraction";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.toString();
        }
    }

    /** The parser's message without its source location. */
    public static String originalMessage(IOException e) {
        if (e instanceof JsonProcessingException) {
            return ((JsonProcessingException) e).getOriginalMessage();
        }
        return e.getMessage();
    }

    /** Escapes a property name for a JSON Pointer (RFC 6901). */
    public static String escapePointer(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
