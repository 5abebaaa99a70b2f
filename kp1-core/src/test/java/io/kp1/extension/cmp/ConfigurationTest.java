package io.kp1.extension.cmp;

import com.fasterxml.jackson.databind.node.NullNode;
import io.kp1.InvalidPayloadException;
import io.kp1.Reply;
import io.kp1.client.Observation;
import io.kp1.extension.ExchangeSchemas;
import io.kp1.extension.ExtensionFixtures;
import io.kp1.extension.InMemoryEndpoint;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;
import io.kp1.testkit.SchemaAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.kp1.extension.ExtensionFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 7/CMP: RFC examples, configId rules, named configurations, observe, applied reports, 400s naming the field. */
class ConfigurationTest {
    private static final String ID = "97016dbe8bb4adff8f754ecbf24612f2";
    private static final String RFC_CONFIG = "{\"mode\":\"AP\",\"ssid\":\"Smart Teapot\",\"password\":\"acupofteaplease\","
            + "\"security\":\"WPA2_PSK\"}";

    /** Current configuration per name; none means absent. */
    private final Map<String, ConfigResponse> configs = new ConcurrentHashMap<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final ConfigurationSource source = new ConfigurationSource() {
        @Override
        public CompletableFuture<ConfigResponse> current(Request request, String name, ConfigRequest body) {
            asked.add(name + " " + body);
            return CompletableFuture.completedFuture(configs.getOrDefault(name, ConfigResponse.absent()));
        }

        @Override
        public CompletableFuture<Void> applied(Request request, String name, AppliedReport report) {
            reports.add(name + " " + report);
            return CompletableFuture.completedFuture(null);
        }
    };
    private final Router router = Configuration.routes(source).addTo(Router.builder()).build();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Outcome post(String resource, String payload) {
        return ExtensionFixtures.post(router, "cmx", resource, payload);
    }

    @Test
    void rfcExamples_readAndValid() {
        for (String r : List.of("{\"observe\":false}", "{\"configId\":\"" + ID + "\"}", "{\"observe\":true}")) {
            SchemaAssertions.assertValid(SchemaAssertions.CMP_CONFIG_REQUEST, r);
        }
        assertThat(ConfigRequest.fromJson(bytes("{\"observe\":false}"))).isEqualTo(ConfigRequest.of().withObserve(false));
        assertThat(ConfigRequest.fromJson(bytes("{\"configId\":\"" + ID + "\"}")).configId()).contains(ID);
        assertThat(ConfigRequest.fromJson(bytes("{\"observe\":true}")).observe()).contains(true);

        String changed = "{\"configId\":\"" + ID + "\",\"config\":" + RFC_CONFIG + "}";
        SchemaAssertions.assertValid(SchemaAssertions.CMP_CONFIG_RESPONSE, "{}");
        SchemaAssertions.assertValid(SchemaAssertions.CMP_CONFIG_RESPONSE, changed);
        assertThat(ConfigResponse.fromJson(bytes("{\n}")).isUnchanged()).isTrue();
        ConfigResponse c = ConfigResponse.fromJson(bytes(changed));
        assertThat(c.configId()).isEqualTo(ID);
        assertThat(c.config()).isEqualTo(json(RFC_CONFIG));
        assertThat(c.toJson()).asString(StandardCharsets.UTF_8).isEqualTo(changed);

        String applied = "{\"configId\":\"" + ID + "\"}";
        String rejected = "{\"configId\":\"" + ID + "\",\"statusCode\":400,\"reasonPhrase\":\"WPA2 is not supported\"}";
        SchemaAssertions.assertValid(SchemaAssertions.CMP_APPLIED_REQUEST, applied);
        SchemaAssertions.assertValid(SchemaAssertions.CMP_APPLIED_REQUEST, rejected);
        assertThat(AppliedReport.fromJson(bytes(applied))).isEqualTo(AppliedReport.applied(ID));
        assertThat(AppliedReport.fromJson(bytes(applied)).statusCode()).isEqualTo(200);
        assertThat(AppliedReport.fromJson(bytes(rejected)))
                .isEqualTo(AppliedReport.rejected(ID, 400, "WPA2 is not supported"));
        assertThat(AppliedReport.rejected(ID, 400, "WPA2 is not supported").toJson()).asString(StandardCharsets.UTF_8)
                .isEqualTo(rejected);
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "request  | '[]'                                    | ''            | expected a JSON object, got an array",
            "request  | ''                                      | ''            | expected a JSON value, got nothing (empty payload)",
            "request  | '{\"configId\":1}'                      | /configId     | expected a string, got an integer",
            "request  | '{\"observe\":\"yes\"}'                 | /observe      | expected a boolean, got a string",
            "request  | '{\"observe\":true,\"name\":\"x\"}'     | /name         | unexpected property (allowed: configId, observe)",
            "response | '{\"configId\":\"a\"}'                  | /config       | required property is missing (configId and config come in a pair)",
            "response | '{\"config\":{}}'                       | /configId     | required property is missing (configId and config come in a pair)",
            "response | '{\"configId\":\"\",\"config\":{}}'     | /config       | an empty configId means no configuration, so config must be null, got an object",
            "response | '{\"configId\":null,\"config\":null}'   | /configId     | expected a string, got null",
            "applied  | '{}'                                    | /configId     | required property is missing",
            "applied  | '{\"configId\":\"a\",\"statusCode\":\"400\"}' | /statusCode | expected an integer status code, got a string",
            "applied  | '{\"configId\":\"a\",\"statusCode\":700}'     | /statusCode | not an HTTP status code (100..599): 700",
            "applied  | '{\"configId\":\"a\",\"statusCode\":400.5}'   | /statusCode | expected an integer status code, got a number with a fraction",
            "applied  | '{\"configId\":\"a\",\"reasonPhrase\":[]}'    | /reasonPhrase | expected a string, got an array",
            "applied  | '{\"configId\":\"a\",\"extra\":1}'            | /extra      | unexpected property (allowed: configId, statusCode, reasonPhrase)",
    })
    void fromJson_malformed_namesField_7CMP(String kind, String payload, String field, String problem) {
        InvalidPayloadException e = null;
        try {
            switch (kind) {
                case "request" -> ConfigRequest.fromJson(bytes(payload));
                case "response" -> ConfigResponse.fromJson(bytes(payload));
                default -> AppliedReport.fromJson(bytes(payload));
            }
        } catch (InvalidPayloadException x) {
            e = x;
        }
        assertThat(e).as("%s %s refused", kind, payload).isNotNull();
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.problem()).isEqualTo(problem);
        assertThat(e.rule()).isEqualTo("7/CMP");
    }

    @Test
    void appliedReport_integralNumberStatus_accepted() {
        assertThat(AppliedReport.fromJson(bytes("{\"configId\":\"a\",\"statusCode\":400.0}")).statusCode()).isEqualTo(400);
    }

    @Test
    void routes_malformedRequest_400NamingField() {
        Outcome out = post("/config/json", "{\"observe\":1}");
        assertThat(out.httpStatus()).isEqualTo(400);
        assertThat(out.reply().error().reasonPhrase())
                .isEqualTo("Invalid 7/CMP config request at /observe: expected a boolean, got an integer (7/CMP)");
        Outcome applied = post("/applied/json/wifi", "{\"statusCode\":200}");
        assertThat(applied.reply().error().reasonPhrase())
                .isEqualTo("Invalid 7/CMP applied request at /configId: required property is missing (7/CMP)");
        Outcome badName = post("/config/json/wi.fi", "{}");
        assertThat(badName.reply().error().reasonPhrase())
                .isEqualTo("Invalid configuration name \"wi.fi\": must match ^[a-zA-Z0-9_-]+$ (7/CMP)");
        assertThat(asked).isEmpty();
        assertThat(reports).isEmpty();
    }

    /** configId rules of 7/CMP, server side, over HTTP and MQTT alike. */
    @Test
    void routes_configIdRules_7CMP() {
        // No configuration assigned: "" and null.
        assertThat(post("/config/json", "{}").payload()).asString(StandardCharsets.UTF_8)
                .isEqualTo("{\"configId\":\"\",\"config\":null}");
        assertThat(post("/config/json", "{\"configId\":\"\"}").payload()).asString(StandardCharsets.UTF_8)
                .as("the endpoint knows there is none").isEqualTo("{}");

        configs.put("", ConfigResponse.of(ID, json(RFC_CONFIG)));
        assertThat(json(new String(post("/config/json", "{}").payload(), StandardCharsets.UTF_8)))
                .isEqualTo(json("{\"configId\":\"" + ID + "\",\"config\":" + RFC_CONFIG + "}"));
        assertThat(post("/config/json", "{\"configId\":\"" + ID + "\"}").payload()).asString(StandardCharsets.UTF_8)
                .as("current: unchanged, {} with 200 (D10 allows 304 over HTTP; we answer {} everywhere)")
                .isEqualTo("{}");
        assertThat(post("/config/json", "{\"configId\":\"old\",\"observe\":true}").payload())
                .asString(StandardCharsets.UTF_8).startsWith("{\"configId\":\"" + ID + "\"");
        assertThat(asked).containsExactly(" ConfigRequest[configId=(absent), observe=(absent)]",
                " ConfigRequest[configId=\"\", observe=(absent)]",
                " ConfigRequest[configId=(absent), observe=(absent)]",
                " ConfigRequest[configId=\"" + ID + "\", observe=(absent)]",
                " ConfigRequest[configId=\"old\", observe=true]");
    }

    @Test
    void facade_getAndApplied_overMqtt_roundTripAndSchemaValid() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Configuration cfg = Configuration.on(ep);
        assertThat(cfg.get().join().isAbsent()).isTrue();
        assertThat(cfg.get("").join().isUnchanged()).isTrue();

        configs.put("", ConfigResponse.of(ID, json(RFC_CONFIG)));
        ConfigResponse now = cfg.get().join();
        assertThat(now.configId()).isEqualTo(ID);
        assertThat(now.config()).isEqualTo(json(RFC_CONFIG));
        assertThat(cfg.get(ID).join()).isEqualTo(ConfigResponse.unchanged());
        assertThat(cfg.get("other").join()).isEqualTo(now);

        cfg.applied(ID).join();
        cfg.rejected(ID, 400, "WPA2 is not supported").join();
        assertThat(reports).containsExactly(" AppliedReport[configId=\"" + ID + "\", 200]",
                " AppliedReport[configId=\"" + ID + "\", 400 WPA2 is not supported]");
        assertThat(asked).allSatisfy(a -> assertThat(a).endsWith("observe=false]"));
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void facade_named_usesNamedResources() {
        configs.put("wifi", ConfigResponse.of("w1", json("{\"ssid\":\"x\"}")));
        InMemoryEndpoint ep = InMemoryEndpoint.http(router);
        Configuration wifi = Configuration.on(ep).named("wifi");
        assertThat(wifi.get().join().configId()).isEqualTo("w1");
        wifi.applied("w1").join();
        assertThat(Configuration.on(ep).get().join().isAbsent()).as("default configuration").isTrue();
        assertThat(ep.exchanges()).extracting(InMemoryEndpoint.Exchange::resource)
                .containsExactly("/config/json/wifi", "/applied/json/wifi", "/config/json");
        assertThat(reports).containsExactly("wifi AppliedReport[configId=\"w1\", 200]");
        assertThat(Configuration.on(ep).named("wifi").named("").name()).isEqualTo(Configuration.DEFAULT_NAME);
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void facade_badArguments_throwAtOnceBeforeSending() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Configuration cfg = Configuration.on(ep);
        assertThatThrownBy(() -> cfg.named("wi fi")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid configuration name \"wi fi\": must match ^[a-zA-Z0-9_-]+$ (7/CMP)");
        assertThatThrownBy(() -> cfg.named("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cfg.rejected(ID, 204, "no")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 2xx (7/CMP)");
        assertThatThrownBy(() -> cfg.rejected(ID, 99, "no")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ep.exchanges()).isEmpty();
    }

    /** An HTTP binding may hand a 304 (D10) over as an error reply 304 or an empty success. */
    @Test
    void facade_get_notModifiedOverHttp_unchanged_D10() {
        Router notModified = Router.builder()
                .on("cmx", "/config/json", r -> CompletableFuture.completedFuture(Reply.error(304, "Not Modified")))
                .on("cmx", "/config/json/{name}", r -> CompletableFuture.completedFuture(Reply.ok()))
                .build();
        InMemoryEndpoint ep = InMemoryEndpoint.http(notModified);
        assertThat(Configuration.on(ep).get(ID).join().isUnchanged()).isTrue();
        assertThat(Configuration.on(ep).named("wifi").get(ID).join().isUnchanged()).isTrue();
    }

    @Test
    void facade_sourceError_completesWithKp1ErrorException() {
        Router r = Configuration.routes((req, name, body) -> {
            throw new Kp1ErrorException(404, "No such configuration " + name);
        }).addTo(Router.builder()).build();
        assertThatThrownBy(() -> Configuration.on(InMemoryEndpoint.mqtt(r)).named("x").get().join()).cause()
                .isInstanceOfSatisfying(Kp1ErrorException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.resource()).isEqualTo("/config/json/x");
                });
        // The default applied(...) of a source is a no-op success.
        Configuration.on(InMemoryEndpoint.mqtt(r)).applied("x").join();
    }

    @Test
    void observe_overMqtt_deliversEachNewConfigurationOnce_K11() {
        configs.put("", ConfigResponse.of("c1", json("{\"v\":1}")));
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        List<ConfigResponse> seen = new ArrayList<>();
        Observation o = Configuration.on(ep).observe(seen::add);
        assertThat(seen).extracting(ConfigResponse::configId).containsExactly("c1");
        assertThat(asked).containsExactly(" ConfigRequest[configId=(absent), observe=true]");

        ep.notifyObservers("cmx", "/config/json", "{\"configId\":\"c2\",\"config\":{\"v\":2}}");
        ep.push("cmx", "/config/json", "{\"configId\":\"c2\",\"config\":{\"v\":2}}");   // again: not passed on
        ep.notifyObservers("cmx", "/config/json", "{}");                                // unchanged: not passed on
        ep.push("cmx", "/config/json", "{\"configId\":\"c3\"}");                        // malformed: dropped
        ep.notifyObservers("cmx", "/config/json", "{\"configId\":\"\",\"config\":null}"); // unassigned
        assertThat(seen).extracting(ConfigResponse::configId).containsExactly("c1", "c2", "");
        assertThat(seen.get(1).config()).isEqualTo(json("{\"v\":2}"));
        assertThat(o.ended()).isNotDone();

        o.cancel();
        assertThat(o.ended()).isCompleted();
        assertThat(ep.listenerCount("cmx", "/config/json")).isZero();
        ep.push("cmx", "/config/json", "{\"configId\":\"c4\",\"config\":4}");
        assertThat(seen).hasSize(3);
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void observe_knownConfigId_quietUntilItChanges() {
        configs.put("", ConfigResponse.of("c1", NullNode.getInstance()));
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        List<ConfigResponse> seen = new ArrayList<>();
        Configuration.on(ep).named("").observe("c1", seen::add);
        assertThat(seen).isEmpty();
        assertThat(ep.exchanges().get(0).reply().payloadAsString()).isEqualTo("{}");
        ep.notifyObservers("cmx", "/config/json", "{\"configId\":\"c1\",\"config\":null}");
        assertThat(seen).isEmpty();
        ep.push("cmx", "/config/json", "{\"configId\":\"c2\",\"config\":[1]}");
        assertThat(seen).extracting(ConfigResponse::configId).containsExactly("c2");
    }

    @ParameterizedTest(name = "[{index}] pushed={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void observe_errorReply_endsObservationWithKp1ErrorException_D13(boolean pushed) {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        List<ConfigResponse> seen = new ArrayList<>();
        Observation o = Configuration.on(ep).observe(seen::add);
        assertThat(ep.listenerCount("cmx", "/config/json")).as("observe request and push subscription").isEqualTo(2);
        if (pushed) {
            ep.push("cmx", "/config/json", Reply.error(410, "Configuration withdrawn"));
        } else {
            ep.notifyObservers("cmx", "/config/json", Reply.error(410, "Configuration withdrawn"));
        }
        assertThat(o.ended()).isCompletedExceptionally();
        assertThatThrownBy(() -> o.ended().join()).cause().isInstanceOf(Kp1ErrorException.class)
                .hasMessageContaining("410 Configuration withdrawn");
        assertThat(ep.listenerCount("cmx", "/config/json")).as("every part cancelled").isZero();
        ep.push("cmx", "/config/json", "{\"configId\":\"late\",\"config\":1}");
        assertThat(seen).extracting(ConfigResponse::configId).containsExactly("");
    }

    @Test
    void observe_listenerThrows_loggedAndObservationContinues() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        List<String> ids = new ArrayList<>();
        Observation o = Configuration.on(ep).observe(c -> {
            ids.add(c.configId());
            throw new IllegalStateException("cannot apply");
        });
        ep.push("cmx", "/config/json", "{\"configId\":\"c2\",\"config\":2}");
        assertThat(ids).containsExactly("", "c2");
        assertThat(o.ended()).isNotDone();
    }

    @Test
    void observe_overHttp_unsupported_K12() {
        Configuration cfg = Configuration.on(InMemoryEndpoint.http(router));
        assertThatThrownBy(() -> cfg.observe(c -> { })).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("(K12)");
    }

    @Test
    void configResponse_accessorsOfUnchanged_throw() {
        assertThatThrownBy(() -> ConfigResponse.unchanged().configId()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ConfigResponse.of("", json("{}"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ConfigResponse.of("", NullNode.getInstance())).isSameAs(ConfigResponse.absent());
        assertThat(ConfigResponse.unchanged().toJson()).asString(StandardCharsets.UTF_8).isEqualTo("{}");
    }
}
