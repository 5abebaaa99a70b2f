package io.kp1.extension.cep;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kp1.Reply;
import io.kp1.client.Observation;
import io.kp1.extension.ExchangeSchemas;
import io.kp1.extension.ExtensionFixtures;
import io.kp1.extension.InMemoryEndpoint;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.extension.PayloadLimits;
import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;
import io.kp1.testkit.LogCapture;
import io.kp1.testkit.SchemaAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.kp1.extension.ExtensionFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 11/CEP: examples, observe and batch results, array-or-object results, type rules, 400s naming the field. */
class CommandsTest {
    private final InMemoryCommandQueue queue = new InMemoryCommandQueue();
    private final Router router = Commands.routes(queue).addTo(Router.builder()).build();
    private final List<Long> executed = new CopyOnWriteArrayList<>();

    private Outcome post(String resource, String payload) {
        return ExtensionFixtures.post(router, "cex", resource, payload);
    }

    private CommandResult reboot(Command c) {
        executed.add(c.id());
        return c.ok(TextNode.valueOf("rebooted"));
    }

    @Test
    void rfcShapes_validAgainstSchemas() {
        SchemaAssertions.assertValid(SchemaAssertions.CEP_COMMAND_REQUEST, "{\"observe\":true}");
        SchemaAssertions.assertValid(SchemaAssertions.CEP_COMMAND_REQUEST, "{\"observe\":false}");
        SchemaAssertions.assertValid(SchemaAssertions.CEP_COMMAND_RESPONSE, "[]");
        SchemaAssertions.assertValid(SchemaAssertions.CEP_COMMAND_RESPONSE, "[{\"id\":1,\"payload\":{\"delay\":5}},{\"id\":2}]");
        SchemaAssertions.assertValid(SchemaAssertions.CEP_RESULT_REQUEST, "{\"id\":1,\"statusCode\":200}");
        assertThat(CepPayloads.readCommands("[{\"id\":1,\"payload\":{\"delay\":5}},{\"id\":2}]"
                .getBytes(StandardCharsets.UTF_8), PayloadLimits.DEFAULTS))
                .containsExactly(Command.of(1, json("{\"delay\":5}")), Command.of(2));
    }

    @Test
    void routes_commandRequest_answersOutstandingCommands_11CEP() {
        assertThat(post("/command/reboot", "{\"observe\":false}").payload()).asString(StandardCharsets.UTF_8)
                .as("no outstanding command: an empty array").isEqualTo("[]");
        queue.add("reboot", Command.of(1, json("{\"delay\":5}")));
        queue.add("reboot", Command.of(2));
        queue.add("close-door", Command.of(3, json("null")));
        assertThat(post("/command/reboot", "{}").payload()).asString(StandardCharsets.UTF_8)
                .isEqualTo("[{\"id\":1,\"payload\":{\"delay\":5}},{\"id\":2}]");
        assertThat(post("/command/close-door", "{\"observe\":true}").payload()).asString(StandardCharsets.UTF_8)
                .isEqualTo("[{\"id\":3,\"payload\":null}]");
        assertThat(queue.observeFlags).containsExactly(Optional.of(false), Optional.empty(), Optional.of(true));
    }

    /** KP1.md: the RFC text makes a result request an array, its schema file one object: both are read. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
            "{\"id\":1,\"statusCode\":200}",
            "[{\"id\":1,\"statusCode\":200}]",
    })
    void routes_resultArrayOrSingleObject_accepted_answersK7Success(String payload) {
        queue.add("reboot", Command.of(1));
        Outcome out = post("/result/reboot", payload);
        assertThat(out.isSuccess()).as(out.toString()).isTrue();
        assertThat(out.payload()).asString(StandardCharsets.UTF_8).isEqualTo("{\"statusCode\":200,\"reasonPhrase\":\"OK\"}");
        SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, out.payload());
        assertThat(queue.results).containsExactly("reboot CommandResult[1, 200]");
        assertThat(queue.outstanding("reboot")).as("11/CEP: no longer outstanding").isEmpty();
    }

    @Test
    void routes_resultBatch_allReachTheQueue() {
        Outcome out = post("/result/park", "[{\"id\":1,\"statusCode\":200,\"reasonPhrase\":\"OK\",\"payload\":{\"slot\":7}},"
                + "{\"id\":2,\"statusCode\":409,\"reasonPhrase\":\"Parking slot taken\"}]");
        assertThat(out.isSuccess()).isTrue();
        assertThat(queue.results).containsExactly("park CommandResult[1, 200 OK, with payload]",
                "park CommandResult[2, 409 Parking slot taken]");
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource(delimiter = '|', value = {
            "/command/reboot | '[]'                                        | ''            | expected a JSON object, got an array",
            "/command/reboot | '{\"observe\":1}'                           | /observe      | expected a boolean, got an integer",
            "/command/reboot | '{\"observe\":true,\"type\":\"x\"}'        | /type         | unexpected property (allowed: observe)",
            "/command/reboot | ''                                          | ''            | expected a JSON value, got nothing (empty payload)",
            "/result/reboot  | '[]'                                        | ''            | expected at least one result, got an empty array",
            "/result/reboot  | '\"done\"'                                  | ''            | expected an array of results (or one result object), got a string",
            "/result/reboot  | '[1]'                                       | /0            | expected a JSON object, got an integer",
            "/result/reboot  | '[{\"statusCode\":200}]'                    | /0/id         | required property is missing",
            "/result/reboot  | '{\"id\":1}'                                | /statusCode   | required property is missing",
            "/result/reboot  | '[{\"id\":\"1\",\"statusCode\":200}]'       | /0/id         | expected an integer, got a string",
            "/result/reboot  | '[{\"id\":1,\"statusCode\":200.0}]'         | /0/statusCode | expected an integer status code, got a number with a fraction",
            "/result/reboot  | '{\"id\":1,\"statusCode\":99}'              | /statusCode   | not an HTTP status code (100..599): 99",
            "/result/reboot  | '[{\"id\":1e3,\"statusCode\":200}]'         | /0/id         | expected an integer, got a number with a fraction",
            "/result/reboot  | '[{\"id\":99999999999999999999,\"statusCode\":200}]' | /0/id | integer out of range (-2^63..2^63-1): 99999999999999999999",
            "/result/reboot  | '[{\"id\":1,\"statusCode\":200},{\"id\":1,\"statusCode\":500}]' | /1/id | duplicate command id 1",
            "/result/reboot  | '[{\"id\":1,\"statusCode\":200,\"result\":1}]' | /0/result  | unexpected property (allowed: id, statusCode, reasonPhrase, payload)",
            "/result/reboot  | '[{\"id\":1,\"statusCode\":200,\"reasonPhrase\":false}]' | /0/reasonPhrase | expected a string, got a boolean",
    })
    void routes_malformedRequest_400NamingField_11CEP(String resource, String payload, String field, String problem) {
        ExtensionFixtures.assertBadRequest(post(resource, payload), "11/CEP", field, problem);
        assertThat(queue.results).isEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"/command/re.boot", "/result/re%boot", "/command/é"})
    void routes_invalidCommandType_400(String resource) {
        Outcome out = post(resource, "{}");
        assertThat(out.httpStatus()).isEqualTo(400);
        assertThat(out.reply().error().reasonPhrase()).startsWith("Invalid command type \"")
                .endsWith("\": must match ^[a-zA-Z0-9_-]+$ (11/CEP)");
    }

    @Test
    void routes_queueReturnsDuplicateIds_500() {
        Router r = Commands.routes(new CommandQueue() {
            @Override
            public CompletableFuture<List<Command>> pending(Request request, String type, Optional<Boolean> observe) {
                return CompletableFuture.completedFuture(List.of(Command.of(1), Command.of(1)));
            }

            @Override
            public CompletableFuture<Void> results(Request request, String type, List<CommandResult> results) {
                return CompletableFuture.completedFuture(null);
            }
        }).addTo(Router.builder()).build();
        assertThatThrownBy(() -> Commands.on(InMemoryEndpoint.mqtt(r)).poll("reboot").join()).cause()
                .isInstanceOf(Kp1ErrorException.class).hasMessageContaining("500");
    }

    @Test
    void pollAndReport_overMqtt_roundTripAndSchemaValid() {
        queue.add("reboot", Command.of(7, json("{\"delay\":5}")));
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Commands commands = Commands.on(ep);
        List<Command> pending = commands.poll("reboot").join();
        assertThat(pending).containsExactly(Command.of(7, json("{\"delay\":5}")));
        commands.report("reboot", pending.get(0).fail(409, "Busy")).join();
        assertThat(queue.results).containsExactly("reboot CommandResult[7, 409 Busy]");
        assertThat(commands.poll("reboot").join()).isEmpty();
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void execute_overHttp_pollsRunsAndReportsOneBatch() {
        queue.add("reboot", Command.of(1));
        queue.add("reboot", Command.of(2, json("[1,2]")));
        InMemoryEndpoint ep = InMemoryEndpoint.http(router);
        List<CommandResult> results = Commands.on(ep).execute("reboot", this::reboot).join();
        assertThat(results).extracting(CommandResult::id).containsExactly(1L, 2L);
        assertThat(executed).containsExactly(1L, 2L);
        assertThat(queue.results).containsExactly("reboot CommandResult[1, 200, with payload]",
                "reboot CommandResult[2, 200, with payload]");
        assertThat(ep.exchanges()).extracting(InMemoryEndpoint.Exchange::resource)
                .containsExactly("/command/reboot", "/result/reboot");
        assertThat(Commands.on(ep).execute("reboot", this::reboot).join()).as("nothing pending").isEmpty();
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Test
    void observe_overMqtt_executesDeliveriesAndPushes_reportsBatches_K11() {
        queue.add("reboot", Command.of(1));
        queue.add("reboot", Command.of(2));
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Observation o = Commands.on(ep).observe("reboot", this::reboot);
        assertThat(executed).containsExactly(1L, 2L);
        assertThat(queue.results).hasSize(2);
        assertThat(queue.observeFlags).containsExactly(Optional.of(true));

        ep.push("cex", "/command/reboot", "[{\"id\":3,\"payload\":{\"delay\":1}}]");  // on .../command/reboot/status
        ep.notifyObservers("cex", "/command/reboot", "[{\"id\":4},{\"id\":5}]");     // a later reply to the observe
        assertThat(executed).containsExactly(1L, 2L, 3L, 4L, 5L);
        List<InMemoryEndpoint.Exchange> reports = ep.exchanges().stream()
                .filter(e -> e.resource().startsWith("/result/")).toList();
        assertThat(reports).hasSize(3);
        assertThat(new String(reports.get(2).request(), StandardCharsets.UTF_8))
                .as("one result request per delivery (a batch)")
                .isEqualTo("[{\"id\":4,\"statusCode\":200,\"payload\":\"rebooted\"},"
                        + "{\"id\":5,\"statusCode\":200,\"payload\":\"rebooted\"}]");
        assertThat(o.ended()).isNotDone();
        ExchangeSchemas.assertAllValid(ep.exchanges());

        o.cancel();
        assertThat(ep.listenerCount("cex", "/command/reboot")).isZero();
    }

    @Test
    void observe_sameCommandDeliveredAgain_runsOnce_earlierResultResent() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Commands.on(ep).observe("reboot", this::reboot);
        ep.push("cex", "/command/reboot", "[{\"id\":9}]");
        ep.push("cex", "/command/reboot", "[{\"id\":9},{\"id\":10}]");
        assertThat(executed).containsExactly(9L, 10L);
        assertThat(queue.results).containsExactly("reboot CommandResult[9, 200, with payload]",
                "reboot CommandResult[9, 200, with payload]", "reboot CommandResult[10, 200, with payload]");
    }

    @Test
    void observe_commandStillRunning_notRunAgainNorReportedTwice() {
        CompletableFuture<CommandResult> slow = new CompletableFuture<>();
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Commands.on(ep).observeAsync("update", c -> {
            executed.add(c.id());
            return slow;
        });
        ep.push("cex", "/command/update", "[{\"id\":1}]");
        ep.push("cex", "/command/update", "[{\"id\":1}]");
        assertThat(executed).containsExactly(1L);
        assertThat(queue.results).isEmpty();
        slow.complete(CommandResult.ok(1));
        assertThat(queue.results).containsExactly("update CommandResult[1, 200]");
    }

    @Test
    void observe_handlerExceptionQuotingTheToken_loggedRedacted_D16() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        try (LogCapture logs = LogCapture.start("io.kp1", Level.DEBUG)) {
            Commands.on(ep).observe("x", c -> {
                throw new IllegalStateException("motor stuck on " + InMemoryEndpoint.TOKEN,
                        new IllegalArgumentException("caused by " + InMemoryEndpoint.TOKEN));
            });
            ep.push("cex", "/command/x", "[{\"id\":1}]");
            logs.assertNeverContains(InMemoryEndpoint.TOKEN);
            assertThat(logs.events()).anyMatch(e -> e.getThrowableProxy() != null
                    && e.getThrowableProxy().getMessage().contains("motor stuck on JT******Hh"));
        }
    }

    @Test
    void observe_handlerFailures_report500() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Commands.on(ep).observe("x", c -> {
            if (c.id() == 1) {
                throw new IllegalStateException("motor stuck");
            }
            if (c.id() == 2) {
                return null;
            }
            if (c.id() == 3) {
                return CommandResult.ok(99);
            }
            return c.ok(json("{\"big\":\"" + "x".repeat(300_000) + "\"}"));
        });
        ep.push("cex", "/command/x", "[{\"id\":1},{\"id\":2},{\"id\":3},{\"id\":4}]");
        assertThat(queue.results).containsExactly("x CommandResult[1, 500 Command handler failed]",
                "x CommandResult[2, 500 Command handler failed]", "x CommandResult[3, 500 Command handler failed]",
                "x CommandResult[4, 500 Command handler failed]");
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @ParameterizedTest(name = "[{index}] pushed={0}")
    @ValueSource(booleans = {true, false})
    void observe_errorPushedOrReplied_endsObservationWithKp1ErrorException_D13(boolean pushed) {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Observation o = Commands.on(ep).observe("reboot", this::reboot);
        Reply error = Reply.error(404, "Endpoint unregistered");
        if (pushed) {
            ep.push("cex", "/command/reboot", error);          // .../command/reboot/error, no request ID
        } else {
            ep.notifyObservers("cex", "/command/reboot", error);
        }
        assertThatThrownBy(() -> o.ended().join()).cause().isInstanceOfSatisfying(Kp1ErrorException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.resource()).isEqualTo("/command/reboot");
        });
        assertThat(ep.listenerCount("cex", "/command/reboot")).isZero();
        ep.push("cex", "/command/reboot", "[{\"id\":1}]");
        assertThat(executed).isEmpty();
    }

    @Test
    void observe_malformedDelivery_droppedObservationContinues() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Observation o = Commands.on(ep).observe("reboot", this::reboot);
        ep.push("cex", "/command/reboot", "{\"id\":1}");
        ep.push("cex", "/command/reboot", "[{\"id\":2},{\"id\":2}]");
        ep.push("cex", "/command/reboot", "[{\"id\":3}]");
        assertThat(executed).containsExactly(3L);
        assertThat(o.ended()).isNotDone();
    }

    @Test
    void observe_overHttp_unsupported_K12() {
        assertThatThrownBy(() -> Commands.on(InMemoryEndpoint.http(router)).observe("reboot", this::reboot))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("execute(type, handler)");
    }

    @Test
    void badArguments_throwAtOnceBeforeSending() {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        Commands commands = Commands.on(ep);
        assertThatThrownBy(() -> commands.poll("re boot")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid command type \"re boot\": must match ^[a-zA-Z0-9_-]+$ (11/CEP)");
        assertThatThrownBy(() -> commands.observe("", this::reboot)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> commands.report("reboot")).hasMessage("At least one command result is required (11/CEP)");
        assertThatThrownBy(() -> commands.report("reboot", CommandResult.ok(1), CommandResult.ok(1)))
                .hasMessage("Duplicate command id 1 in one result request (11/CEP)");
        assertThatThrownBy(() -> CommandResult.of(1, 600)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ep.exchanges()).isEmpty();
        assertThat(Commands.isValidType("close-door")).isTrue();
        assertThat(Commands.isValidType("turn_off")).isTrue();
    }

    /** 11/CEP result replies: empty, or the K7 format; a K7 body outside 2xx is an error. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                                          | ok",
            "'{\"statusCode\":200,\"reasonPhrase\":\"OK\"}' | ok",
            "'{\"statusCode\":202,\"reasonPhrase\":\"\"}'   | ok",
            "'{\"statusCode\":404,\"reasonPhrase\":\"Unknown command\"}' | Kp1ErrorException",
            "'[]'                                        | InvalidPayloadException",
    })
    void report_replyPayloads(String payload, String outcome) {
        Router r = Router.builder().on("cex", "/result/{type}", req -> CompletableFuture.completedFuture(
                Reply.ok(payload))).build();
        CompletableFuture<Void> f = Commands.on(InMemoryEndpoint.mqtt(r)).report("reboot", CommandResult.ok(1));
        if (outcome.equals("ok")) {
            f.join();
        } else {
            assertThatThrownBy(f::join).cause().extracting(t -> t.getClass().getSimpleName()).isEqualTo(outcome);
        }
    }

    @Test
    void report_errorReply_completesWithKp1ErrorException() {
        Router r = Router.builder().on("cex", "/result/{type}", req -> CompletableFuture.completedFuture(
                Reply.error(409, "Unknown command ID"))).build();
        assertThatThrownBy(() -> Commands.on(InMemoryEndpoint.mqtt(r)).report("reboot", CommandResult.ok(1)).join())
                .cause().isInstanceOf(Kp1ErrorException.class).hasMessage(
                        "Error reply from cex /result/reboot: 409 Unknown command ID (K7)");
    }
}
