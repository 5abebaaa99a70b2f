package io.kp1.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kp1.InvalidTopicException;
import io.kp1.Reply;
import io.kp1.Topic;
import io.kp1.correlation.ConnectionLossPolicy;
import io.kp1.correlation.CorrelationException;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.Kp1MqttClientException;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttObservation;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.SessionPresence;
import io.kp1.mqtt.SubscriptionStrategy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Kp1MqttClient} against an in-memory transport: the order of subscriptions and
 * publishes, reply matching, limits, subscription reuse and eviction, connection loss under each
 * policy, observations, pushes and close. The broker-backed tests ({@code *IT}) check the same
 * behaviour end to end.
 */
class Kp1MqttClientTest {
    private static final String APP = "kettle_v1";
    private static final String TOKEN = "JTjdbENzHh";
    private static final String JSON = "kp1/kettle_v1/dcx/JTjdbENzHh/json";

    private final FakeTransport transport = new FakeTransport();
    private final List<Kp1MqttClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(Kp1MqttClient::close);
    }

    private Kp1MqttClient client(Kp1MqttClient.Builder b) {
        Kp1MqttClient c = b.build();
        clients.add(c);
        return c;
    }

    private Kp1MqttClient client() {
        return client(Kp1MqttClient.builder(transport));
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    private static Kp1MqttClientException.Reason clientReason(CompletableFuture<?> f) {
        Throwable t = failure(f);
        assertThat(t).isInstanceOf(Kp1MqttClientException.class);
        return ((Kp1MqttClientException) t).reason();
    }

    private static CorrelationException.Reason correlationReason(CompletableFuture<?> f) {
        Throwable t = failure(f);
        assertThat(t).isInstanceOf(CorrelationException.class);
        return ((CorrelationException) t).reason();
    }

    private String lastRequestTopic() {
        return transport.lastPublished().topic();
    }

    // ---------------------------------------------------------------- subscribe before publish

    @Test
    void request_publishesOnlyAfterTheSuback_K5() {
        transport.holdSubscriptions(true);
        MqttEndpoint kettle = client().endpoint(APP, TOKEN);

        CompletableFuture<Reply> f = kettle.request("dcx", "/json", "[{\"t\":1}]");

        assertThat(transport.log()).containsExactly("SUBSCRIBE " + JSON + "/#");
        transport.releaseSubscriptions();
        assertThat(transport.log()).hasSize(2);
        String topic = lastRequestTopic();
        assertThat(topic).matches(JSON.replace("/", "\\/") + "/[1-9][0-9]*");
        assertThat(transport.lastPublished().text()).isEqualTo("[{\"t\":1}]");
        assertThat(transport.lastPublished().qos()).isEqualTo(MqttQos.AT_LEAST_ONCE);

        transport.deliver(topic + "/status", "");
        assertThat(f).isCompleted();
        Reply r = f.join();
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.topic().orElseThrow().name()).isEqualTo(topic + "/status");
    }

    @Test
    void request_sameResourceTwice_subscribesOnce_andIdsDiffer_K4() {
        MqttEndpoint kettle = client().endpoint(APP, TOKEN);
        kettle.request("dcx", "/json", "[]");
        String first = lastRequestTopic();
        kettle.request("dcx", "/json", "[]");
        String second = lastRequestTopic();

        assertThat(transport.subscribed()).containsExactly(JSON + "/#");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void request_errorReply_completesNormallyWithTheK7Error() {
        MqttEndpoint kettle = client().endpoint(APP, TOKEN);
        CompletableFuture<Reply> f = kettle.request("epmx", "/get/everything", new byte[0]);

        transport.deliver(lastRequestTopic() + "/error", "{\"statusCode\":404,\"reasonPhrase\":\"Unknown resource\"}");

        Reply r = f.join();
        assertThat(r.isSuccess()).isFalse();
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.error().reasonPhrase()).isEqualTo("Unknown resource");
    }

    @ParameterizedTest
    @EnumSource(SubscriptionStrategy.class)
    void request_eachStrategy_subscribesItsFilters_andMatchesTheReply(SubscriptionStrategy strategy) {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).subscriptionStrategy(strategy));
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");

        List<String> expected = switch (strategy) {
            case PER_RESOURCE -> List.of(JSON + "/#");
            case PER_ENDPOINT_EXTENSION -> List.of("kp1/kettle_v1/dcx/JTjdbENzHh/#");
            case GATEWAY_WILDCARD -> List.of("kp1/kettle_v1/+/+/#");
            case REPLY_TOPICS -> List.of(JSON + "/+/status", JSON + "/+/error");
            case ANY_ENDPOINT_REPLY_TOPICS -> List.of("kp1/kettle_v1/dcx/+/json/+/status", "kp1/kettle_v1/dcx/+/json/+/error");
        };
        assertThat(transport.subscribed()).containsExactlyElementsOf(expected);
        transport.deliver(lastRequestTopic() + "/status", "ok");
        assertThat(f.join().payloadAsString()).isEqualTo("ok");
    }

    @Test
    void request_anyEndpointReplyTopics_twoSubscriptionsPerResourceForEveryEndpoint() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).subscriptionStrategy(SubscriptionStrategy.ANY_ENDPOINT_REPLY_TOPICS));
        for (int i = 0; i < 20; i++) {
            c.endpoint(APP, "token-" + i).request("dcx", "/json", "[]");
        }

        assertThat(transport.subscribed()).containsExactly("kp1/kettle_v1/dcx/+/json/+/status", "kp1/kettle_v1/dcx/+/json/+/error");
    }

    @Test
    void request_gatewayWildcard_oneSubscriptionForEveryEndpointAndExtension() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).subscriptionStrategy(SubscriptionStrategy.GATEWAY_WILDCARD));
        for (int i = 0; i < 20; i++) {
            c.endpoint(APP, "token-" + i).request(i % 2 == 0 ? "dcx" : "epmx", "/json", "[]");
        }
        c.endpoint("other_v2", TOKEN).request("dcx", "/json", "[]");

        assertThat(transport.subscribed()).containsExactly("kp1/kettle_v1/+/+/#", "kp1/other_v2/+/+/#");
    }

    @Test
    void request_qosPerClientAndPerCall_K8() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).qos(MqttQos.AT_MOST_ONCE));
        MqttEndpoint kettle = c.endpoint(APP, TOKEN);
        kettle.request("dcx", "/json", "[]");
        assertThat(transport.lastPublished().qos()).isEqualTo(MqttQos.AT_MOST_ONCE);

        kettle.withQos(MqttQos.EXACTLY_ONCE).request("dcx", "/json", "[]");
        assertThat(transport.lastPublished().qos()).isEqualTo(MqttQos.EXACTLY_ONCE);
        assertThat(kettle.withQos(MqttQos.EXACTLY_ONCE).endpointToken()).isEqualTo(TOKEN);
    }

    // ---------------------------------------------------------------- matching (D12, D15)

    @Test
    void reply_forAnotherEndpointWithTheSameId_completesNothing_D12() {
        Kp1MqttClient c = client();
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");
        String topic = lastRequestTopic();
        String otherEndpoint = topic.replace(TOKEN, "AnotherTok");

        transport.deliver(otherEndpoint + "/status", "not yours");
        transport.deliver(topic.replace("/json/", "/other/") + "/status", "not yours either");

        assertThat(f).isNotDone();
        assertThat(c.stats().correlation().unknown()).isEqualTo(2);
        transport.deliver(topic + "/status", "yours");
        assertThat(f.join().payloadAsString()).isEqualTo("yours");
    }

    @Test
    void reply_duplicate_isCountedAndCompletesOnce_D15() {
        Kp1MqttClient c = client();
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");
        String topic = lastRequestTopic();

        transport.deliver(topic + "/status", "first");
        transport.deliver(topic + "/status", "second");
        transport.deliver(topic + "/error", "{\"statusCode\":500,\"reasonPhrase\":\"x\"}");

        assertThat(f.join().payloadAsString()).isEqualTo("first");
        assertThat(c.stats().correlation().duplicate()).isEqualTo(2);
        assertThat(c.stats().correlation().replied()).isEqualTo(1);
    }

    @Test
    void inbound_echoesRetainedAndInvalidTopics_areCountedNeverThrown_D15() {
        Kp1MqttClient c = client();
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");
        String topic = lastRequestTopic();

        transport.deliver(topic, "[]");                                           // our own request, echoed
        transport.deliver(new InboundMessage(topic + "/status", new byte[0], MqttQos.AT_LEAST_ONCE, true, false));
        transport.deliver("kp1/kettle_v1//json/1/status", "");                    // D3
        transport.deliver("kp1/kettle_v1/dcx/JTjdbENzHh/json/0/status", "");      // D1
        transport.deliver("kp2/kettle_v1/dcx/JTjdbENzHh/json/1/status", "");      // D5
        transport.deliver("kp1/kettle_v1/dcx/JTjdbENzHh/json/1/status", "\u0000"); // unknown ID
        transport.deliver(JSON + "/error", "not json at all");                   // a push nobody listens to

        assertThat(f).isNotDone();
        Kp1MqttClient.Stats s = c.stats();
        assertThat(s.echoesIgnored()).isEqualTo(1);
        assertThat(s.retainedIgnored()).isEqualTo(1);
        assertThat(s.invalidReplies()).isEqualTo(3);
        assertThat(s.correlation().unknown()).isEqualTo(2);
    }

    @Test
    void request_noReply_failsWithTimeout_D14() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).requestTimeout(Duration.ofMillis(50)));
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");
        String topic = lastRequestTopic();

        assertThat(correlationReasonWhenDone(f)).isEqualTo(CorrelationException.Reason.TIMEOUT);
        transport.deliver(topic + "/status", "too late");
        assertThat(c.stats().correlation().late()).isEqualTo(1);
        assertThat(c.stats().correlation().timedOut()).isEqualTo(1);
    }

    private static CorrelationException.Reason correlationReasonWhenDone(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // inspected below
        }
        return correlationReason(f);
    }

    @Test
    void request_perCallTimeout_overridesTheClients() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).requestTimeout(Duration.ofHours(1)));
        MqttEndpoint quick = c.endpoint(APP, TOKEN).withRequestTimeout(Duration.ofMillis(20));
        assertThat(quick.requestTimeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(correlationReasonWhenDone(quick.request("dcx", "/json", "[]")))
                .isEqualTo(CorrelationException.Reason.TIMEOUT);
        assertThatThrownBy(() -> quick.withRequestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("D14");
    }

    @Test
    void request_cancelled_leavesTheTableAndLaterReplyIsLate() {
        Kp1MqttClient c = client();
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");
        String topic = lastRequestTopic();
        f.cancel(false);

        transport.deliver(topic + "/status", "");
        assertThat(c.stats().correlation().pending()).isZero();
        assertThat(c.stats().correlation().late()).isEqualTo(1);
        assertThat(c.stats().subscriptionsInUse()).isZero();
    }

    @Test
    void badArguments_throwAtOnce_namingTheRule() {
        Kp1MqttClient c = client();
        assertThatThrownBy(() -> c.endpoint(APP, "a/b")).isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> c.endpoint("", TOKEN)).isInstanceOf(IllegalArgumentException.class);
        MqttEndpoint kettle = c.endpoint(APP, TOKEN);
        assertThatThrownBy(() -> kettle.request("dcx", "/js+on", "[]")).isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("D4");
        assertThatThrownBy(() -> kettle.send("dcx", "/json/42", "[]")).isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("D8");
        assertThat(transport.log()).isEmpty();
        assertThat(c.endpoint(APP, TOKEN)).isSameAs(kettle);
        assertThat(kettle.toString()).contains("JT******Hh").doesNotContain(TOKEN);
    }

    // ---------------------------------------------------------------- fire and forget (K6)

    @Test
    void send_publishesWithoutIdOrSubscription_andCompletesOnPuback_K6() {
        transport.holdPublishes(true);
        MqttEndpoint kettle = client().endpoint(APP, TOKEN);
        CompletableFuture<Void> f = kettle.withQos(MqttQos.EXACTLY_ONCE).send("dcx", "/json", "[{\"t\":2}]");

        assertThat(transport.log()).containsExactly("PUBLISH " + JSON + " QoS 2");
        assertThat(f).isNotDone();
        transport.lastPublished().future().complete(null);
        assertThat(f).isCompleted();
    }

    // ---------------------------------------------------------------- limits

    @Test
    void limits_inFlightThenQueueThenFailFast_perEndpoint() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxInFlightPerEndpoint(2).maxQueuedPerEndpoint(2));
        MqttEndpoint noisy = c.endpoint(APP, TOKEN);
        List<CompletableFuture<Reply>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fs.add(noisy.request("dcx", "/json", "[" + i + "]"));
        }
        assertThat(transport.published()).extracting(FakeTransport.Published::text).containsExactly("[0]", "[1]");
        assertThat(clientReason(fs.get(4))).isEqualTo(Kp1MqttClientException.Reason.LIMIT_REACHED);
        assertThat(failure(fs.get(4))).hasMessageContaining("maxInFlightPerEndpoint").hasMessageContaining("JT******Hh");
        assertThat(c.stats().queued()).isEqualTo(2);

        // Another endpoint on the same connection is not held up by the noisy one.
        c.endpoint(APP, "QuietToken").request("dcx", "/json", "[quiet]");
        assertThat(transport.lastPublished().text()).isEqualTo("[quiet]");

        // A reply frees a slot: the queue moves, first in, first out.
        transport.deliver(transport.published().get(0).topic() + "/status", "");
        assertThat(transport.published()).extracting(FakeTransport.Published::text)
                .containsExactly("[0]", "[1]", "[quiet]", "[2]");
        fs.get(3).cancel(false); // ended while queued: skipped
        transport.deliver(transport.published().get(1).topic() + "/status", "");
        assertThat(transport.published()).hasSize(4);
        assertThat(c.stats().queued()).isZero();
        assertThat(c.stats().rejected()).isEqualTo(1);
    }

    @Test
    void limits_clientWideCap_admitsAcrossEndpointsFirstInFirstOut() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxInFlight(2).maxInFlightPerEndpoint(2));
        MqttEndpoint a = c.endpoint(APP, "EndpointA1");
        MqttEndpoint b = c.endpoint(APP, "EndpointB1");
        a.request("dcx", "/json", "[a0]");
        a.request("dcx", "/json", "[a1]");
        b.request("dcx", "/json", "[b0]");   // waits for a client-wide slot
        a.request("dcx", "/json", "[a2]");   // waits for one of its endpoint's slots
        assertThat(transport.published()).extracting(FakeTransport.Published::text).containsExactly("[a0]", "[a1]");
        assertThat(c.stats().queued()).isEqualTo(2);

        transport.deliver(transport.published().get(0).topic() + "/status", "");
        assertThat(transport.published()).extracting(FakeTransport.Published::text)
                .containsExactly("[a0]", "[a1]", "[b0]");
        transport.deliver(transport.published().get(1).topic() + "/status", "");
        assertThat(transport.published()).extracting(FakeTransport.Published::text)
                .containsExactly("[a0]", "[a1]", "[b0]", "[a2]");
        assertThat(c.stats().queued()).isZero();
    }

    @Test
    void limits_queueOfZero_failsFastPastTheInFlightLimit() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxInFlightPerEndpoint(1).maxQueuedPerEndpoint(0));
        MqttEndpoint e = c.endpoint(APP, TOKEN);
        CompletableFuture<Reply> first = e.request("dcx", "/json", "[]");
        CompletableFuture<Void> second = e.send("dcx", "/json", "[]");

        assertThat(first).isNotDone();
        assertThat(clientReason(second)).isEqualTo(Kp1MqttClientException.Reason.LIMIT_REACHED);
    }

    @Test
    void limits_fullQueue_makesRoomFromCallsThatEndedWhileQueued() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxInFlightPerEndpoint(1).maxQueuedPerEndpoint(1));
        MqttEndpoint e = c.endpoint(APP, TOKEN);
        e.request("dcx", "/json", "[1]");
        e.request("dcx", "/json", "[2]").cancel(false);
        CompletableFuture<Reply> third = e.request("dcx", "/json", "[3]");

        assertThat(third).isNotDone();
        assertThat(c.stats().queued()).isEqualTo(1);
        transport.deliver(transport.published().get(0).topic() + "/status", "");
        assertThat(transport.published()).extracting(FakeTransport.Published::text).containsExactly("[1]", "[3]");
    }

    @Test
    void limits_queuedRequest_timesOutFromTheCall_D14() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxInFlightPerEndpoint(1)
                .requestTimeout(Duration.ofMillis(50)));
        MqttEndpoint e = c.endpoint(APP, TOKEN).withRequestTimeout(Duration.ofHours(1));
        e.request("dcx", "/json", "[]"); // holds the only slot for an hour
        CompletableFuture<Reply> queuedOne = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");

        assertThat(correlationReasonWhenDone(queuedOne)).isEqualTo(CorrelationException.Reason.TIMEOUT);
        assertThat(transport.published()).hasSize(1);
    }

    @Test
    void limits_observationFreesItsSlotOnTheFirstReply() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxInFlightPerEndpoint(1));
        MqttEndpoint e = c.endpoint(APP, TOKEN);
        e.observe("cmx", "/config/json", "{\"observe\":true}".getBytes(StandardCharsets.UTF_8), r -> { });
        String observeTopic = lastRequestTopic();
        e.request("dcx", "/json", "[]");
        assertThat(transport.published()).hasSize(1);

        transport.deliver(observeTopic + "/status", "{}");
        assertThat(transport.published()).hasSize(2);
    }

    @Test
    void subscriptions_leastRecentlyUsedIdleOneIsUnsubscribed_neverOneInUse() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxSubscriptions(2));
        MqttEndpoint e = c.endpoint(APP, TOKEN);
        CompletableFuture<Reply> a = e.request("dcx", "/a", "[]");
        transport.deliver(lastRequestTopic() + "/status", "");
        CompletableFuture<Reply> b = e.request("dcx", "/b", "[]");
        String bTopic = lastRequestTopic();
        assertThat(a).isCompleted();

        // Full: /a is idle, /b in use; /c evicts /a.
        CompletableFuture<Reply> cc = e.request("dcx", "/c", "[]");
        assertThat(transport.unsubscribed()).containsExactly("kp1/kettle_v1/dcx/JTjdbENzHh/a/#");
        assertThat(cc).isNotDone();
        assertThat(c.subscriptions()).containsExactlyInAnyOrder("kp1/kettle_v1/dcx/JTjdbENzHh/b/#",
                "kp1/kettle_v1/dcx/JTjdbENzHh/c/#");

        // Both in use: a fourth resource cannot subscribe.
        CompletableFuture<Reply> d = e.request("dcx", "/d", "[]");
        assertThat(clientReason(d)).isEqualTo(Kp1MqttClientException.Reason.LIMIT_REACHED);
        assertThat(failure(d)).hasMessageContaining("maxSubscriptions");

        // Reuse: /b again needs no new subscription.
        transport.deliver(bTopic + "/status", "");
        e.request("dcx", "/b", "[]");
        assertThat(transport.subscribed()).containsExactly("kp1/kettle_v1/dcx/JTjdbENzHh/a/#",
                "kp1/kettle_v1/dcx/JTjdbENzHh/b/#", "kp1/kettle_v1/dcx/JTjdbENzHh/c/#");
        assertThat(c.stats().evicted()).isEqualTo(1);
    }

    @Test
    void subscribe_refused_failsTheRequest() {
        transport.refuse(JSON + "/#");
        Kp1MqttClient c = client();
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");

        assertThat(clientReason(f)).isEqualTo(Kp1MqttClientException.Reason.SUBSCRIBE_FAILED);
        assertThat(transport.published()).isEmpty();
        assertThat(c.stats().subscribeFailures()).isEqualTo(1);
        assertThat(c.stats().correlation().pending()).isZero();
    }

    @Test
    void publish_failedOnALiveConnection_failsTheRequest() {
        transport.failPublishes(true);
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).connectionLossPolicy(ConnectionLossPolicy.KEEP_ALL));
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");

        assertThat(clientReason(f)).isEqualTo(Kp1MqttClientException.Reason.PUBLISH_FAILED);
        assertThat(c.stats().publishFailures()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- connection loss (D13, D14)

    @Test
    void connectionLost_failAll_failsPendingAndRequestsMadeWhileDown() {
        Kp1MqttClient c = client();
        MqttEndpoint e = c.endpoint(APP, TOKEN);
        CompletableFuture<Reply> pending = e.request("dcx", "/json", "[]");
        MqttObservation push = e.onPush("cex", "/command/reboot", r -> { });

        transport.loseConnection();

        assertThat(correlationReason(pending)).isEqualTo(CorrelationException.Reason.CONNECTION_LOST);
        assertThat(failure(push.ended())).isInstanceOf(Kp1MqttClientException.class);
        CompletableFuture<Reply> whileDown = e.request("dcx", "/json", "[]");
        assertThat(clientReason(whileDown)).isEqualTo(Kp1MqttClientException.Reason.NOT_CONNECTED);
        assertThat(c.stats().correlation().pending()).isZero();
    }

    @Test
    void connectionLost_keepRequests_republishesWithTheSameIdAfterResubscribing() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).connectionLossPolicy(ConnectionLossPolicy.KEEP_REQUESTS));
        MqttEndpoint e = c.endpoint(APP, TOKEN);
        CompletableFuture<Reply> pending = e.request("dcx", "/json", "[1]");
        String topic = lastRequestTopic();

        transport.loseConnection();
        CompletableFuture<Reply> whileDown = e.request("dcx", "/json", "[2]");
        assertThat(pending).isNotDone();
        assertThat(whileDown).isNotDone();
        int before = transport.log().size();

        transport.holdSubscriptions(true);
        transport.reconnect(SessionPresence.ABSENT);
        List<String> after = transport.log().subList(before, transport.log().size());
        assertThat(after).containsExactly("SUBSCRIBE " + JSON + "/#"); // nothing published before the SUBACK
        transport.releaseSubscriptions();

        List<FakeTransport.Published> again = transport.published().subList(1, transport.published().size());
        assertThat(again).extracting(FakeTransport.Published::text).containsExactlyInAnyOrder("[1]", "[2]");
        assertThat(again).filteredOn(p -> p.text().equals("[1]")).extracting(FakeTransport.Published::topic)
                .containsExactly(topic); // the same request ID
        String secondTopic = again.stream().filter(p -> p.text().equals("[2]")).findFirst().orElseThrow().topic();
        transport.deliver(topic + "/status", "one");
        transport.deliver(secondTopic + "/status", "two");
        assertThat(pending.join().payloadAsString()).isEqualTo("one");
        assertThat(whileDown.join().payloadAsString()).isEqualTo("two");
        assertThat(c.stats().republished()).isEqualTo(2);
        assertThat(c.stats().resubscribed()).isEqualTo(1);
    }

    @Test
    void connectionLost_subscribeFailedBeforeTheLossWasReported_isMadeAgain_notAFailure() {
        transport.holdSubscriptions(true);
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).connectionLossPolicy(ConnectionLossPolicy.KEEP_REQUESTS));
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");

        transport.loseConnection(); // fails the held SUBSCRIBE first, then reports the loss, as Paho may
        assertThat(f).isNotDone();
        transport.holdSubscriptions(false);
        transport.reconnect(SessionPresence.ABSENT);

        assertThat(transport.subscribed()).containsExactly(JSON + "/#", JSON + "/#");
        transport.deliver(lastRequestTopic() + "/status", "ok");
        assertThat(f.join().payloadAsString()).isEqualTo("ok");
        assertThat(c.stats().subscribeFailures()).isZero();
    }

    @Test
    void connectionLost_sessionPresent_republishesWithoutResubscribing() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).connectionLossPolicy(ConnectionLossPolicy.KEEP_REQUESTS));
        CompletableFuture<Reply> pending = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");
        String topic = lastRequestTopic();

        transport.loseConnection();
        transport.reconnect(SessionPresence.PRESENT);

        assertThat(transport.subscribed()).hasSize(1);
        assertThat(transport.published()).extracting(FakeTransport.Published::topic).containsExactly(topic, topic);
        transport.deliver(topic + "/status", "");
        assertThat(pending).isCompleted();
    }

    @Test
    void connectionLost_keepRequests_endsObservationsButKeepAllKeepsThem_D13() {
        Kp1MqttClient keepRequests = client(Kp1MqttClient.builder(transport)
                .connectionLossPolicy(ConnectionLossPolicy.KEEP_REQUESTS));
        MqttObservation o = keepRequests.endpoint(APP, TOKEN).observe("cmx", "/config/json", new byte[0], r -> { });
        transport.loseConnection();
        assertThat(failure(o.ended())).isInstanceOf(CorrelationException.class);
        keepRequests.close();

        FakeTransport t2 = new FakeTransport();
        Kp1MqttClient keepAll = client(Kp1MqttClient.builder(t2).connectionLossPolicy(ConnectionLossPolicy.KEEP_ALL));
        List<String> heard = new CopyOnWriteArrayList<>();
        MqttEndpoint e = keepAll.endpoint(APP, TOKEN);
        MqttObservation kept = e.observe("cmx", "/config/json", new byte[0], r -> heard.add(r.payloadAsString()));
        MqttObservation push = e.onPush("cex", "/command/reboot", r -> heard.add(r.payloadAsString()));
        String observeTopic = t2.lastPublished().topic();
        t2.loseConnection();
        t2.reconnect(SessionPresence.ABSENT);

        assertThat(kept.ended()).isNotDone();
        assertThat(push.ended()).isNotDone();
        assertThat(t2.published()).extracting(FakeTransport.Published::topic).containsExactly(observeTopic, observeTopic);
        t2.deliver(observeTopic + "/status", "cfg");
        t2.deliver("kp1/kettle_v1/cex/JTjdbENzHh/command/reboot/status", "cmd");
        assertThat(heard).containsExactly("cfg", "cmd");
    }

    // ---------------------------------------------------------------- observe and push (K11, D13)

    @Test
    void observe_everyReplyToTheListener_errorEndsIt_D13() {
        Kp1MqttClient c = client();
        List<String> heard = new CopyOnWriteArrayList<>();
        MqttObservation o = c.endpoint(APP, TOKEN).observe("cmx", "/config/json",
                "{\"observe\":true}".getBytes(StandardCharsets.UTF_8), r -> heard.add(r.statusCode() + " " + r.payloadAsString()));
        String topic = lastRequestTopic();
        assertThat(o.subscribed()).isCompleted();

        transport.deliver(topic + "/status", "{\"configId\":\"1\"}");
        transport.deliver(topic + "/status", "{\"configId\":\"2\"}");
        transport.deliver(topic + "/error", "{\"statusCode\":410,\"reasonPhrase\":\"Gone\"}");
        transport.deliver(topic + "/status", "{\"configId\":\"3\"}");

        assertThat(heard).hasSize(3).startsWith("200 {\"configId\":\"1\"}", "200 {\"configId\":\"2\"}");
        Throwable why = failure(o.ended());
        assertThat(why).isInstanceOf(Kp1ErrorException.class);
        assertThat(((Kp1ErrorException) why).statusCode()).isEqualTo(410);
        assertThat(c.stats().correlation().duplicate()).isEqualTo(1);
        assertThat(c.stats().subscriptionsInUse()).isZero();
    }

    @Test
    void observe_cancel_endsNormally_andLaterRepliesAreDropped() {
        Kp1MqttClient c = client();
        List<Reply> heard = new CopyOnWriteArrayList<>();
        MqttObservation o = c.endpoint(APP, TOKEN).observe("cex", "/command/reboot", new byte[0], heard::add);
        String topic = lastRequestTopic();
        o.cancel();

        transport.deliver(topic + "/status", "[]");
        assertThat(heard).isEmpty();
        assertThat(o.ended()).isCompleted();
        assertThat(c.stats().correlation().late()).isEqualTo(1);
    }

    @Test
    void onPush_statusThenError_deliversBoth_andTheErrorEndsIt() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).subscriptionStrategy(SubscriptionStrategy.REPLY_TOPICS));
        List<String> heard = new CopyOnWriteArrayList<>();
        MqttObservation p = c.endpoint(APP, TOKEN).onPush("cex", "/command/reboot", r -> heard.add(r.payloadAsString()));
        String push = "kp1/kettle_v1/cex/JTjdbENzHh/command/reboot";
        assertThat(transport.subscribed()).containsExactly(push + "/status", push + "/error");
        assertThat(p.subscribed()).isCompleted();

        transport.deliver(push + "/status", "[{\"id\":1}]");
        transport.deliver(push + "/error", "{\"statusCode\":500,\"reasonPhrase\":\"broken\"}");
        transport.deliver(push + "/status", "[{\"id\":2}]");

        assertThat(heard).containsExactly("[{\"id\":1}]", "{\"statusCode\":500,\"reasonPhrase\":\"broken\"}");
        assertThat(failure(p.ended())).isInstanceOf(Kp1ErrorException.class);
        assertThat(c.stats().subscriptionsInUse()).isZero();
    }

    @Test
    void onPush_cancel_endsNormally() {
        Kp1MqttClient c = client();
        MqttObservation p = c.endpoint(APP, TOKEN).onPush("cex", "/command/reboot", r -> { });
        p.cancel();
        p.cancel();
        assertThat(p.ended()).isCompleted();
        assertThat(c.stats().subscriptionsInUse()).isZero();
    }

    // ---------------------------------------------------------------- close (D14)

    @Test
    void close_endsEverythingPending_removesTheListener_andRefusesLaterCalls_D14() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxInFlightPerEndpoint(1));
        MqttEndpoint e = c.endpoint(APP, TOKEN);
        CompletableFuture<Reply> inFlight = e.request("dcx", "/json", "[]");
        CompletableFuture<Void> queuedSend = e.send("dcx", "/json", "[]");
        MqttObservation observation = e.observe("cmx", "/config/json", new byte[0], r -> { });
        MqttObservation push = e.onPush("cex", "/command/reboot", r -> { });

        c.close();
        c.close();

        assertThat(clientReason(inFlight)).isEqualTo(Kp1MqttClientException.Reason.CLOSED);
        assertThat(clientReason(queuedSend)).isEqualTo(Kp1MqttClientException.Reason.CLOSED);
        assertThat(failure(observation.ended())).isInstanceOf(Kp1MqttClientException.class);
        assertThat(failure(push.ended())).isInstanceOf(Kp1MqttClientException.class);
        assertThat(transport.listener()).isNull();
        assertThat(transport.unsubscribed()).contains(JSON + "/#");
        assertThat(clientReason(e.request("dcx", "/json", "[]"))).isEqualTo(Kp1MqttClientException.Reason.CLOSED);
        assertThat(failure(e.onPush("cex", "/x", r -> { }).ended())).isInstanceOf(Kp1MqttClientException.class);
        assertThat(c.stats().correlation().pending()).isZero();
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void listenerThatThrows_neverReachesTheTransportThread() {
        Kp1MqttClient c = client();
        MqttObservation p = c.endpoint(APP, TOKEN).onPush("cex", "/command/reboot", r -> {
            throw new IllegalStateException("listener bug");
        });
        transport.deliver("kp1/kettle_v1/cex/JTjdbENzHh/command/reboot/status", "[]");
        assertThat(p.ended()).isNotDone();
        assertThat(c.stats().correlation().pushes()).isEqualTo(1);
    }

    @Test
    void topicsInStats_andToString_redactTokens_D16() {
        Kp1MqttClient c = client();
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).withRequestTimeout(Duration.ofMillis(20))
                .request("dcx", "/json", "[]");
        Throwable t = failureWhenDone(f);
        assertThat(t.getMessage()).contains("JT******Hh").doesNotContain(TOKEN);
        assertThat(c.toString()).doesNotContain(TOKEN);
        assertThat(Topic.parseReply(lastRequestTopic() + "/status").toString()).doesNotContain(TOKEN);
    }

    private static Throwable failureWhenDone(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // inspected below
        }
        return failure(f);
    }
}
