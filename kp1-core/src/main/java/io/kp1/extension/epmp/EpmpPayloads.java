package io.kp1.extension.epmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.InvalidPayloadException;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.internal.Names;
import io.kp1.extension.internal.StrictJson;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The 10/EPMP payloads: strict readers (naming the field) and checked writers. */
final class EpmpPayloads {
    static final String RULE = "10/EPMP";
    static final String KEYS_RESPONSE = "10/EPMP get keys response";
    static final String GET_REQUEST = "10/EPMP get request";
    static final String GET_RESPONSE = "10/EPMP get response";
    static final String UPDATE_REQUEST = "10/EPMP update request";
    static final String DELETE_REQUEST = "10/EPMP delete keys request";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String NOT_A_KEY = " is not a metadata key (" + Names.METADATA_KEY_PATTERN + ")";

    private EpmpPayloads() {
    }

    // ---- writers ------------------------------------------------------------------------------

    /** {@code ["name","location"]}: a get-keys response, or (non-empty) a delete request. */
    static byte[] writeKeys(Collection<String> keys, String what, PayloadLimits limits) {
        ArrayNode a = NODES.arrayNode(keys.size());
        for (String k : keys) {
            a.add(k);
        }
        return StrictJson.write(a, what, RULE, limits);
    }

    /** {@code {}} (all) or {@code {"keys":[...]}}. */
    static byte[] writeGetRequest(Collection<String> keysOrNull, PayloadLimits limits) {
        ObjectNode o = NODES.objectNode();
        if (keysOrNull != null) {
            ArrayNode a = o.putArray("keys");
            keysOrNull.forEach(a::add);
        }
        return StrictJson.write(o, GET_REQUEST, RULE, limits);
    }

    /** A metadata object: a get response, or (non-empty) an update request. */
    static byte[] writeMetadata(ObjectNode metadata, String what, PayloadLimits limits) {
        return StrictJson.write(metadata, what, RULE, limits);
    }

    // ---- checks of values given by a caller or a store ------------------------------------------

    /** Distinct valid keys in order; at least one if {@code nonEmpty}. */
    static Set<String> checkKeys(Collection<String> keys, boolean nonEmpty) {
        if (nonEmpty && keys.isEmpty()) {
            throw new IllegalArgumentException("At least one metadata key is required (10/EPMP)");
        }
        Set<String> set = new LinkedHashSet<>(keys.size() * 2);
        for (String k : keys) {
            set.add(Names.checkMetadataKey(k));
        }
        return set;
    }

    /** A metadata object with valid keys; at least one if {@code nonEmpty}. */
    static ObjectNode checkMetadata(ObjectNode metadata, boolean nonEmpty) {
        if (nonEmpty && metadata.isEmpty()) {
            throw new IllegalArgumentException("At least one metadata key is required (10/EPMP)");
        }
        for (Map.Entry<String, JsonNode> e : metadata.properties()) {
            Names.checkMetadataKey(e.getKey());
        }
        return metadata;
    }

    // ---- readers --------------------------------------------------------------------------------

    /** A get-keys response: an array of distinct keys. */
    static List<String> readKeysResponse(byte[] payload, PayloadLimits limits) {
        JsonNode root = StrictJson.read(payload, KEYS_RESPONSE, RULE, limits);
        Set<String> keys = keyArray(root, "", KEYS_RESPONSE, false);
        return Collections.unmodifiableList(new ArrayList<>(keys));
    }

    /** A get request: null for "all" (empty payload or no {@code keys}), else the keys. */
    static Set<String> readGetRequest(byte[] payload, PayloadLimits limits) {
        JsonNode root = StrictJson.readOrNull(payload, GET_REQUEST, RULE, limits);
        if (root == null) {
            return null; // 10/EPMP: a zero-byte payload asks for all metadata
        }
        ObjectNode o = requireObject(root, GET_REQUEST);
        Set<String> keys = null;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!"keys".equals(e.getKey())) {
                throw invalid(GET_REQUEST, StrictJson.child("", e.getKey()),
                        "unexpected property (allowed: keys)");
            }
            keys = keyArray(e.getValue(), "/keys", GET_REQUEST, false);
        }
        return keys;
    }

    /** A get response: an object with valid keys. */
    static ObjectNode readGetResponse(byte[] payload, PayloadLimits limits) {
        return metadataObject(StrictJson.read(payload, GET_RESPONSE, RULE, limits), GET_RESPONSE, false);
    }

    /** A full or partial update request: an object with at least one valid key. */
    static ObjectNode readUpdateRequest(byte[] payload, PayloadLimits limits) {
        return metadataObject(StrictJson.read(payload, UPDATE_REQUEST, RULE, limits), UPDATE_REQUEST, true);
    }

    /** A delete request: an array of at least one distinct valid key. */
    static Set<String> readDeleteRequest(byte[] payload, PayloadLimits limits) {
        return keyArray(StrictJson.read(payload, DELETE_REQUEST, RULE, limits), "", DELETE_REQUEST, true);
    }

    private static ObjectNode metadataObject(JsonNode root, String what, boolean nonEmpty) {
        ObjectNode o = requireObject(root, what);
        if (nonEmpty && o.isEmpty()) {
            throw invalid(what, "", "expected at least one metadata key, got an empty object");
        }
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!Names.isMetadataKey(e.getKey())) {
                throw invalid(what, StrictJson.child("", e.getKey()), Names.quote(e.getKey()) + NOT_A_KEY);
            }
        }
        return o;
    }

    private static Set<String> keyArray(JsonNode node, String pointer, String what, boolean nonEmpty) {
        if (!node.isArray()) {
            throw invalid(what, pointer, "expected an array of metadata keys, got " + StrictJson.describe(node));
        }
        if (nonEmpty && node.isEmpty()) {
            throw invalid(what, pointer, "expected at least one metadata key, got an empty array");
        }
        Set<String> keys = new LinkedHashSet<>(node.size() * 2);
        for (int i = 0; i < node.size(); i++) {
            JsonNode k = node.get(i);
            String at = StrictJson.child(pointer, i);
            if (!k.isTextual()) {
                throw invalid(what, at, "expected a metadata key (a string), got " + StrictJson.describe(k));
            }
            if (!Names.isMetadataKey(k.textValue())) {
                throw invalid(what, at, Names.quote(k.textValue()) + NOT_A_KEY);
            }
            if (!keys.add(k.textValue())) {
                throw invalid(what, at, "duplicate key " + Names.quote(k.textValue()) + " (keys are unique)");
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    private static ObjectNode requireObject(JsonNode root, String what) {
        if (!root.isObject()) {
            throw invalid(what, "", "expected a JSON object, got " + StrictJson.describe(root));
        }
        return (ObjectNode) root;
    }

    private static InvalidPayloadException invalid(String what, String pointer, String problem) {
        return new InvalidPayloadException(what, pointer, problem, RULE, null);
    }
}
