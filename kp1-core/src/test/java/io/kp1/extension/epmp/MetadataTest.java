package io.kp1.extension.epmp;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.InvalidPayloadException;
import io.kp1.Reply;
import io.kp1.extension.ExchangeSchemas;
import io.kp1.extension.ExtensionFixtures;
import io.kp1.extension.InMemoryEndpoint;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.extension.PayloadLimits;
import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;
import io.kp1.testkit.SchemaAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.kp1.extension.ExtensionFixtures.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 10/EPMP: RFC examples, round trips over MQTT and HTTP, key rules, errors and 400s naming the field. */
class MetadataTest {
    private static final String TOKEN = InMemoryEndpoint.TOKEN;

    private final InMemoryMetadataStore store = new InMemoryMetadataStore("serial");
    private final Router router = Metadata.routes(store).addTo(Router.builder()).build();

    private Outcome post(String resource, String payload) {
        return ExtensionFixtures.post(router, "epmx", resource, payload);
    }

    /** The RFC's "JSON object representation" example. */
    private static final String RFC_METADATA = "{\"name\":\"Sensor 1\",\"OSName\":\"Linux\",\"OSVersion\":\"4.2.9\","
            + "\"cores\":2,\"ssd\":true,\"location\":{\"latitude\":27.664827,\"longitude\":-81.515754},"
            + "\"supportedFirmwareVersions\":[\"2.0.0\",\"2.0.1\"]}";

    @Test
    void rfcExamples_eachIsValidAgainstItsSchema() {
        SchemaAssertions.assertValid(SchemaAssertions.EPMP_GET_KEYS_RESPONSE, "[\"name\",\"location\",\"deviceModel\"]");
        SchemaAssertions.assertValid(SchemaAssertions.EPMP_GET_REQUEST, "{}");
        SchemaAssertions.assertValid(SchemaAssertions.EPMP_GET_REQUEST, "{\"keys\":[\"name\",\"location\"]}");
        SchemaAssertions.assertValid(SchemaAssertions.EPMP_GET_RESPONSE, RFC_METADATA);
        SchemaAssertions.assertValid(SchemaAssertions.EPMP_UPDATE_REQUEST, "{\"deviceModel\":\"example model\",\"name\":\"Sensor 1\"}");
        SchemaAssertions.assertValid(SchemaAssertions.EPMP_DELETE_KEYS_REQUEST, "[\"location\",\"areaId\"]");
    }

    /** Request examples of the RFC, read by the server side: each succeeds with the RFC's effect. */
    @Test
    void routes_rfcRequestExamples_haveTheRfcEffect() {
        store.of(TOKEN).setAll(object(RFC_METADATA));

        Outcome keys = post("/get/keys", "");
        assertThat(keys.payload()).asString(StandardCharsets.UTF_8).isEqualTo("[\"name\",\"OSName\",\"OSVersion\","
                + "\"cores\",\"ssd\",\"location\",\"supportedFirmwareVersions\"]");

        assertThat(object(new String(post("/get", "{}").payload(), StandardCharsets.UTF_8))).isEqualTo(object(RFC_METADATA));
        assertThat(object(new String(post("/get", "").payload(), StandardCharsets.UTF_8)))
                .as("10/EPMP: a zero-byte get asks for all").isEqualTo(object(RFC_METADATA));
        assertThat(new String(post("/get", "{\"keys\":[\"name\",\"location\"]}").payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"name\":\"Sensor 1\",\"location\":{\"latitude\":27.664827,\"longitude\":-81.515754}}");

        // The full update example: location updated, vendorId added, description removed.
        store.of(TOKEN).removeAll();
        store.of(TOKEN).setAll(object("{\"name\":\"Device 1\",\"description\":\"The first sensor\","
                + "\"location\":{\"latitude\":27.664827,\"longitude\":-81.515754}}"));
        Outcome full = post("/update", "{\"name\":\"Device 1\",\"location\":{\"latitude\":27.112167,"
                + "\"longitude\":-81.023434},\"vendorId\":2}");
        assertThat(full.isSuccess()).isTrue();
        assertThat(full.payload()).as("10/EPMP: zero-length success").isEmpty();
        assertThat(store.of(TOKEN)).isEqualTo(object("{\"name\":\"Device 1\",\"location\":{\"latitude\":27.112167,"
                + "\"longitude\":-81.023434},\"vendorId\":2}"));

        assertThat(post("/update/keys", "{\"deviceModel\":\"example model\",\"name\":\"Sensor 1\"}").payload()).isEmpty();
        assertThat(store.of(TOKEN)).isEqualTo(object("{\"name\":\"Sensor 1\",\"location\":{\"latitude\":27.112167,"
                + "\"longitude\":-81.023434},\"vendorId\":2,\"deviceModel\":\"example model\"}"));

        assertThat(post("/delete/keys", "[\"location\",\"areaId\"]").payload()).isEmpty();
        assertThat(store.of(TOKEN)).isEqualTo(object("{\"name\":\"Sensor 1\",\"vendorId\":2,"
                + "\"deviceModel\":\"example model\"}"));
    }

    @Test
    void routes_getKeys_ignoresPayload_10EPMP() {
        store.of(TOKEN).put("name", "x");
        assertThat(post("/get/keys", "not json at all").payload()).asString(StandardCharsets.UTF_8).isEqualTo("[\"name\"]");
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "/get          | '[\"name\"]'                  | ''             | expected a JSON object, got an array",
            "/get          | '{\"key\":[\"name\"]}'        | /key           | unexpected property (allowed: keys)",
            "/get          | '{\"keys\":\"name\"}'         | /keys          | expected an array of metadata keys, got a string",
            "/get          | '{\"keys\":[\"name\",1]}'     | /keys/1        | expected a metadata key (a string), got an integer",
            "/get          | '{\"keys\":[\"a b\"]}'        | /keys/0        | \"a b\" is not a metadata key (^[a-zA-Z0-9_]+$)",
            "/get          | '{\"keys\":[\"a\",\"a\"]}'    | /keys/1        | duplicate key \"a\" (keys are unique)",
            "/update       | '{}'                          | ''             | expected at least one metadata key, got an empty object",
            "/update       | '[]'                          | ''             | expected a JSON object, got an array",
            "/update       | '{\"ok\":1,\"not-ok\":2}'     | /not-ok        | \"not-ok\" is not a metadata key (^[a-zA-Z0-9_]+$)",
            "/update/keys  | '{\"a/b\":1}'                 | /a~1b          | \"a/b\" is not a metadata key (^[a-zA-Z0-9_]+$)",
            "/update/keys  | ''                            | ''             | expected a JSON value, got nothing (empty payload)",
            "/delete/keys  | '[]'                          | ''             | expected at least one metadata key, got an empty array",
            "/delete/keys  | '{\"keys\":[\"a\"]}'          | ''             | expected an array of metadata keys, got an object",
            "/delete/keys  | '[\"area id\"]'               | /0             | \"area id\" is not a metadata key (^[a-zA-Z0-9_]+$)",
            "/delete/keys  | '[\"a\",\"b\",\"a\"]'         | /2             | duplicate key \"a\" (keys are unique)",
    })
    void routes_malformedRequest_400NamingField_10EPMP(String resource, String payload, String field, String problem) {
        ExtensionFixtures.assertBadRequest(post(resource, payload), "10/EPMP", field, problem);
    }

    @Test
    void facade_overMqtt_everyOperationRoundTripsAndEveryPayloadMatchesSchema() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Metadata md = Metadata.on(ep);
        assertThat(md.keys().join()).isEmpty();
        assertThat(md.getAll().join()).isEqualTo(object("{}"));

        md.fullUpdate(object(RFC_METADATA)).join();
        assertThat(md.keys().join()).containsExactly("name", "OSName", "OSVersion", "cores", "ssd", "location",
                "supportedFirmwareVersions");
        assertThat(md.get("name", "cores", "absent").join()).isEqualTo(object("{\"name\":\"Sensor 1\",\"cores\":2}"));

        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("cores", 4);
        patch.put("firmware_version", "2.0.1");
        md.partialUpdate(patch).join();
        assertThat(md.get(List.of("cores", "firmware_version")).join())
                .isEqualTo(object("{\"cores\":4,\"firmware_version\":\"2.0.1\"}"));

        md.delete("ssd", "location").join();
        assertThat(md.getAll().join().has("ssd")).isFalse();

        record Info(String name, int cores) {
        }
        md.fullUpdate(new Info("Kettle", 1)).join();
        assertThat(md.getAll().join()).isEqualTo(object("{\"name\":\"Kettle\",\"cores\":1}"));

        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void facade_overHttp_worksTheSame() {
        InMemoryEndpoint ep = InMemoryEndpoint.http(router);
        Metadata.on(ep).partialUpdate(Map.of("a", 1)).join();
        assertThat(Metadata.on(ep).get("a").join()).isEqualTo(object("{\"a\":1}"));
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void facade_restrictedKey_completesWithKp1ErrorException_10EPMP() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Metadata md = Metadata.on(ep);
        assertThatThrownBy(() -> md.partialUpdate(Map.of("serial", "X1")).join()).cause()
                .isInstanceOfSatisfying(Kp1ErrorException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.error().reasonPhrase()).isEqualTo("Key serial is read-only");
                    assertThat(e.resource()).isEqualTo("/update/keys");
                });
        assertThatThrownBy(() -> md.delete("serial").join()).cause().isInstanceOf(Kp1ErrorException.class);
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void facade_badKeysOrMetadata_throwAtOnceBeforeSending() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Metadata md = Metadata.on(ep);
        assertThatThrownBy(() -> md.get("name", "bad key")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid metadata key \"bad key\": must match ^[a-zA-Z0-9_]+$ (10/EPMP)");
        assertThatThrownBy(() -> md.get()).hasMessage("At least one metadata key is required (10/EPMP)");
        assertThatThrownBy(() -> md.delete(List.of())).hasMessage("At least one metadata key is required (10/EPMP)");
        assertThatThrownBy(() -> md.delete("ok", "ü")).hasMessageContaining("Invalid metadata key \"ü\"");
        assertThatThrownBy(() -> md.partialUpdate(Map.of())).hasMessage("At least one metadata key is required (10/EPMP)");
        assertThatThrownBy(() -> md.fullUpdate(Map.of("close-door", 1)))
                .hasMessageContaining("Invalid metadata key \"close-door\"");
        assertThatThrownBy(() -> md.fullUpdate(List.of(1))).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("Invalid 10/EPMP update request: metadata must be a JSON object, got an array (10/EPMP)");
        assertThatThrownBy(() -> md.fullUpdate("text")).hasMessageContaining("got a string");
        assertThat(ep.exchanges()).isEmpty();
    }

    @Test
    void facade_malformedReply_completesWithInvalidPayloadException() {
        Router liar = Router.builder()
                .on("epmx", "/get/keys", r -> CompletableFuture.completedFuture(Reply.ok("[\"ok\",\"not ok\"]")))
                .on("epmx", "/get", r -> CompletableFuture.completedFuture(Reply.ok("[1]")))
                .build();
        Metadata md = Metadata.on(InMemoryEndpoint.mqtt(liar));
        assertThatThrownBy(() -> md.keys().join()).cause().isInstanceOf(InvalidPayloadException.class)
                .hasMessage("Invalid 10/EPMP get keys response at /1: \"not ok\" is not a metadata key "
                        + "(^[a-zA-Z0-9_]+$) (10/EPMP)");
        assertThatThrownBy(() -> md.getAll().join()).cause().isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("expected a JSON object, got an array");
    }

    @Test
    void routes_storeReturnsInvalidKey_500NotAnInvalidReply() {
        MetadataStore bad = new InMemoryMetadataStore(null) {
            @Override
            public CompletionStage<? extends Collection<String>> keys(Request request) {
                return CompletableFuture.completedFuture(List.of("fine", "not fine"));
            }

            @Override
            public CompletionStage<ObjectNode> get(Request request, Set<String> keys) {
                return CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode().put("x y", 1));
            }
        };
        Router r = Metadata.routes(bad).addTo(Router.builder()).build();
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(r);
        assertThatThrownBy(() -> Metadata.on(ep).keys().join()).cause().isInstanceOf(Kp1ErrorException.class)
                .hasMessageContaining("500");
        assertThatThrownBy(() -> Metadata.on(ep).get("a").join()).cause().hasMessageContaining("500");
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void routes_defaultGet_filtersGetAll() {
        store.of(TOKEN).setAll(object("{\"a\":1,\"b\":2}"));
        assertThat(new String(post("/get", "{\"keys\":[\"b\",\"c\"]}").payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"b\":2}");
        assertThat(new String(post("/get", "{\"keys\":[]}").payload(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void routes_otherInstanceAndLimits() {
        Router r = Metadata.routes(store, new PayloadLimits(8, 16, 64)).addTo(Router.builder(), "meta").build();
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(r);
        Metadata.on(ep, "meta").partialUpdate(Map.of("a", 1)).join();
        assertThatThrownBy(() -> Metadata.on(ep, "meta").partialUpdate(Map.of("a", "x".repeat(100))).join())
                .cause().isInstanceOf(Kp1ErrorException.class).hasMessageContaining("400 Invalid 10/EPMP update "
                        + "request: payload of 108 bytes is over the limit of 64 (10/EPMP)");
        assertThatThrownBy(() -> Metadata.on(ep, "meta").withLimits(new PayloadLimits(8, 16, 64))
                .partialUpdate(Map.of("a", "x".repeat(100)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at /a: string of 100 characters is longer than the limit of 16");
    }

    @Test
    void isValidKey_examples() {
        assertThat(Metadata.isValidKey("supportedFirmwareVersions")).isTrue();
        assertThat(Metadata.isValidKey("firmware_version")).isTrue();
        assertThat(Metadata.isValidKey("close-door")).isFalse();
        assertThat(Metadata.isValidKey("")).isFalse();
    }
}
