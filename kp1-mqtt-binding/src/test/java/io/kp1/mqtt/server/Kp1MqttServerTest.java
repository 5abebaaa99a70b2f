package io.kp1.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kp1.ErrorResponse;
import io.kp1.Reply;
import io.kp1.TopicParser;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import io.kp1.mqtt.SessionPresence;
import io.kp1.server.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Kp1MqttServer} against an in-memory transport ({@link FakeTransport}): the triage of
 * inbound messages, reply topics and QoS (K5, K6, K8, D2, D11), invalid topics (D1, D3, D4, D5),
 * echo filtering, load shedding, re-subscription and the life cycle. Real brokers are in the
 * {@code *IT} classes of this package.
 */
class Kp1MqttServerTest {
    private static final String TOKEN = "JTjdbENzHh";
    private static final String DCX = "kp1/demo_v1/dcx/" + TOKEN + "/json";
    private static final long WAIT = 5;

    private final FakeTransport transport = new FakeTransport();
    private final Queue<CompletableFuture<Reply>> held = new ConcurrentLinkedQueue<>();

    private Router.Builder routes() {
        return Router.builder()
                .on("dcx", "/json", req -> CompletableFuture.completedFuture(
                        req.payloadAsString().startsWith("[") ? Reply.ok() : Reply.error(400, "Not a JSON array")))
                .on("epmx", "/get/keys", req -> CompletableFuture.completedFuture(Reply.ok("[\"name\"]")))
                .on("cex", "/command/{type}", req -> {
                    CompletableFuture<Reply> f = new CompletableFuture<>();
                    held.add(f);
                    return f;
                })
                .on("bad", "/fail", req -> {
                    throw new IllegalStateException("handler bug");
                });
    }

    private Kp1MqttServer started(Kp1MqttServer.Builder b) throws Exception {
        Kp1MqttServer server = b.build();
        server.start().get(WAIT, TimeUnit.SECONDS);
        return server;
    }

    private Kp1MqttServer started() throws Exception {
        return started(Kp1MqttServer.builder(transport, routes().build()));
    }

    private static ErrorResponse error(FakeTransport.Published p) {
        return ErrorResponse.fromJson(p.payload());
    }

    // ---- subscriptions and start ----

    @Test
    void start_defaultFilters_onePerExtensionInstanceOfTheRouter() throws Exception {
        Kp1MqttServer server = started();

        assertThat(transport.subscribed()).containsExactly("kp1/+/dcx/#", "kp1/+/epmx/#", "kp1/+/cex/#", "kp1/+/bad/#");
        assertThat(server.subscriptions()).isEqualTo(transport.subscribed());
        assertThat(server.state()).isEqualTo(Kp1MqttServer.State.RUNNING);
    }

    @Test
    void start_sharedGroup_everyFilterUnderShareGroup() throws Exception {
        started(Kp1MqttServer.builder(transport, routes().build()).sharedGroup("dcx-workers")
                .subscription("kp1/+/dcx/#").subscription("kp1/+/epmx/#"));

        assertThat(transport.subscribed()).containsExactly("$share/dcx-workers/kp1/+/dcx/#",
                "$share/dcx-workers/kp1/+/epmx/#");
    }

    @Test
    void start_plainFiltersAskNoLocal_sharedFiltersDoNot_MQTT5_3_8_3_1() throws Exception {
        started();
        assertThat(transport.subscribedNoLocal()).containsExactly("kp1/+/dcx/#", "kp1/+/epmx/#", "kp1/+/cex/#",
                "kp1/+/bad/#");

        FakeTransport replica = new FakeTransport();
        started(Kp1MqttServer.builder(replica, routes().build()).sharedGroup("dcx-workers")
                .subscription("kp1/+/dcx/#"));
        assertThat(replica.subscribed()).containsExactly("$share/dcx-workers/kp1/+/dcx/#");
        assertThat(replica.subscribedNoLocal()).isEmpty();
    }

    @Test
    void start_completesOnlyAfterEverySuback() throws Exception {
        transport.holdSubscriptions(true);
        Kp1MqttServer server = Kp1MqttServer.builder(transport, routes().build()).build();

        CompletableFuture<Kp1MqttServer> start = server.start();

        assertThat(start).isNotDone();
        assertThat(server.state()).isEqualTo(Kp1MqttServer.State.STARTING);
        transport.releaseAll();
        assertThat(start.get(WAIT, TimeUnit.SECONDS)).isSameAs(server);
        assertThat(server.start()).isSameAs(start);
    }

    @Test
    void start_refusedSubscription_failsWithTheRefusalAndUndoesTheOthers() {
        transport.refuse("kp1/+/epmx/#");
        Kp1MqttServer server = Kp1MqttServer.builder(transport, routes().build()).build();

        assertThatThrownBy(() -> server.start().get(WAIT, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(MqttSubscriptionRefusedException.class, r -> {
                    assertThat(r.topicFilter()).isEqualTo("kp1/+/epmx/#");
                    assertThat(r.reasonCode()).isEqualTo(0x80);
                });
        assertThat(server.state()).isEqualTo(Kp1MqttServer.State.FAILED);
        assertThat(transport.unsubscribed()).containsExactlyInAnyOrder("kp1/+/dcx/#", "kp1/+/cex/#", "kp1/+/bad/#");
        assertThat(transport.listener()).isNull();
    }

    @Test
    void start_lowerGrantedQos_stillStarts() throws Exception {
        transport.grantAtMost(MqttQos.AT_LEAST_ONCE);

        assertThat(started().state()).isEqualTo(Kp1MqttServer.State.RUNNING);
    }

    // ---- replies: K5, K6, K8, D2, D11 ----

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void request_withId_successOnStatusTopicWithRequestQos_K5_K8(MqttQos qos) throws Exception {
        started();

        transport.deliver(DCX + "/42", "[{\"temperature\":23}]", qos);

        FakeTransport.Published p = transport.lastPublished();
        assertThat(p.topic()).isEqualTo(DCX + "/42/status");
        assertThat(p.qos()).isEqualTo(qos);
        assertThat(p.payload()).isEmpty();
    }

    @Test
    void request_leadingZeroId_repliesOnTheRawTopic_D2() throws Exception {
        started();

        transport.deliver("kp1/demo_v1/epmx/" + TOKEN + "/get/keys/042", "", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.lastPublished().topic()).isEqualTo("kp1/demo_v1/epmx/" + TOKEN + "/get/keys/042/status");
        assertThat(transport.lastPublished().text()).isEqualTo("[\"name\"]");
    }

    @Test
    void request_withoutId_success_nothingPublished_K6() throws Exception {
        Kp1MqttServer server = started();

        transport.deliver(DCX, "[]", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.published()).isEmpty();
        assertThat(server.counters().routed()).isEqualTo(1);
        assertThat(server.inFlight()).isZero();
    }

    @Test
    void request_withoutId_error_publishedOnErrorTopicByDefault_D11() throws Exception {
        started();

        transport.deliver(DCX, "{}", MqttQos.AT_MOST_ONCE);

        FakeTransport.Published p = transport.lastPublished();
        assertThat(p.topic()).isEqualTo(DCX + "/error");
        assertThat(p.qos()).isEqualTo(MqttQos.AT_MOST_ONCE);
        assertThat(error(p)).isEqualTo(ErrorResponse.of(400, "Not a JSON array"));
    }

    @Test
    void request_withoutId_error_silentWhenRouterSaysSo_D11() throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport,
                routes().errorRepliesWithoutRequestId(false).build()));

        transport.deliver(DCX, "{}", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.published()).isEmpty();
        assertThat(server.counters().errors(400)).isEqualTo(1);
    }

    @Test
    void request_unknownExtensionAndResource_404() throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, routes().build())
                .subscription(Kp1MqttServer.ALL_REQUESTS));

        transport.deliver("kp1/demo_v1/nope/" + TOKEN + "/json/1", "", MqttQos.AT_LEAST_ONCE);
        transport.deliver("kp1/demo_v1/dcx/" + TOKEN + "/xml/2", "", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.publishedTopics()).containsExactly("kp1/demo_v1/nope/" + TOKEN + "/json/1/error",
                "kp1/demo_v1/dcx/" + TOKEN + "/xml/2/error");
        assertThat(transport.published()).allSatisfy(p -> assertThat(error(p).statusCode()).isEqualTo(404));
        assertThat(server.counters().errors(404)).isEqualTo(2);
    }

    @Test
    void request_handlerThrows_500() throws Exception {
        started();

        transport.deliver("kp1/demo_v1/bad/" + TOKEN + "/fail/3", "", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.lastPublished().topic()).isEqualTo("kp1/demo_v1/bad/" + TOKEN + "/fail/3/error");
        assertThat(error(transport.lastPublished())).isEqualTo(ErrorResponse.of(500, "Internal server error"));
    }

    @Test
    void request_asyncHandler_repliesWhenItsStageCompletes() throws Exception {
        Kp1MqttServer server = started();

        transport.deliver("kp1/demo_v1/cex/" + TOKEN + "/command/reboot/5", "{\"observe\":false}", MqttQos.AT_LEAST_ONCE);
        assertThat(transport.published()).isEmpty();
        assertThat(server.inFlight()).isEqualTo(1);
        held.remove().complete(Reply.ok("[]"));

        assertThat(transport.lastPublished().topic()).isEqualTo("kp1/demo_v1/cex/" + TOKEN + "/command/reboot/5/status");
        assertThat(server.inFlight()).isZero();
    }

    @Test
    void request_endpointUnawareParser_routesWithoutToken_D7() throws Exception {
        Router router = Router.builder()
                .on("registry", "/lookup", req -> CompletableFuture.completedFuture(
                        Reply.ok(String.valueOf(req.hasEndpointToken()))))
                .build();
        started(Kp1MqttServer.builder(transport, router)
                .parser(TopicParser.builder().endpointUnaware("registry").build()));

        transport.deliver("kp1/demo_v1/registry/lookup/9", "", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.lastPublished().topic()).isEqualTo("kp1/demo_v1/registry/lookup/9/status");
        assertThat(transport.lastPublished().text()).isEqualTo("false");
    }

    @Test
    void request_idZero_acceptedWhenParserAllows_D1b() throws Exception {
        started(Kp1MqttServer.builder(transport, routes().build())
                .parser(TopicParser.builder().acceptRequestIdZero(true).build()));

        transport.deliver(DCX + "/0", "[]", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.lastPublished().topic()).isEqualTo(DCX + "/0/status");
    }

    // ---- echoes and retained messages ----

    @ParameterizedTest
    @ValueSource(strings = {DCX + "/42/status", DCX + "/42/error", DCX + "/status", DCX + "/error",
            "kp1/app//json/error", "kp1/demo_v1/cex/" + TOKEN + "/command/reboot/status", "kp1/status"})
    void replyTopic_ignoredNeverAnswered_K5(String topic) throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, routes().build())
                .subscription(Kp1MqttServer.ALL_REQUESTS));

        transport.deliver(topic, "{\"statusCode\":400,\"reasonPhrase\":\"x\"}", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.published()).isEmpty();
        Kp1MqttServer.Counters c = server.counters();
        assertThat(c.echoesIgnored()).isEqualTo(1);
        assertThat(c.routed()).isZero();
        assertThat(c.invalidTopics()).isZero();
    }

    @Test
    void ownReplies_fedBackByKp1Hash_neverAnswered_noLoop() throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, routes().build())
                .subscription(Kp1MqttServer.ALL_REQUESTS));
        List<String> requests = List.of(DCX + "/1", DCX, DCX + "/0", "kp1/app//json", "kp1/demo_v1/nope/" + TOKEN + "/x");

        for (String r : requests) {
            transport.deliver(r, "{}", MqttQos.AT_LEAST_ONCE);
        }
        // What a broker does with kp1/#: every reply comes back to its publisher.
        List<FakeTransport.Published> replies = transport.published();
        for (FakeTransport.Published p : replies) {
            transport.deliver(new InboundMessage(p.topic(), p.payload(), p.qos(), false, false));
        }

        assertThat(transport.published()).hasSize(replies.size());
        assertThat(server.counters().echoesIgnored()).isEqualTo(replies.size());
    }

    @Test
    void retainedMessage_ignored() throws Exception {
        Kp1MqttServer server = started();

        transport.deliver(new InboundMessage(DCX + "/7", "[]".getBytes(StandardCharsets.UTF_8),
                MqttQos.AT_LEAST_ONCE, true, false));

        assertThat(transport.published()).isEmpty();
        assertThat(server.counters().retainedIgnored()).isEqualTo(1);
    }

    // ---- invalid topics ----

    @Test
    void invalidTopic_requestIdZero_400OnItsErrorTopic_namesRule_tokenRedacted_D1_D16() throws Exception {
        Kp1MqttServer server = started();

        transport.deliver(DCX + "/0", "[]", MqttQos.AT_LEAST_ONCE);

        FakeTransport.Published p = transport.lastPublished();
        assertThat(p.topic()).isEqualTo(DCX + "/0/error");
        assertThat(p.qos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
        ErrorResponse e = error(p);
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.reasonPhrase()).startsWith("INVALID_REQUEST_ID: ").endsWith("(D1)")
                .contains("JT******Hh").doesNotContain(TOKEN);
        assertThat(server.counters().invalidTopics()).isEqualTo(1);
        assertThat(server.counters().errors(400)).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource({
            "kp1/demo_v1//json, EMPTY_LEVEL, D3",
            "kp1/demo_v1/dcx/JTjdbENzHh/json/, EMPTY_LEVEL, D3",
            "kp1/demo_v1/dcx/42, MISSING_ENDPOINT_TOKEN, D7",
            "kp1/demo_v1/dcx/JTjdbENzHh/json/2147483648, INVALID_REQUEST_ID, D1",
            "kp1/demo_v1, MISSING_EXTENSION, K1"})
    void invalidTopic_publishable_400OnTopicSlashError(String topic, String reason, String rule) throws Exception {
        started(Kp1MqttServer.builder(transport, routes().build()).subscription(Kp1MqttServer.ALL_REQUESTS));

        transport.deliver(topic, "", MqttQos.AT_MOST_ONCE);

        FakeTransport.Published p = transport.lastPublished();
        assertThat(p.topic()).isEqualTo(topic + "/error");
        assertThat(p.qos()).isEqualTo(MqttQos.AT_MOST_ONCE);
        assertThat(error(p).reasonPhrase()).startsWith(reason + ": ").endsWith("(" + rule + ")");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kp2/demo_v1/dcx/JTjdbENzHh/json", "kp1", "devices/a/b", "/kp1/demo_v1/dcx/t/json",
            "kp1/demo_v1/dcx/+/json", "kp1/demo_v1/dcx/tok/#", "kp1/demo_v1/dcx/t\u0000k/json"})
    void invalidTopic_notPublishable_droppedAndCounted_D4_D5(String topic) throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, routes().build())
                .subscription(Kp1MqttServer.ALL_REQUESTS));

        transport.deliver(topic, "", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.published()).isEmpty();
        assertThat(server.counters().invalidTopics()).isEqualTo(1);
    }

    @Test
    void invalidTopic_tooLongForAnErrorTopic_dropped_D4() throws Exception {
        Kp1MqttServer server = started();
        String topic = "kp1/demo_v1/dcx/" + TOKEN + "/" + "x".repeat(65_535 - 27 - 2) + "/"; // 65,534 bytes, D3

        transport.deliver(topic, "", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.published()).isEmpty();
        assertThat(server.counters().invalidTopics()).isEqualTo(1);
    }

    @Test
    void invalidTopic_fireAndForgetSilent_onlyDigitLastLevelAnswered_D11() throws Exception {
        started(Kp1MqttServer.builder(transport, routes().errorRepliesWithoutRequestId(false).build())
                .subscription(Kp1MqttServer.ALL_REQUESTS));

        transport.deliver("kp1/demo_v1//json", "", MqttQos.AT_LEAST_ONCE);
        transport.deliver(DCX + "/0", "", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.publishedTopics()).containsExactly(DCX + "/0/error");
    }

    // ---- load ----

    @Test
    void load_pastMaxInFlight_503WithId_droppedWithout_counted() throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, routes().build()).maxInFlight(2));
        String cmd = "kp1/demo_v1/cex/" + TOKEN + "/command/reboot";

        transport.deliver(cmd + "/1", "", MqttQos.AT_LEAST_ONCE);
        transport.deliver(cmd + "/2", "", MqttQos.AT_LEAST_ONCE);
        transport.deliver(cmd + "/3", "", MqttQos.AT_LEAST_ONCE);
        transport.deliver(cmd, "", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.publishedTopics()).containsExactly(cmd + "/3/error");
        assertThat(error(transport.lastPublished()).statusCode()).isEqualTo(503);
        assertThat(server.counters().rejectedForLoad()).isEqualTo(2);
        assertThat(server.inFlight()).isEqualTo(2);

        held.remove().complete(Reply.ok("[]"));
        transport.deliver(cmd + "/4", "", MqttQos.AT_LEAST_ONCE);

        assertThat(server.inFlight()).isEqualTo(2);
        assertThat(server.counters().routed()).isEqualTo(3);
    }

    @Test
    void load_slotHeldUntilTheReplyPublishCompletes() throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, routes().build()).maxInFlight(1));
        transport.holdPublishes(true);

        transport.deliver(DCX + "/1", "[]", MqttQos.AT_LEAST_ONCE);
        assertThat(server.inFlight()).isEqualTo(1);
        transport.deliver(DCX + "/2", "[]", MqttQos.AT_LEAST_ONCE);
        transport.releaseAll();

        assertThat(server.inFlight()).isZero();
        assertThat(transport.publishedTopics()).containsExactly(DCX + "/1/status", DCX + "/2/error");
        assertThat(server.counters().replied()).isEqualTo(2);
    }

    // ---- threads ----

    @Test
    void executor_requestsRoutedThere() throws Exception {
        List<Runnable> tasks = new ArrayList<>();
        started(Kp1MqttServer.builder(transport, routes().build()).executor(tasks::add));

        transport.deliver(DCX + "/1", "[]", MqttQos.AT_LEAST_ONCE);
        assertThat(transport.published()).isEmpty();
        tasks.forEach(Runnable::run);

        assertThat(transport.publishedTopics()).containsExactly(DCX + "/1/status");
    }

    @Test
    void executor_refuses_503() throws Exception {
        Executor full = task -> {
            throw new RejectedExecutionException("full");
        };
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, routes().build()).executor(full));

        transport.deliver(DCX + "/1", "[]", MqttQos.AT_LEAST_ONCE);

        assertThat(transport.publishedTopics()).containsExactly(DCX + "/1/error");
        assertThat(server.counters().rejectedForLoad()).isEqualTo(1);
        assertThat(server.inFlight()).isZero();
    }

    @Test
    void publishThrows_nothingReachesTheTransportThread_slotReleased() throws Exception {
        Kp1MqttServer server = started();
        transport.publishThrows(new IllegalArgumentException("client refuses the topic"));

        transport.deliver(DCX + "/1", "[]", MqttQos.AT_LEAST_ONCE);
        transport.deliver("kp1/demo_v1//json", "", MqttQos.AT_LEAST_ONCE);

        assertThat(server.counters().replyFailures()).isEqualTo(2);
        assertThat(server.inFlight()).isZero();
    }

    @Test
    void publishFails_countedAsReplyFailure() throws Exception {
        Kp1MqttServer server = started();
        transport.holdPublishes(true);

        transport.deliver(DCX + "/1", "[]", MqttQos.AT_LEAST_ONCE);
        transport.lastPublished().future().completeExceptionally(new IllegalStateException("connection lost"));

        assertThat(server.counters().replyFailures()).isEqualTo(1);
        assertThat(server.counters().replied()).isZero();
        assertThat(server.inFlight()).isZero();
    }

    // ---- connection events ----

    @ParameterizedTest
    @CsvSource({"ABSENT, true", "UNKNOWN, true", "PRESENT, false"})
    void reconnect_resubscribesUnlessTheSessionSurvived(SessionPresence session, boolean resubscribes) throws Exception {
        List<String> events = new ArrayList<>();
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, routes().build())
                .connectionListener(new Kp1MqttServer.ConnectionListener() {
                    @Override
                    public void onConnected(boolean reconnect, SessionPresence s) {
                        events.add("connected " + reconnect + " " + s);
                    }

                    @Override
                    public void onConnectionLost(Throwable cause) {
                        events.add("lost " + cause.getMessage());
                    }

                    @Override
                    public void onResubscribed() {
                        events.add("resubscribed");
                    }
                }));
        transport.clearRecords();

        transport.connectionLost(new IllegalStateException("broker gone"));
        transport.connected(true, session);

        if (resubscribes) {
            assertThat(transport.subscribed()).isEqualTo(server.subscriptions());
            assertThat(events).containsExactly("lost broker gone", "connected true " + session, "resubscribed");
            assertThat(server.counters().resubscriptions()).isEqualTo(1);
        } else {
            assertThat(transport.subscribed()).isEmpty();
            assertThat(events).containsExactly("lost broker gone", "connected true PRESENT");
        }
    }

    @Test
    void reconnect_resubscribeRefused_listenerTold_listenerThrowing_harmless() throws Exception {
        List<String> failed = new ArrayList<>();
        started(Kp1MqttServer.builder(transport, routes().build())
                .connectionListener(new Kp1MqttServer.ConnectionListener() {
                    @Override
                    public void onConnected(boolean reconnect, SessionPresence s) {
                        throw new IllegalStateException("listener bug");
                    }

                    @Override
                    public void onResubscribeFailed(String filter, Throwable cause) {
                        failed.add(filter + " " + cause.getClass().getSimpleName());
                    }
                }));
        transport.refuse("kp1/+/dcx/#");

        transport.connected(true, SessionPresence.ABSENT);

        assertThat(failed).containsExactly("kp1/+/dcx/# MqttSubscriptionRefusedException");
    }

    // ---- stop ----

    @Test
    void stop_unsubscribes_servesUntilUnsuback_thenWaitsForInFlight() throws Exception {
        Kp1MqttServer server = started();
        String cmd = "kp1/demo_v1/cex/" + TOKEN + "/command/reboot";
        transport.deliver(cmd + "/1", "", MqttQos.AT_LEAST_ONCE);
        transport.holdUnsubscriptions(true);

        CompletableFuture<Void> stop = server.stop();

        assertThat(server.state()).isEqualTo(Kp1MqttServer.State.STOPPING);
        assertThat(transport.unsubscribed()).containsExactlyElementsOf(server.subscriptions());
        transport.deliver(DCX + "/2", "[]", MqttQos.AT_LEAST_ONCE);   // before UNSUBACK: served
        transport.releaseAll();
        transport.deliver(DCX + "/3", "[]", MqttQos.AT_LEAST_ONCE);   // after: 503
        assertThat(stop).isNotDone();
        held.remove().complete(Reply.ok("[]"));

        stop.get(WAIT, TimeUnit.SECONDS);
        assertThat(transport.publishedTopics()).containsExactly(DCX + "/2/status", DCX + "/3/error", cmd + "/1/status");
        assertThat(server.state()).isEqualTo(Kp1MqttServer.State.STOPPED);
        assertThat(transport.listener()).isNull();
        assertThat(server.stop()).isSameAs(stop);
    }

    @Test
    void stop_handlerNeverCompletes_stopEndsAfterStopTimeout() throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, routes().build())
                .stopTimeout(Duration.ofMillis(50)));
        transport.deliver("kp1/demo_v1/cex/" + TOKEN + "/command/reboot/1", "", MqttQos.AT_LEAST_ONCE);

        server.close();

        assertThat(server.state()).isEqualTo(Kp1MqttServer.State.STOPPED);
        assertThat(server.inFlight()).isEqualTo(1);
    }

    @Test
    void stop_beforeStart_stoppedAndStartRefused() {
        Kp1MqttServer server = Kp1MqttServer.builder(transport, routes().build()).build();

        server.close();

        assertThat(server.state()).isEqualTo(Kp1MqttServer.State.STOPPED);
        assertThat(server.start()).isCompletedExceptionally();
        assertThat(transport.subscribed()).isEmpty();
    }

    @Test
    void stop_whileStarting_waitsForStartThenUnsubscribes() throws Exception {
        transport.holdSubscriptions(true);
        Kp1MqttServer server = Kp1MqttServer.builder(transport, routes().build()).build();
        CompletableFuture<Kp1MqttServer> start = server.start();

        CompletableFuture<Void> stop = server.stop();
        assertThat(transport.unsubscribed()).isEmpty();
        transport.releaseAll();

        stop.get(WAIT, TimeUnit.SECONDS);
        assertThat(start).isCompleted();
        assertThat(transport.unsubscribed()).containsExactlyElementsOf(server.subscriptions());
    }

    // ---- builder ----

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "devices/#           | not under \"kp1/\"",
            "#                   | (K2)",
            "$share/g/kp1/#      | sharedGroup(group)",
            "kp1/#/x             | before the last level",
            "kp1/a+/x            | whole levels"})
    void builder_badFilter_throwsNamingTheProblem(String filter, String message) {
        Kp1MqttServer.Builder b = Kp1MqttServer.builder(transport, routes().build());

        assertThatThrownBy(() -> b.subscription(filter)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "g+", "#"})
    void builder_badShareGroup_throws(String group) {
        Kp1MqttServer.Builder b = Kp1MqttServer.builder(transport, routes().build());

        assertThatThrownBy(() -> b.sharedGroup(group)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group name");
    }

    @Test
    void builder_badNumbers_throw() {
        Kp1MqttServer.Builder b = Kp1MqttServer.builder(transport, routes().build());

        assertThatThrownBy(() -> b.maxInFlight(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> b.stopTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stopTimeout");
    }

    @Test
    void builder_routerWithoutRoutesAndNoFilter_throws() {
        Kp1MqttServer.Builder b = Kp1MqttServer.builder(transport, Router.builder().build());

        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("kp1/#");
        assertThat(b.subscription("kp1/#").build().subscriptions()).containsExactly("kp1/#");
    }
}
