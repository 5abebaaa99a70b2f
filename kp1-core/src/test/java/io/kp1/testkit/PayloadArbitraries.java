package io.kp1.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.JsonArbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * jqwik arbitraries for extension payloads of 2/DCP, 10/EPMP, 7/CMP and 11/CEP: valid requests
 * for each resource of KP1.md's table, and invalid ones labelled with the protocol (the rule) and
 * the JSON Pointer of the field they break. Part of the conformance kit.
 *
 * <pre>{@code
 * @Property
 * void everyInvalidPayloadIsA400(@ForAll("bad") PayloadArbitraries.InvalidPayload bad) {
 *     MyReply r = myServer.handle(bad.request().extension(), bad.request().resource(), bad.request().payload());
 *     assertThat(r.statusCode()).as(bad.toString()).isEqualTo(400);
 * }
 *
 * @Provide Arbitrary<PayloadArbitraries.InvalidPayload> bad() { return PayloadArbitraries.invalidRequests(); }
 * }</pre>
 *
 * <p>Extension instances are the usual ones ({@code dcx}, {@code epmx}, {@code cmx}, {@code cex});
 * resources are relative to the endpoint token, as in {@link Kp1Arbitraries#extensionRoutes()}.
 * The labels describe the payload, not a message text: how a server words its 400 is its own
 * business (ours: {@code Invalid <what> at <field>: <problem> (<rule>)}).
 */
public final class PayloadArbitraries {
    /** The protocols' rule labels. */
    public static final String DCP = "2/DCP";
    /** 10/EPMP. */
    public static final String EPMP = "10/EPMP";
    /** 7/CMP. */
    public static final String CMP = "7/CMP";
    /** 11/CEP. */
    public static final String CEP = "11/CEP";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
    private static final String NAME_CHARS = KEY_CHARS + "-";

    private PayloadArbitraries() {
    }

    /**
     * One request to an extension resource: instance, resource after the token (e.g.
     * {@code /update/keys}) and payload bytes.
     */
    public record ExtensionRequest(String extension, String resource, byte[] payload) {
        /** Checks that all are given. */
        public ExtensionRequest {
            Objects.requireNonNull(extension, "extension");
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(payload, "payload");
        }

        /** The payload as UTF-8 text. */
        public String payloadText() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return extension + resource + " " + Kp1Arbitraries.describe(payloadText());
        }
    }

    /**
     * An invalid request and what it breaks.
     *
     * @param request the request
     * @param rule    the protocol whose payload rules it breaks: {@link #DCP}, {@link #EPMP}, {@link #CMP}, {@link #CEP}
     * @param field   the JSON Pointer (RFC 6901) of the offending field, {@code ""} for the payload as a whole
     */
    public record InvalidPayload(ExtensionRequest request, String rule, String field) {
        /** Checks that all are given. */
        public InvalidPayload {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(field, "field");
        }

        @Override
        public String toString() {
            return "InvalidPayload[" + rule + " at \"" + field + "\", " + request + "]";
        }
    }

    // ---------------------------------------------------------------- valid

    /** Valid requests for every resource of KP1.md's table. */
    public static Arbitrary<ExtensionRequest> validRequests() {
        return Arbitraries.oneOf(List.of(dcpRequests(), epmpRequests(), cmpRequests(), cepRequests()));
    }

    /** Invalid requests for every resource of KP1.md's table, each labelled. */
    public static Arbitrary<InvalidPayload> invalidRequests() {
        return Arbitraries.oneOf(List.of(invalidDcp(), invalidEpmp(), invalidCmp(), invalidCep()));
    }

    /** 2/DCP {@code /json}: an array of samples, or one bare value as one sample. */
    public static Arbitrary<ExtensionRequest> dcpRequests() {
        Arbitrary<JsonNode> samples = JsonArbitraries.values(2);
        return Arbitraries.oneOf(
                samples.list().ofMaxSize(5).map(PayloadArbitraries::array),
                samples.filter(n -> !n.isArray()))
                .map(n -> request("dcx", "/json", text(n)));
    }

    /** 10/EPMP: {@code /get/keys}, {@code /get}, {@code /update}, {@code /update/keys}, {@code /delete/keys}. */
    public static Arbitrary<ExtensionRequest> epmpRequests() {
        Arbitrary<List<String>> keys = metadataKeys().set().ofMinSize(1).ofMaxSize(5).map(ArrayList::new);
        Arbitrary<ObjectNode> metadata = Arbitraries.maps(metadataKeys(), JsonArbitraries.values(2))
                .ofMinSize(1).ofMaxSize(5).map(JsonArbitraries::object);
        return Arbitraries.oneOf(List.of(
                Arbitraries.just(request("epmx", "/get/keys", "")),
                Arbitraries.just(request("epmx", "/get", "")),
                keys.map(k -> request("epmx", "/get", text(object("keys", strings(k))))),
                Combinators.combine(Arbitraries.of("/update", "/update/keys"), metadata)
                        .as((r, m) -> request("epmx", r, text(m))),
                keys.map(k -> request("epmx", "/delete/keys", text(strings(k))))));
    }

    /** 7/CMP: {@code /config/json[/<name>]} and {@code /applied/json[/<name>]}. */
    public static Arbitrary<ExtensionRequest> cmpRequests() {
        Arbitrary<String> suffix = Arbitraries.oneOf(Arbitraries.just(""), configNames().map(n -> "/" + n));
        Arbitrary<ObjectNode> config = Combinators.combine(
                        Arbitraries.oneOf(Arbitraries.just((String) null), JsonArbitraries.strings()),
                        Arbitraries.of(0, 1, 2))
                .as((id, observe) -> {
                    ObjectNode o = NODES.objectNode();
                    if (id != null) {
                        o.put("configId", id);
                    }
                    if (observe > 0) {
                        o.put("observe", observe == 2);
                    }
                    return o;
                });
        Arbitrary<ObjectNode> applied = Combinators.combine(JsonArbitraries.strings(),
                        Arbitraries.oneOf(Arbitraries.just((Integer) null), Arbitraries.integers().between(100, 599)),
                        Arbitraries.oneOf(Arbitraries.just((String) null), JsonArbitraries.strings()))
                .as((id, status, reason) -> {
                    ObjectNode o = NODES.objectNode().put("configId", id);
                    if (status != null) {
                        o.put("statusCode", status);
                    }
                    if (reason != null) {
                        o.put("reasonPhrase", reason);
                    }
                    return o;
                });
        return Arbitraries.oneOf(
                Combinators.combine(suffix, config).as((s, o) -> request("cmx", "/config/json" + s, text(o))),
                Combinators.combine(suffix, applied).as((s, o) -> request("cmx", "/applied/json" + s, text(o))));
    }

    /** 11/CEP: {@code /command/<type>} and {@code /result/<type>} (an array of results, or one result object). */
    public static Arbitrary<ExtensionRequest> cepRequests() {
        Arbitrary<ObjectNode> commandRequest = Arbitraries.of(0, 1, 2)
                .map(o -> o == 0 ? NODES.objectNode() : NODES.objectNode().put("observe", o == 2));
        Arbitrary<List<ObjectNode>> results = Arbitraries.longs().set().ofMinSize(1).ofMaxSize(4)
                .flatMap(ids -> Combinators.combine(ids.stream().map(PayloadArbitraries::result).toList())
                        .as(l -> l));
        return Arbitraries.oneOf(
                Combinators.combine(commandTypes(), commandRequest)
                        .as((t, o) -> request("cex", "/command/" + t, text(o))),
                Combinators.combine(commandTypes(), results, Arbitraries.of(true, false))
                        .as((t, rs, single) -> request("cex", "/result/" + t,
                                text(single && rs.size() == 1 ? rs.get(0) : array(new ArrayList<>(rs))))));
    }

    private static Arbitrary<ObjectNode> result(long id) {
        return Combinators.combine(Arbitraries.integers().between(100, 599),
                        Arbitraries.oneOf(Arbitraries.just((String) null), JsonArbitraries.strings()),
                        Arbitraries.oneOf(Arbitraries.just((JsonNode) null), JsonArbitraries.values(1)))
                .as((status, reason, payload) -> {
                    ObjectNode o = NODES.objectNode().put("id", id).put("statusCode", status);
                    if (reason != null) {
                        o.put("reasonPhrase", reason);
                    }
                    if (payload != null) {
                        o.set("payload", payload);
                    }
                    return o;
                });
    }

    // ---------------------------------------------------------------- invalid

    /** Invalid 2/DCP requests: empty, trailing content, a duplicate property in a sample. */
    public static Arbitrary<InvalidPayload> invalidDcp() {
        return Arbitraries.oneOf(
                Arbitraries.just(invalid(request("dcx", "/json", ""), DCP, "")),
                dcpRequests().map(r -> invalid(request("dcx", "/json", r.payloadText() + " [1]"), DCP, "")),
                Combinators.combine(JsonArbitraries.values(1).list().ofMaxSize(3), metadataKeys())
                        .as((before, key) -> {
                            StringBuilder sb = new StringBuilder("[");
                            before.forEach(n -> sb.append(text(n)).append(','));
                            sb.append("{\"").append(key).append("\":1,\"").append(key).append("\":2}]");
                            return invalid(request("dcx", "/json", sb.toString()), DCP, "/" + before.size() + "/" + key);
                        }));
    }

    /** Invalid 10/EPMP requests: wrong shapes, keys that break {@code ^[a-zA-Z0-9_]+$}, duplicates, empty updates. */
    public static Arbitrary<InvalidPayload> invalidEpmp() {
        Arbitrary<List<String>> keys = metadataKeys().set().ofMinSize(1).ofMaxSize(4).map(ArrayList::new);
        Arbitrary<String> update = Arbitraries.of("/update", "/update/keys");
        return Arbitraries.oneOf(List.of(
                // /get: not an object, an unknown property, keys not an array, a bad or duplicate key
                nonObjects().map(n -> invalid(request("epmx", "/get", text(n)), EPMP, "")),
                Combinators.combine(metadataKeys().filter(k -> !k.equals("keys")), keys)
                        .as((p, k) -> invalid(request("epmx", "/get", text(object("keys", strings(k)).put(p, 1))),
                                EPMP, "/" + p)),
                nonArrays().map(n -> invalid(request("epmx", "/get", text(object("keys", n))), EPMP, "/keys")),
                Combinators.combine(keys, badKeys(), Arbitraries.integers().between(0, 4))
                        .as((k, bad, at) -> {
                            int i = at % (k.size() + 1);
                            ArrayNode a = strings(k);
                            a.insert(i, bad);
                            return invalid(request("epmx", "/get", text(object("keys", a))), EPMP, "/keys/" + i);
                        }),
                keys.map(k -> {
                    ArrayNode a = strings(k);
                    a.add(k.get(0));
                    return invalid(request("epmx", "/get", text(object("keys", a))), EPMP, "/keys/" + k.size());
                }),
                // /update, /update/keys: not an object, empty, a bad key
                Combinators.combine(update, nonObjects())
                        .as((r, n) -> invalid(request("epmx", r, text(n)), EPMP, "")),
                update.map(r -> invalid(request("epmx", r, "{}"), EPMP, "")),
                update.map(r -> invalid(request("epmx", r, ""), EPMP, "")),
                Combinators.combine(update, badKeyStrings())
                        .as((r, bad) -> invalid(request("epmx", r, text(NODES.objectNode().put(bad, 1))), EPMP,
                                "/" + pointerEscape(bad))),
                // /delete/keys: not an array, empty, a bad or duplicate key
                nonArrays().map(n -> invalid(request("epmx", "/delete/keys", text(n)), EPMP, "")),
                Arbitraries.just(invalid(request("epmx", "/delete/keys", "[]"), EPMP, "")),
                Combinators.combine(keys, badKeys())
                        .as((k, bad) -> {
                            ArrayNode a = strings(k);
                            a.add(bad);
                            return invalid(request("epmx", "/delete/keys", text(a)), EPMP, "/" + k.size());
                        }),
                keys.map(k -> {
                    ArrayNode a = strings(k);
                    a.add(k.get(k.size() - 1));
                    return invalid(request("epmx", "/delete/keys", text(a)), EPMP, "/" + k.size());
                })));
    }

    /** Invalid 7/CMP requests: wrong types of {@code configId}, {@code observe}, {@code statusCode}, unknown properties. */
    public static Arbitrary<InvalidPayload> invalidCmp() {
        Arbitrary<String> config = configNames().injectNull(0.5).map(n -> n == null ? "/config/json" : "/config/json/" + n);
        Arbitrary<String> applied = configNames().injectNull(0.5).map(n -> n == null ? "/applied/json" : "/applied/json/" + n);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(config, nonObjects()).as((r, n) -> invalid(request("cmx", r, text(n)), CMP, "")),
                Combinators.combine(config, notOf(JsonNode::isTextual))
                        .as((r, n) -> invalid(request("cmx", r, text(object("configId", n))), CMP, "/configId")),
                Combinators.combine(config, notOf(JsonNode::isBoolean))
                        .as((r, n) -> invalid(request("cmx", r, text(object("observe", n))), CMP, "/observe")),
                Combinators.combine(config, metadataKeys().filter(k -> !k.equals("configId") && !k.equals("observe")))
                        .as((r, p) -> invalid(request("cmx", r, text(NODES.objectNode().put(p, true))), CMP, "/" + p)),
                Combinators.combine(applied, nonObjects()).as((r, n) -> invalid(request("cmx", r, text(n)), CMP, "")),
                Combinators.combine(applied, Arbitraries.integers().between(100, 599))
                        .as((r, s) -> invalid(request("cmx", r, text(NODES.objectNode().put("statusCode", s))), CMP,
                                "/configId")),
                Combinators.combine(applied, badStatusCodes())
                        .as((r, s) -> invalid(request("cmx", r,
                                text(NODES.objectNode().put("configId", "c1").set("statusCode", s))), CMP, "/statusCode")),
                Combinators.combine(applied, notOf(JsonNode::isTextual))
                        .as((r, n) -> invalid(request("cmx", r,
                                text(NODES.objectNode().put("configId", "c1").set("reasonPhrase", n))), CMP, "/reasonPhrase")),
                Combinators.combine(applied, metadataKeys().filter(k -> !List.of("configId", "statusCode", "reasonPhrase").contains(k)))
                        .as((r, p) -> invalid(request("cmx", r, text(NODES.objectNode().put("configId", "c1").put(p, 1))),
                                CMP, "/" + p))));
    }

    /** Invalid 11/CEP requests: command requests of the wrong shape, results missing or mistyping fields, duplicate IDs. */
    public static Arbitrary<InvalidPayload> invalidCep() {
        Arbitrary<String> command = commandTypes().map(t -> "/command/" + t);
        Arbitrary<String> result = commandTypes().map(t -> "/result/" + t);
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 3);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(command, nonObjects()).as((r, n) -> invalid(request("cex", r, text(n)), CEP, "")),
                Combinators.combine(command, notOf(JsonNode::isBoolean))
                        .as((r, n) -> invalid(request("cex", r, text(object("observe", n))), CEP, "/observe")),
                Combinators.combine(command, metadataKeys().filter(k -> !k.equals("observe")))
                        .as((r, p) -> invalid(request("cex", r, text(NODES.objectNode().put(p, false))), CEP, "/" + p)),
                result.map(r -> invalid(request("cex", r, "[]"), CEP, "")),
                Combinators.combine(result, JsonArbitraries.scalars())
                        .as((r, n) -> invalid(request("cex", r, text(n)), CEP, "")),
                Combinators.combine(result, index, JsonArbitraries.scalars())
                        .as((r, i, n) -> invalid(request("cex", r, text(results(i, n))), CEP, "/" + i)),
                Combinators.combine(result, index, Arbitraries.of("id", "statusCode"))
                        .as((r, i, missing) -> {
                            ObjectNode bad = okResult(i);
                            bad.remove(missing);
                            return invalid(request("cex", r, text(results(i, bad))), CEP, "/" + i + "/" + missing);
                        }),
                Combinators.combine(result, index, notOf(JsonNode::isIntegralNumber))
                        .as((r, i, id) -> invalid(request("cex", r, text(results(i, okResult(i).set("id", id)))),
                                CEP, "/" + i + "/id")),
                Combinators.combine(result, index, badStatusCodes())
                        .as((r, i, s) -> invalid(request("cex", r, text(results(i, okResult(i).set("statusCode", s)))),
                                CEP, "/" + i + "/statusCode")),
                Combinators.combine(result, index, notOf(JsonNode::isTextual))
                        .as((r, i, n) -> invalid(request("cex", r, text(results(i, okResult(i).set("reasonPhrase", n)))),
                                CEP, "/" + i + "/reasonPhrase")),
                Combinators.combine(result, index,
                                metadataKeys().filter(k -> !List.of("id", "statusCode", "reasonPhrase", "payload").contains(k)))
                        .as((r, i, p) -> invalid(request("cex", r, text(results(i, okResult(i).put(p, 1)))),
                                CEP, "/" + i + "/" + p)),
                Combinators.combine(result, index)
                        .as((r, i) -> {
                            // Results 0..i with IDs 0..i, then one more repeating the ID of result 0.
                            ArrayNode a = results(i, okResult(i));
                            a.add(okResult(0));
                            return invalid(request("cex", r, text(a)), CEP, "/" + (i + 1) + "/id");
                        })));
    }

    // ---------------------------------------------------------------- parts

    /** Metadata keys: {@code ^[a-zA-Z0-9_]+$}, 1 to 12 characters (10/EPMP). */
    public static Arbitrary<String> metadataKeys() {
        return Arbitraries.strings().withChars(KEY_CHARS).ofMinLength(1).ofMaxLength(12);
    }

    /** Configuration names and command types: {@code ^[a-zA-Z0-9_-]+$} (7/CMP, 11/CEP). */
    public static Arbitrary<String> configNames() {
        return Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(12);
    }

    private static Arbitrary<String> commandTypes() {
        return configNames();
    }

    /** Strings that break {@code ^[a-zA-Z0-9_]+$}: empty, or with one other character. */
    private static Arbitrary<String> badKeyStrings() {
        return Arbitraries.oneOf(
                Arbitraries.just(""),
                Combinators.combine(metadataKeys(), Arbitraries.of(' ', '-', '.', '/', '~', '\u00e9', '"', '$'))
                        .as((k, c) -> k.substring(0, k.length() / 2) + c + k.substring(k.length() / 2)));
    }

    /** Array elements that are not metadata keys: bad strings or non-strings. */
    private static Arbitrary<JsonNode> badKeys() {
        return Arbitraries.oneOf(badKeyStrings().map(NODES::textNode), JsonArbitraries.scalars().filter(n -> !n.isTextual()));
    }

    /** Status codes that are not integers in 100..599: out of range, fractional, or of another type. */
    private static Arbitrary<JsonNode> badStatusCodes() {
        return Arbitraries.oneOf(
                Arbitraries.oneOf(Arbitraries.integers().between(-1000, 99), Arbitraries.integers().between(600, 100_000))
                        .map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.integers().between(100, 598).map(i -> (JsonNode) NODES.numberNode(i + 0.5)),
                Arbitraries.integers().between(100, 599).map(i -> (JsonNode) NODES.textNode(String.valueOf(i))),
                JsonArbitraries.scalars().filter(n -> !n.isNumber()));
    }

    private static Arbitrary<JsonNode> nonObjects() {
        return notOf(JsonNode::isObject);
    }

    private static Arbitrary<JsonNode> nonArrays() {
        return notOf(JsonNode::isArray);
    }

    /** JSON values (scalars, arrays, objects) for which {@code test} is false. */
    private static Arbitrary<JsonNode> notOf(java.util.function.Predicate<JsonNode> test) {
        return JsonArbitraries.values(1).filter(n -> !test.test(n));
    }

    /** {@code i} valid results with IDs 0..i-1, then {@code last}. */
    private static ArrayNode results(int i, JsonNode last) {
        ArrayNode a = NODES.arrayNode();
        for (int k = 0; k < i; k++) {
            a.add(okResult(k));
        }
        a.add(last);
        return a;
    }

    private static ObjectNode okResult(long id) {
        return NODES.objectNode().put("id", id).put("statusCode", 200);
    }

    private static ExtensionRequest request(String extension, String resource, String payload) {
        return new ExtensionRequest(extension, resource, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static InvalidPayload invalid(ExtensionRequest request, String rule, String field) {
        return new InvalidPayload(request, rule, field);
    }

    private static ObjectNode object(String name, JsonNode value) {
        ObjectNode o = NODES.objectNode();
        o.set(name, value);
        return o;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static ArrayNode array(List<? extends JsonNode> values) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }

    private static String pointerEscape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static String text(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
