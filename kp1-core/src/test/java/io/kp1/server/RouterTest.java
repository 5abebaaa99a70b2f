package io.kp1.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import io.kp1.ErrorResponse;
import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.TopicParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Table tests of {@link Router}: every outcome of the router rules, named by the rule. */
class RouterTest {
    private static final String TOKEN = "JTjdbENzHh";
    private static final String BASE = "kp1/kettle_v1/";
    private static final byte[] NONE = new byte[0];
    private static final byte[] KEYS = "[\"name\",\"location\"]".getBytes(StandardCharsets.UTF_8);

    /** Every request a handler saw, in order. */
    private final List<Request> seen = new ArrayList<>();
    private ListAppender<ILoggingEvent> logs;
    private Level previousLevel;

    private final Router router = Router.builder()
            .on("dcx", "/json", req -> record(req, Reply.ok()))
            .on("epmx", "/get/keys", req -> record(req, Reply.ok(KEYS)))
            .on("cmx", "/config/json", this::config)
            .on("cmx", "/config/json/{name}", this::config)
            .on("cex", "/command/{type}", req -> record(req, Reply.ok("[{\"id\":1}]")))
            .on("cex", "/result/{type}", req -> record(req, Reply.error(409, "Unknown command ID")))
            .on("fail", "/throws", req -> {
                throw new IllegalStateException("database password is hunter2 for " + req.endpointToken());
            })
            .on("fail", "/checked", req -> {
                throw new IOException("disk full");
            })
            .on("fail", "/error", req -> {
                throw new AssertionError("broken invariant");
            })
            .on("fail", "/failed-stage", req -> CompletableFuture.failedFuture(new IllegalStateException("boom")))
            .on("fail", "/null-stage", req -> null)
            .on("fail", "/null-reply", req -> CompletableFuture.completedFuture(null))
            .build();

    private CompletionStage<Reply> record(Request req, Reply reply) {
        seen.add(req);
        return CompletableFuture.completedFuture(reply);
    }

    private CompletionStage<Reply> config(Request req) {
        String name = req.pathVariables().getOrDefault("name", "(default)");
        return record(req, Reply.ok("{\"configId\":\"" + name + "\",\"config\":{}}"));
    }

    @BeforeEach
    void captureLogs() {
        Logger logger = (Logger) LoggerFactory.getLogger(Router.class);
        previousLevel = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        Logger logger = (Logger) LoggerFactory.getLogger(Router.class);
        logger.detachAppender(logs);
        logger.setLevel(previousLevel);
    }

    private Outcome mqtt(String topic, byte[] payload, int qos) {
        return done(router.route(Request.fromMqtt(Topic.parseRequest(topic), payload, qos)));
    }

    private Outcome mqtt(String topic) {
        return mqtt(topic, NONE, 1);
    }

    private Outcome http(String resourcePath, byte[] body) {
        ResourcePath p = Topic.parseRequest(resourcePath).path();
        return done(router.route(Request.fromHttp(p, body)));
    }

    private static Outcome done(CompletionStage<Outcome> stage) {
        CompletableFuture<Outcome> f = stage.toCompletableFuture();
        assertThat(f).as("a routed stage of completed handlers is complete").isDone();
        assertThat(f).as("route() never completes exceptionally").isNotCompletedExceptionally();
        return f.join();
    }

    private static String publishedOn(Outcome out) {
        return out.replyTopic().map(Topic::name).orElse("(nothing)");
    }

    private static ErrorResponse k7(Outcome out) {
        return ErrorResponse.fromJson(out.payload()); // strict K7 reader
    }

    // ---- matching and variables ------------------------------------------------------------

    @Test
    void route_dcxJsonWithId_handlerCalledAndSuccessOnStatusTopic_K5() {
        Outcome out = mqtt(BASE + "dcx/" + TOKEN + "/json/42", "[{\"t\":21}]".getBytes(StandardCharsets.UTF_8), 1);

        assertThat(seen).hasSize(1);
        Request req = seen.get(0);
        assertThat(req.appVersion()).isEqualTo("kettle_v1");
        assertThat(req.extension()).isEqualTo("dcx");
        assertThat(req.endpointToken()).isEqualTo(TOKEN);
        assertThat(req.resource()).isEqualTo("/json");
        assertThat(req.requestId()).hasValue(42);
        assertThat(req.payloadAsString()).isEqualTo("[{\"t\":21}]");
        assertThat(req.pathVariables()).isEmpty();
        assertThat(out.isSuccess()).isTrue();
        assertThat(publishedOn(out)).isEqualTo(BASE + "dcx/" + TOKEN + "/json/42/status");
        assertThat(out.replyTopic().get().kind()).isEqualTo(Topic.Kind.STATUS);
        assertThat(out.payload()).isEmpty();
    }

    @Test
    void route_commandType_handlerSeesPathVariable() {
        Outcome out = mqtt(BASE + "cex/" + TOKEN + "/command/reboot/7");

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).pathVariable("type")).isEqualTo("reboot");
        assertThat(seen.get(0).pathVariables()).containsExactly(Map.entry("type", "reboot"));
        assertThat(new String(out.payload(), StandardCharsets.UTF_8)).isEqualTo("[{\"id\":1}]");
        assertThat(publishedOn(out)).isEqualTo(BASE + "cex/" + TOKEN + "/command/reboot/7/status");
    }

    @Test
    void route_optionalTrailingLevel_declaredAsTwoRoutesSharingAHandler() {
        Outcome named = mqtt(BASE + "cmx/" + TOKEN + "/config/json/main/3");
        Outcome unnamed = mqtt(BASE + "cmx/" + TOKEN + "/config/json/4");

        assertThat(seen).extracting(r -> r.pathVariables().get("name")).containsExactly("main", null);
        assertThat(new String(named.payload(), StandardCharsets.UTF_8)).contains("\"main\"");
        assertThat(new String(unnamed.payload(), StandardCharsets.UTF_8)).contains("(default)");
    }

    @Test
    void route_pathVariableNotInRoute_handlerGetsClearError() {
        mqtt(BASE + "cex/" + TOKEN + "/command/reboot/7");

        assertThatThrownBy(() -> seen.get(0).pathVariable("name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"name\"").hasMessageContaining("type");
    }

    @Test
    void route_literalLevel_winsOverVariableLevel() {
        List<String> hit = new ArrayList<>();
        Router r = Router.builder()
                .on("cex", "/command/{type}", req -> reply(hit, "var:" + req.pathVariable("type")))
                .on("cex", "/command/reboot", req -> reply(hit, "literal"))
                .build();

        done(r.route(mqttRequest(BASE + "cex/" + TOKEN + "/command/reboot/1")));
        done(r.route(mqttRequest(BASE + "cex/" + TOKEN + "/command/open/2")));

        assertThat(hit).containsExactly("literal", "var:open");
    }

    @Test
    void route_literalBranchDeadEnds_backtracksToVariableBranch() {
        List<String> hit = new ArrayList<>();
        Router r = Router.builder()
                .on("x", "/a/b/d", req -> reply(hit, "a/b/d"))
                .on("x", "/a/{v}/c", req -> reply(hit, "a/{v}/c=" + req.pathVariable("v")))
                .build();

        done(r.route(mqttRequest(BASE + "x/" + TOKEN + "/a/b/c/1")));

        assertThat(hit).containsExactly("a/{v}/c=b");
    }

    @Test
    void route_appVersionRoute_winsOverAnyVersionRoute_otherVersionsFallBack() {
        List<String> hit = new ArrayList<>();
        Router r = Router.builder()
                .on("dcx", "/json", req -> reply(hit, "any"))
                .onAppVersion("kettle_v2", "dcx", "/json", req -> reply(hit, "v2"))
                .build();

        done(r.route(mqttRequest("kp1/kettle_v2/dcx/" + TOKEN + "/json/1")));
        done(r.route(mqttRequest("kp1/kettle_v1/dcx/" + TOKEN + "/json/1")));

        assertThat(hit).containsExactly("v2", "any");
    }

    @Test
    void route_onlyAppVersionRoute_otherVersionGets404() {
        Router r = Router.builder()
                .onAppVersion("kettle_v2", "dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok()))
                .build();

        Outcome out = done(r.route(mqttRequest("kp1/kettle_v1/dcx/" + TOKEN + "/json/1")));

        assertThat(out.httpStatus()).isEqualTo(404);
        assertThat(k7(out).reasonPhrase()).startsWith("Unknown resource");
    }

    @Test
    void route_endpointUnawareExtension_routesPathWithoutToken_D7() {
        List<String> hit = new ArrayList<>();
        Router r = Router.builder()
                .on("registry", "/endpoints/{id}", req -> reply(hit, req.pathVariable("id")
                        + " token=" + req.endpointToken()))
                .build();
        Topic t = TopicParser.builder().endpointUnaware("registry").build()
                .parseRequest("kp1/kettle_v1/registry/endpoints/kettle-1/5");

        Outcome out = done(r.route(Request.fromMqtt(t, NONE, 0)));

        assertThat(hit).containsExactly("kettle-1 token=null");
        assertThat(publishedOn(out)).isEqualTo("kp1/kettle_v1/registry/endpoints/kettle-1/5/status");
    }

    @Test
    void route_emptyPattern_matchesPathWithoutResourceLevels() {
        List<String> hit = new ArrayList<>();
        Router r = Router.builder()
                .on("ping", "", req -> reply(hit, "root"))
                .on("ping", "/x", req -> reply(hit, "x"))
                .build();
        ResourcePath root = ResourcePath.of("kettle_v1", "ping", TOKEN, "");

        done(r.route(Request.fromMqtt(Topic.request(root, 9), NONE, 0)));

        assertThat(hit).containsExactly("root");
    }

    @Test
    void route_principalSetByBinding_reachesHandler_K13() {
        Request req = mqttRequest(BASE + "cex/" + TOKEN + "/command/reboot/7").withPrincipal("CN=gateway-7");

        done(router.route(req));

        assertThat(seen.get(0).principal()).contains("CN=gateway-7");
        assertThat(seen.get(0).pathVariable("type")).isEqualTo("reboot");
    }

    // ---- 404 -------------------------------------------------------------------------------

    @Test
    void route_unknownExtension_404OnErrorTopic_K5_K7() {
        Outcome out = mqtt(BASE + "nope/" + TOKEN + "/json/5");

        assertThat(seen).isEmpty();
        assertThat(out.isSuccess()).isFalse();
        assertThat(out.httpStatus()).isEqualTo(404);
        assertThat(k7(out).statusCode()).isEqualTo(404);
        assertThat(k7(out).reasonPhrase()).isEqualTo("Unknown extension instance \"nope\"");
        assertThat(publishedOn(out)).isEqualTo(BASE + "nope/" + TOKEN + "/json/5/error");
        assertThat(out.replyTopic().get().kind()).isEqualTo(Topic.Kind.ERROR);
    }

    @Test
    void route_unknownResource_404NamingResourceNotToken_K7_D16() {
        Outcome out = mqtt(BASE + "dcx/" + TOKEN + "/protobuf/12/json/5");

        assertThat(seen).isEmpty();
        assertThat(out.httpStatus()).isEqualTo(404);
        assertThat(k7(out).reasonPhrase())
                .isEqualTo("Unknown resource \"/protobuf/12/json\" in extension instance \"dcx\"");
        assertThat(new String(out.payload(), StandardCharsets.UTF_8)).doesNotContain(TOKEN);
        assertThat(publishedOn(out)).isEqualTo(BASE + "dcx/" + TOKEN + "/protobuf/12/json/5/error");
    }

    @Test
    void route_unknownResourceOfKnownPrefix_404() {
        // /config/json/{name} is declared: a level more or less is still unknown.
        assertThat(mqtt(BASE + "cmx/" + TOKEN + "/config/json/main/extra/1").httpStatus()).isEqualTo(404);
        assertThat(mqtt(BASE + "cmx/" + TOKEN + "/config/1").httpStatus()).isEqualTo(404);
        assertThat(mqtt(BASE + "cex/" + TOKEN + "/command/1").httpStatus()).isEqualTo(404);
        assertThat(seen).isEmpty();
    }

    @Test
    void route_unknownResourceVeryLong_reasonPhraseCut() {
        String longLevel = "x".repeat(5000);
        Outcome out = mqtt(BASE + "dcx/" + TOKEN + "/" + longLevel + "/5");

        assertThat(out.httpStatus()).isEqualTo(404);
        assertThat(k7(out).reasonPhrase()).hasSizeLessThan(200).contains("...");
    }

    @Test
    void route_unknownResource_loggedAtDebugWithTokenRedacted_D16() {
        mqtt(BASE + "dcx/" + TOKEN + "/nope/5");

        assertThat(logs.list).hasSize(1);
        ILoggingEvent e = logs.list.get(0);
        assertThat(e.getLevel()).isEqualTo(Level.DEBUG);
        assertThat(e.getFormattedMessage()).contains("JT******Hh").doesNotContain(TOKEN);
    }

    // ---- 500 -------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/throws", "/checked", "/error", "/failed-stage", "/null-stage", "/null-reply"})
    void route_handlerFailure_500WithReasonThatLeaksNothing(String resource) {
        Outcome out = mqtt(BASE + "fail/" + TOKEN + resource + "/8");

        assertThat(out.httpStatus()).isEqualTo(500);
        assertThat(k7(out).reasonPhrase()).isEqualTo("Internal server error");
        assertThat(publishedOn(out)).isEqualTo(BASE + "fail/" + TOKEN + resource + "/8/error");
        assertThat(logs.list).singleElement().satisfies(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
    }

    @Test
    void route_handlerThrowsWithTokenInMessage_warnLogRedactsToken_D16() {
        mqtt(BASE + "fail/" + TOKEN + "/throws/8");

        ILoggingEvent e = logs.list.get(0);
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("fail /throws").contains("JT******Hh").doesNotContain(TOKEN);
        IThrowableProxy t = e.getThrowableProxy();
        assertThat(t).isNotNull();
        assertThat(t.getMessage()).contains("IllegalStateException").contains("JT******Hh").doesNotContain(TOKEN);
        assertThat(t.getStackTraceElementProxyArray()).as("stack trace kept for operators").isNotEmpty();
    }

    @Test
    void route_handlerThrowsWithoutToken_originalExceptionLogged() {
        mqtt(BASE + "fail/" + TOKEN + "/checked/8");

        IThrowableProxy t = logs.list.get(0).getThrowableProxy();
        assertThat(t.getClassName()).isEqualTo(IOException.class.getName());
        assertThat(t.getMessage()).isEqualTo("disk full");
    }

    @Test
    void route_handlerStageFailsLater_500WhenItFails() {
        CompletableFuture<Reply> pending = new CompletableFuture<>();
        Router r = Router.builder().on("dcx", "/json", req -> pending).build();

        CompletableFuture<Outcome> out = r.route(mqttRequest(BASE + "dcx/" + TOKEN + "/json/3")).toCompletableFuture();
        assertThat(out).isNotDone();
        pending.completeExceptionally(new IllegalStateException("late"));

        assertThat(out).isCompletedWithValueMatching(o -> o.httpStatus() == 500);
        assertThat(publishedOn(out.join())).isEqualTo(BASE + "dcx/" + TOKEN + "/json/3/error");
    }

    @Test
    void route_handlerStageCompletesLater_replyWhenItCompletes() {
        CompletableFuture<Reply> pending = new CompletableFuture<>();
        Router r = Router.builder().on("dcx", "/json", req -> pending).build();

        CompletableFuture<Outcome> out = r.route(mqttRequest(BASE + "dcx/" + TOKEN + "/json/3")).toCompletableFuture();
        pending.complete(Reply.ok());

        assertThat(out).isCompletedWithValueMatching(Outcome::isSuccess);
    }

    // ---- K6, D11: requests without a request ID --------------------------------------------

    @Test
    void route_successWithoutRequestId_handlerRunsButNothingPublished_K6() {
        Outcome out = mqtt(BASE + "dcx/" + TOKEN + "/json");

        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).requestId()).isEmpty();
        assertThat(out.isSuccess()).isTrue();
        assertThat(out.replyTopic()).isEmpty();
    }

    @Test
    void route_errorWithoutRequestId_errorPublishedByDefault_K6_D11() {
        assertThat(router.sendsErrorRepliesWithoutRequestId()).isTrue();

        Outcome handlerError = mqtt(BASE + "cex/" + TOKEN + "/result/reboot");
        Outcome notFound = mqtt(BASE + "dcx/" + TOKEN + "/nope");

        assertThat(publishedOn(handlerError)).isEqualTo(BASE + "cex/" + TOKEN + "/result/reboot/error");
        assertThat(k7(handlerError).statusCode()).isEqualTo(409);
        assertThat(publishedOn(notFound)).isEqualTo(BASE + "dcx/" + TOKEN + "/nope/error");
    }

    @Test
    void route_errorWithoutRequestId_suppressedWhenConfigured_D11() {
        Router quiet = Router.builder()
                .on("cex", "/result/{type}", req -> CompletableFuture.completedFuture(Reply.error(400, "bad")))
                .errorRepliesWithoutRequestId(false)
                .build();

        Outcome handlerError = done(quiet.route(mqttRequest(BASE + "cex/" + TOKEN + "/result/reboot")));
        Outcome notFound = done(quiet.route(mqttRequest(BASE + "dcx/" + TOKEN + "/json")));

        assertThat(quiet.sendsErrorRepliesWithoutRequestId()).isFalse();
        assertThat(handlerError.replyTopic()).isEmpty();
        assertThat(handlerError.httpStatus()).isEqualTo(400);
        assertThat(notFound.replyTopic()).isEmpty();
    }

    @Test
    void route_errorWithRequestId_publishedEvenWhenFireAndForgetErrorsSuppressed_D11() {
        Router quiet = Router.builder()
                .on("cex", "/result/{type}", req -> CompletableFuture.completedFuture(Reply.error(400, "bad")))
                .errorRepliesWithoutRequestId(false)
                .build();

        Outcome out = done(quiet.route(mqttRequest(BASE + "cex/" + TOKEN + "/result/reboot/12")));

        assertThat(publishedOn(out)).isEqualTo(BASE + "cex/" + TOKEN + "/result/reboot/12/error");
    }

    // ---- D2: reply topics keep the raw request text -----------------------------------------

    @Test
    void route_leadingZeroIdSuccess_statusTopicKeepsRawText_D2() {
        Outcome out = mqtt(BASE + "dcx/" + TOKEN + "/json/042");

        assertThat(seen.get(0).requestId()).hasValue(42);
        assertThat(publishedOn(out)).isEqualTo(BASE + "dcx/" + TOKEN + "/json/042/status");
    }

    @Test
    void route_leadingZeroIdError_errorTopicKeepsRawText_D2() {
        assertThat(publishedOn(mqtt(BASE + "dcx/" + TOKEN + "/nope/0007")))
                .isEqualTo(BASE + "dcx/" + TOKEN + "/nope/0007/error");
        assertThat(publishedOn(mqtt(BASE + "fail/" + TOKEN + "/throws/042")))
                .isEqualTo(BASE + "fail/" + TOKEN + "/throws/042/error");
    }

    @Test
    void route_requestIdZeroFromOptInParser_repliesOnZeroStatus_D1b() {
        Topic t = TopicParser.builder().acceptRequestIdZero(true).build()
                .parseRequest(BASE + "dcx/" + TOKEN + "/json/0");

        Outcome out = done(router.route(Request.fromMqtt(t, NONE, 0)));

        assertThat(seen.get(0).requestId()).hasValue(0);
        assertThat(publishedOn(out)).isEqualTo(BASE + "dcx/" + TOKEN + "/json/0/status");
    }

    // ---- K8: QoS ---------------------------------------------------------------------------

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void route_replyQos_echoesRequestQos_K8(int qos) {
        Outcome ok = mqtt(BASE + "dcx/" + TOKEN + "/json/1", NONE, qos);
        Outcome notFound = mqtt(BASE + "dcx/" + TOKEN + "/nope/1", NONE, qos);
        Outcome failed = mqtt(BASE + "fail/" + TOKEN + "/throws/1", NONE, qos);

        assertThat(ok.qos()).isEqualTo(qos);
        assertThat(notFound.qos()).isEqualTo(qos);
        assertThat(failed.qos()).isEqualTo(qos);
        assertThat(seen.get(0).qos()).hasValue(qos);
    }

    // ---- D10: HTTP -------------------------------------------------------------------------

    @Test
    void route_httpSuccessWithPayload_200AndReplyPayload_D10() {
        Outcome out = http(BASE + "epmx/" + TOKEN + "/get/keys", NONE);

        assertThat(out.httpStatus()).isEqualTo(200);
        assertThat(out.payload()).isEqualTo(KEYS);
        assertThat(out.replyTopic()).as("nothing to publish over HTTP").isEmpty();
        assertThat(seen.get(0).requestId()).isEmpty();
        assertThat(seen.get(0).qos()).isEmpty();
        assertThat(seen.get(0).topic()).isEmpty();
        assertThat(seen.get(0).isMqtt()).isFalse();
    }

    @Test
    void route_httpEmptySuccess_200EmptyBody_D10() {
        Outcome out = http(BASE + "dcx/" + TOKEN + "/json", "[1]".getBytes(StandardCharsets.UTF_8));

        assertThat(out.httpStatus()).isEqualTo(200);
        assertThat(out.payload()).isEmpty();
        assertThat(seen.get(0).payloadAsString()).isEqualTo("[1]");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "dcx/" + TOKEN + "/nope,           404",
        "nope/" + TOKEN + "/json,          404",
        "cex/" + TOKEN + "/result/reboot,  409",
        "fail/" + TOKEN + "/throws,        500",
        "fail/" + TOKEN + "/null-reply,    500",
    })
    void route_httpError_errorStatusAndK7Body_D10(String path, int status) {
        Outcome out = http(BASE + path, NONE);

        assertThat(out.httpStatus()).isEqualTo(status);
        ErrorResponse e = k7(out);
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(new String(out.payload(), StandardCharsets.UTF_8))
                .isEqualTo("{\"statusCode\":" + status + ",\"reasonPhrase\":" + quote(e.reasonPhrase()) + "}");
        assertThat(out.replyTopic()).isEmpty();
    }

    @Test
    void route_relayedReplyWithMalformedErrorPayload_bodyReencodedAsK7_D10() {
        Topic errorTopic = Topic.parseReply(BASE + "dcx/" + TOKEN + "/json/1/error");
        Reply relayed = Reply.received(errorTopic, "not json".getBytes(StandardCharsets.UTF_8));
        Router relay = Router.builder().on("dcx", "/json", req -> CompletableFuture.completedFuture(relayed)).build();

        Outcome out = done(relay.route(Request.fromHttp(ResourcePath.of("kettle_v1", "dcx", TOKEN, "/json"), NONE)));

        assertThat(out.httpStatus()).isEqualTo(502);
        assertThat(k7(out).statusCode()).isEqualTo(502);
    }

    // ---- D4: a request topic whose reply topic would be too long ----------------------------

    @Test
    void route_replyTopicWouldBeTooLong_noPublishAndNoThrow_D4() {
        String prefix = BASE + "dcx/" + TOKEN + "/";
        String filler = "a".repeat(65_535 - prefix.length() - "/json/1".length());
        String topic = prefix + filler + "/json/1";
        assertThat(topic.length()).isEqualTo(65_535);
        Router r = Router.builder().on("dcx", "/{big}/json", req -> CompletableFuture.completedFuture(Reply.ok()))
                .build();

        Outcome out = done(r.route(mqttRequest(topic)));

        assertThat(out.isSuccess()).isTrue();
        assertThat(out.replyTopic()).isEmpty();
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
    }

    // ---- what the router serves ------------------------------------------------------------

    @Test
    void extensions_everyInstanceWithARoute_inDeclarationOrder() {
        assertThat(router.extensions()).containsExactly("dcx", "epmx", "cmx", "cex", "fail");
        assertThatThrownBy(() -> router.extensions().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toString_listsRoutes() {
        Router r = Router.builder().on("dcx", "/json", req -> null).on("cex", "/command/{type}", req -> null)
                .onAppVersion("v2", "cmx", "", req -> null).build();

        assertThat(r).hasToString("Router[dcx /json, cex /command/{type}, v2 cmx \"\"]");
    }

    private static Request mqttRequest(String topic) {
        return Request.fromMqtt(Topic.parseRequest(topic), NONE, 1);
    }

    private static CompletionStage<Reply> reply(List<String> hit, String what) {
        hit.add(what);
        return CompletableFuture.completedFuture(Reply.ok());
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
