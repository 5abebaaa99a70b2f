package io.kp1.extension.cep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.internal.Fields;
import io.kp1.extension.internal.StrictJson;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The 11/CEP payloads: strict readers (naming the field) and checked writers. */
final class CepPayloads {
    static final String RULE = "11/CEP";
    static final String COMMAND_REQUEST = "11/CEP command request";
    static final String COMMAND_RESPONSE = "11/CEP command response";
    static final String RESULT_REQUEST = "11/CEP result request";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> REQUEST_PROPERTIES = List.of("observe");
    private static final List<String> COMMAND_PROPERTIES = List.of("id", "payload");
    private static final List<String> RESULT_PROPERTIES = List.of("id", "statusCode", "reasonPhrase", "payload");
    private static final Fields REQUEST = new Fields(COMMAND_REQUEST, RULE);
    private static final Fields RESPONSE = new Fields(COMMAND_RESPONSE, RULE);
    private static final Fields RESULTS = new Fields(RESULT_REQUEST, RULE);

    private CepPayloads() {
    }

    /** {@code {"observe":true|false}}. */
    static byte[] writeCommandRequest(boolean observe, PayloadLimits limits) {
        ObjectNode o = NODES.objectNode();
        o.put("observe", observe);
        return REQUEST.write(o, limits);
    }

    /** A command request: {@code {}} or {@code {"observe":bool}}. */
    static Optional<Boolean> readCommandRequest(byte[] payload, PayloadLimits limits) {
        ObjectNode o = REQUEST.readObject(payload, limits, REQUEST_PROPERTIES);
        JsonNode observe = o.get("observe");
        return observe == null ? Optional.empty() : Optional.of(REQUEST.bool(observe, "/observe"));
    }

    /**
     * A command response: an array of {@code {"id","payload"?}}.
     *
     * @throws IllegalArgumentException for duplicate ids or a payload past the limits
     */
    static byte[] writeCommands(List<Command> commands, PayloadLimits limits) {
        ArrayNode a = NODES.arrayNode(commands.size());
        Set<Long> ids = new HashSet<>();
        for (Command c : commands) {
            if (c == null) {
                throw new IllegalArgumentException("A null command in the list (11/CEP)");
            }
            if (!ids.add(c.id())) {
                throw new IllegalArgumentException("Duplicate command id " + c.id()
                        + ": ids are unique within a command type and an endpoint (11/CEP)");
            }
            ObjectNode o = a.addObject();
            o.put("id", c.id());
            if (c.hasPayload()) {
                o.set("payload", c.payload());
            }
        }
        return RESPONSE.write(a, limits);
    }

    /** A command response: an array of commands with distinct ids. */
    static List<Command> readCommands(byte[] payload, PayloadLimits limits) {
        JsonNode root = RESPONSE.read(payload, limits);
        if (!root.isArray()) {
            throw RESPONSE.invalid("", "expected an array of commands, got " + StrictJson.describe(root));
        }
        List<Command> commands = new ArrayList<>(root.size());
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            String at = StrictJson.child("", i);
            ObjectNode o = RESPONSE.object(root.get(i), at, COMMAND_PROPERTIES);
            JsonNode id = o.get("id");
            if (id == null) {
                throw RESPONSE.invalid(at + "/id", "required property is missing");
            }
            long value = RESPONSE.longValue(id, at + "/id");
            if (!ids.add(value)) {
                throw RESPONSE.invalid(at + "/id", "duplicate command id " + value);
            }
            JsonNode p = o.get("payload");
            commands.add(p == null ? Command.of(value) : Command.of(value, p));
        }
        return Collections.unmodifiableList(commands);
    }

    /**
     * A result request: always an array (KP1.md: writers send arrays).
     *
     * @throws IllegalArgumentException for no result, duplicate ids or a payload past the limits
     */
    static byte[] writeResults(List<CommandResult> results, PayloadLimits limits) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("At least one command result is required (11/CEP)");
        }
        ArrayNode a = NODES.arrayNode(results.size());
        Set<Long> ids = new HashSet<>();
        for (CommandResult r : results) {
            if (r == null) {
                throw new NullPointerException("A null command result in the list");
            }
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("Duplicate command id " + r.id() + " in one result request (11/CEP)");
            }
            ObjectNode o = a.addObject();
            o.put("id", r.id());
            o.put("statusCode", r.statusCode());
            r.reasonPhrase().ifPresent(s -> o.put("reasonPhrase", s));
            if (r.hasPayload()) {
                o.set("payload", r.payload());
            }
        }
        return RESULTS.write(a, limits);
    }

    /**
     * A result request: an array of results (the RFC text), or one result object (the RFC's
     * schema file), at least one, with distinct ids.
     */
    static List<CommandResult> readResults(byte[] payload, PayloadLimits limits) {
        JsonNode root = RESULTS.read(payload, limits);
        if (root.isObject()) {
            return List.of(result(root, ""));
        }
        if (!root.isArray()) {
            throw RESULTS.invalid("", "expected an array of results (or one result object), got "
                    + StrictJson.describe(root));
        }
        if (root.isEmpty()) {
            throw RESULTS.invalid("", "expected at least one result, got an empty array");
        }
        List<CommandResult> results = new ArrayList<>(root.size());
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < root.size(); i++) {
            String at = StrictJson.child("", i);
            CommandResult r = result(root.get(i), at);
            if (!ids.add(r.id())) {
                throw RESULTS.invalid(at + "/id", "duplicate command id " + r.id());
            }
            results.add(r);
        }
        return Collections.unmodifiableList(results);
    }

    private static CommandResult result(JsonNode n, String at) {
        ObjectNode o = RESULTS.object(n, at, RESULT_PROPERTIES);
        Long id = null;
        Integer status = null;
        String reason = null;
        JsonNode payload = null;
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            String field = at + "/" + e.getKey();
            switch (e.getKey()) {
                case "id":
                    id = RESULTS.longValue(e.getValue(), field);
                    break;
                case "statusCode":
                    status = RESULTS.statusCode(e.getValue(), field, false);
                    break;
                case "reasonPhrase":
                    reason = RESULTS.string(e.getValue(), field);
                    break;
                default:
                    payload = e.getValue();
                    break;
            }
        }
        if (id == null) {
            throw RESULTS.invalid(at + "/id", "required property is missing");
        }
        if (status == null) {
            throw RESULTS.invalid(at + "/statusCode", "required property is missing");
        }
        CommandResult r = CommandResult.of(id, status);
        if (reason != null) {
            r = r.withReasonPhrase(reason);
        }
        return payload == null ? r : r.withPayload(payload);
    }
}
