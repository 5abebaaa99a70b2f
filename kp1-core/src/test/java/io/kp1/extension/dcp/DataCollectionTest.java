package io.kp1.extension.dcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.kp1.InvalidPayloadException;
import io.kp1.extension.ExchangeSchemas;
import io.kp1.extension.ExtensionFixtures;
import io.kp1.extension.InMemoryEndpoint;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.extension.PayloadLimits;
import io.kp1.server.Outcome;
import io.kp1.server.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static io.kp1.extension.ExtensionFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 2/DCP: RFC and Kaa examples, round trips over MQTT and HTTP, and 400s naming the field. */
class DataCollectionTest {
    /** What the sink received, one list per request. */
    private final List<List<JsonNode>> received = new ArrayList<>();
    private final Router router = DataCollection.routes((req, samples) -> {
        received.add(samples);
        return CompletableFuture.completedFuture(null);
    }).addTo(Router.builder()).build();

    record Reading(double temperature, int humidity) {
    }

    private Outcome post(String payload) {
        return ExtensionFixtures.post(router, "dcx", "/json", payload);
    }

    /** Payload -> the samples the sink gets: the RFC's batch, and Kaa's bare forms as one sample. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            // 2/DCP example request
            "'[{\"key\":\"value\"},15,[\"an\",\"array\",13]]' | '[{\"key\":\"value\"},15,[\"an\",\"array\",13]]'",
            // Kaa documentation and clients: one object without the array
            "'{\"temperature\":23,\"humidity\":48}'            | '[{\"temperature\":23,\"humidity\":48}]'",
            "'42'                                              | '[42]'",
            "'\"on\"'                                          | '[\"on\"]'",
            "'null'                                            | '[null]'",
            "'[]'                                              | '[]'",
            "'[[1,2]]'                                         | '[[1,2]]'",
    })
    void routes_rfcAndKaaExamples_sinkGetsSamples_2DCP(String payload, String samples) {
        Outcome out = post(payload);
        assertThat(out.isSuccess()).as(out.toString()).isTrue();
        assertThat(out.payload()).as("2/DCP: a success reply is empty").isEmpty();
        List<JsonNode> expected = new ArrayList<>();
        json(samples).forEach(expected::add);
        assertThat(received).containsExactly(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                    | Invalid 2/DCP request: expected a JSON value, got nothing (empty payload) (2/DCP)",
            "'[1,'                 | Invalid 2/DCP request at /1: malformed JSON",
            "'[{\"a\":1,\"a\":2}]' | Invalid 2/DCP request at /0/a: duplicate property (2/DCP)",
            "'[1] [2]'             | Invalid 2/DCP request: trailing content after the JSON value (2/DCP)",
    })
    void routes_malformedRequest_400NamingField_2DCP(String payload, String reason) {
        Outcome out = post(payload);
        assertThat(out.httpStatus()).isEqualTo(400);
        assertThat(out.reply().error().reasonPhrase()).startsWith(reason);
        assertThat(received).isEmpty();
    }

    @Test
    void routes_requestPastLimits_400NamingField() {
        Router small = DataCollection.routes((r, s) -> CompletableFuture.completedFuture(null),
                new PayloadLimits(3, 5, 100)).addTo(Router.builder()).build();
        Outcome out = ExtensionFixtures.post(small, "dcx", "/json", "[{\"a\":\"toolong\"}]");
        assertThat(out.httpStatus()).isEqualTo(400);
        assertThat(out.reply().error().reasonPhrase()).startsWith("Invalid 2/DCP request at /0/a: over a read limit");
    }

    @Test
    void push_overMqtt_roundTripsAndEveryPayloadMatchesSchema() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        DataCollection dc = DataCollection.on(ep);
        dc.push(new Reading(23.5, 48)).join();
        dc.push(Map.of("on", true)).join();
        dc.push(List.of(1, 2)).join();                       // one sample that is an array
        dc.pushAll(List.of(json("{\"a\":1}"), 15, "text", NullNode.getInstance())).join();
        assertThat(received).containsExactly(
                List.of(json("{\"temperature\":23.5,\"humidity\":48}")),
                List.of(json("{\"on\":true}")),
                List.of(json("[1,2]")),
                List.of(json("{\"a\":1}"), json("15"), json("\"text\""), NullNode.getInstance()));
        assertThat(ep.exchanges()).allSatisfy(e -> assertThat(e.resource()).isEqualTo("/json"));
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void send_fireAndForget_noRequestIdNoReply_K6() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        DataCollection.on(ep).send(json("{\"t\":1}")).join();
        DataCollection.on(ep).sendAll(List.of(1, 2)).join();
        assertThat(received).containsExactly(List.of(json("{\"t\":1}")), List.of(json("1"), json("2")));
        assertThat(ep.exchanges()).extracting(InMemoryEndpoint.Exchange::reply).containsOnlyNulls();
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void push_otherInstance_routedThere() {
        Router r = DataCollection.routes((req, samples) -> {
            received.add(samples);
            return CompletableFuture.completedFuture(null);
        }).addTo(Router.builder(), "dcx-eu").build();
        DataCollection dc = DataCollection.on(InMemoryEndpoint.http(r), "dcx-eu");
        dc.push(1).join();
        assertThat(dc.instance()).isEqualTo("dcx-eu");
        assertThat(received).hasSize(1);
        assertThatThrownBy(() -> DataCollection.on(InMemoryEndpoint.http(r)).push(1).join())
                .hasCauseInstanceOf(Kp1ErrorException.class)
                .hasMessageContaining("404 Unknown extension instance \"dcx\"");
    }

    @Test
    void push_sinkRefuses_completesWithKp1ErrorException_K7() {
        Router r = DataCollection.routes((req, samples) -> {
            throw new Kp1ErrorException(413, "Batch too large for this endpoint");
        }).addTo(Router.builder()).build();
        CompletableFuture<Void> f = DataCollection.on(InMemoryEndpoint.http(r)).push(1);
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(Kp1ErrorException.class)
                .satisfies(c -> {
                    Kp1ErrorException e = (Kp1ErrorException) c;
                    assertThat(e.statusCode()).isEqualTo(413);
                    assertThat(e.error().reasonPhrase()).isEqualTo("Batch too large for this endpoint");
                    assertThat(e.extension()).isEqualTo("dcx");
                    assertThat(e.resource()).isEqualTo("/json");
                });
    }

    @Test
    void push_sinkFailsOtherwise_500() {
        Router r = DataCollection.routes((req, samples) -> CompletableFuture.failedFuture(new IllegalStateException(
                "database down"))).addTo(Router.builder()).build();
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(r);
        assertThatThrownBy(() -> DataCollection.on(ep).push(1).join()).cause()
                .isInstanceOf(Kp1ErrorException.class).hasMessageContaining("500 Internal server error");
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void push_sinkFailsWithKp1ErrorLater_thatError() {
        Router r = DataCollection.routes((req, samples) -> CompletableFuture.failedFuture(new Kp1ErrorException(
                403, "Forbidden"))).addTo(Router.builder()).build();
        assertThatThrownBy(() -> DataCollection.on(InMemoryEndpoint.mqtt(r)).push(1).join()).cause()
                .isInstanceOf(Kp1ErrorException.class).hasMessageContaining("403 Forbidden");
    }

    @Test
    void push_badArguments_throwAtOnceBeforeSending() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        DataCollection dc = DataCollection.on(ep);
        assertThatThrownBy(() -> dc.push(Double.NaN)).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("Invalid 2/DCP request at /0: not a finite number: NaN (JSON has no NaN or Infinity) (2/DCP)");
        assertThatThrownBy(() -> dc.push(new Object())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot convert a java.lang.Object to JSON");
        assertThatThrownBy(() -> dc.withLimits(new PayloadLimits(4, 4, 10)).push("a long string"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at /0: string of 13 characters");
        assertThatThrownBy(() -> dc.push(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DataCollection.on(ep, "dc/x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ep.exchanges()).isEmpty();
    }

    @Test
    void withMapper_convertsWithThatMapper() {
        ObjectMapper snake = new ObjectMapper().setPropertyNamingStrategy(
                com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
        record Sample(int waterLevel) {
        }
        DataCollection.on(InMemoryEndpoint.mqtt(router)).withMapper(snake).push(new Sample(3)).join();
        assertThat(received).containsExactly(List.of(json("{\"water_level\":3}")));
    }
}
