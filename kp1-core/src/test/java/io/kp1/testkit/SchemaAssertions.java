package io.kp1.testkit;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Validates JSON payloads against the RFC schemas that kp1-core's tests carry in
 * {@code src/test/resources/schemas/} (copied unchanged from the Kaa RFCs, see {@code NOTICE.md}).
 *
 * <p>The schemas are draft-04. Some declare {@code "$schema": "http://json-schema.org/schema#"}
 * (no draft named); those are read as draft-04 too, the draft current when the RFCs were written.
 * Nothing is fetched over the network.
 *
 * <pre>{@code
 * byte[] json = ErrorResponse.of(404, "Unknown resource").toJson();
 * SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, json);
 * SchemaAssertions.assertInvalid(SchemaAssertions.ERROR_RESPONSE, "{\"statusCode\":404}");
 * }</pre>
 *
 * <p>Thread-safe: schemas are loaded once and cached.
 */
public final class SchemaAssertions {
    /** K7: the 1/KP error response. */
    public static final String ERROR_RESPONSE = "0001-error-response.schema.json";
    /** 2/DCP: a data collection request. */
    public static final String DCP_REQUEST = "0002-request.schema.json";
    /** 7/CMP: a configuration request. */
    public static final String CMP_CONFIG_REQUEST = "0007-config-request.schema.json";
    /** 7/CMP: a configuration response. */
    public static final String CMP_CONFIG_RESPONSE = "0007-config-response.schema.json";
    /** 7/CMP: an applied-configuration request. */
    public static final String CMP_APPLIED_REQUEST = "0007-applied-request.schema.json";
    /** 10/EPMP: a get-metadata-keys response. */
    public static final String EPMP_GET_KEYS_RESPONSE = "0010-get-metadata-keys-response.schema.json";
    /** 10/EPMP: a get-metadata request. */
    public static final String EPMP_GET_REQUEST = "0010-get-metadata-request.schema.json";
    /** 10/EPMP: a get-metadata response. */
    public static final String EPMP_GET_RESPONSE = "0010-get-metadata-response.schema.json";
    /** 10/EPMP: a full or partial metadata update request. */
    public static final String EPMP_UPDATE_REQUEST = "0010-update-metadata-request.schema.json";
    /** 10/EPMP: a delete-metadata-keys request. */
    public static final String EPMP_DELETE_KEYS_REQUEST = "0010-delete-metadata-keys-request.schema.json";
    /** 11/CEP: a command request. */
    public static final String CEP_COMMAND_REQUEST = "0011-command-request.schema.json";
    /** 11/CEP: a command response. */
    public static final String CEP_COMMAND_RESPONSE = "0011-command-response.schema.json";
    /** 11/CEP: a command result request (the RFC's file shows one object, not an array). */
    public static final String CEP_RESULT_REQUEST = "0011-result-request.schema.json";

    /** Every schema above, for tests that go over all of them. */
    public static final List<String> ALL = List.of(ERROR_RESPONSE, DCP_REQUEST, CMP_CONFIG_REQUEST,
            CMP_CONFIG_RESPONSE, CMP_APPLIED_REQUEST, EPMP_GET_KEYS_RESPONSE, EPMP_GET_REQUEST, EPMP_GET_RESPONSE,
            EPMP_UPDATE_REQUEST, EPMP_DELETE_KEYS_REQUEST, CEP_COMMAND_REQUEST, CEP_COMMAND_RESPONSE,
            CEP_RESULT_REQUEST);

    private static final String FOLDER = "schemas/";
    private static final String UNVERSIONED_META_SCHEMA = "http://json-schema.org/schema";

    // Duplicate names would silently keep the last value, and trailing content would be ignored:
    // a payload check must see both.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(JsonMetaSchema.builder(UNVERSIONED_META_SCHEMA, JsonMetaSchema.getV4()).build())
                    .metaSchema(JsonMetaSchema.builder(UNVERSIONED_META_SCHEMA + "#", JsonMetaSchema.getV4()).build()));
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private SchemaAssertions() {
    }

    /** The schema in {@code schemas/<name>} on the class path, e.g. {@link #ERROR_RESPONSE}. */
    public static JsonSchema schema(String name) {
        return CACHE.computeIfAbsent(name, SchemaAssertions::load);
    }

    /**
     * The schema violations of {@code json}; empty when it is valid. Bytes that are not UTF-8 or
     * not JSON are a violation too (1/KP payloads are UTF-8 JSON).
     */
    public static Set<String> violations(String schemaName, byte[] json) {
        JsonSchema schema = schema(schemaName);
        String text;
        try {
            // Decoded here, not by Jackson, which would detect and accept UTF-16 and UTF-32.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            return Set.of("not UTF-8: " + e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // RFC 8259 lets a parser ignore a byte order mark
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            return Set.of("not JSON: " + e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            return Set.of("not JSON: empty payload");
        }
        return schema.validate(node).stream().map(ValidationMessage::getMessage)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** {@link #violations(String, byte[])} for a payload given as text (encoded as UTF-8). */
    public static Set<String> violations(String schemaName, String json) {
        return violations(schemaName, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Fails, listing the violations, unless {@code json} is valid against the schema. */
    public static void assertValid(String schemaName, byte[] json) {
        Set<String> v = violations(schemaName, json);
        if (!v.isEmpty()) {
            throw new AssertionError("Expected " + quote(json) + " to be valid against " + schemaName
                    + ", but: " + v);
        }
    }

    /** {@link #assertValid(String, byte[])} for a payload given as text. */
    public static void assertValid(String schemaName, String json) {
        assertValid(schemaName, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Fails unless {@code json} breaks the schema. */
    public static void assertInvalid(String schemaName, byte[] json) {
        if (violations(schemaName, json).isEmpty()) {
            throw new AssertionError("Expected " + quote(json) + " to be invalid against " + schemaName);
        }
    }

    /** {@link #assertInvalid(String, byte[])} for a payload given as text. */
    public static void assertInvalid(String schemaName, String json) {
        assertInvalid(schemaName, json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonSchema load(String name) {
        String resource = FOLDER + name;
        try (InputStream in = SchemaAssertions.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No schema " + resource + " on the class path");
            }
            return FACTORY.getSchema(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read schema " + resource, e);
        }
    }

    private static String quote(byte[] json) {
        String s = new String(json, StandardCharsets.UTF_8);
        return s.length() > 300 ? s.substring(0, 300) + "...(" + json.length + " bytes)" : s;
    }
}
