package io.kp1.mqtt.client;

import static io.kp1.mqtt.client.EchoService.APP;
import static io.kp1.mqtt.client.EchoService.TIMEOUT_SECONDS;
import static io.kp1.mqtt.client.EchoService.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.Reply;
import io.kp1.correlation.Correlator;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.extension.epmp.Metadata;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttObservation;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.SubscriptionStrategy;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A gateway ({@link Kp1MqttClient} on one MQTT connection, K10) and an extension service
 * ({@link EchoService}: {@code Kp1MqttServer} and a {@code Router} on another connection) talk
 * through a real Mosquitto: a thousand endpoints under every subscription strategy, fire and
 * forget, error replies, observations with later replies pushed by hand, pushes and pushed
 * errors, and a typed facade over a gateway endpoint. Every reply carries something only its
 * caller can expect, and is checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientEndToEndIT {
    private static final int ENDPOINTS = 1_000;

    private MosquittoBroker broker;
    private EchoService service;

    @BeforeAll
    void start() throws Exception {
        broker = MosquittoBroker.launch();
        service = EchoService.start(broker, TestClients.Kind.HIVEMQ_5);
    }

    @AfterAll
    void stop() {
        if (service != null) {
            service.close();
        }
        broker.close();
    }

    private TestClients.Connected gatewayConnection(TestClients.Kind kind) throws Exception {
        return TestClients.connect(kind, TestClients.options(broker, MqttTestBroker.Listener.TCP), null);
    }

    private static String token(String prefix, int i) {
        return prefix + "Tok" + i + "x"; // long enough to be redacted as XX****XX (D16)
    }

    /** After close(), nothing is pending: every future has ended (D14). */
    private static void assertAllEnded(Kp1MqttClient client, List<? extends CompletableFuture<?>> futures) {
        client.close();
        assertThat(futures).allMatch(CompletableFuture::isDone);
        assertThat(client.stats().correlation().pending()).isZero();
    }

    @ParameterizedTest
    @EnumSource(SubscriptionStrategy.class)
    void requests_aThousandEndpointsOnOneConnection_everyReplyReachesItsCaller_K10_D12(SubscriptionStrategy strategy)
            throws Exception {
        try (TestClients.Connected conn = gatewayConnection(TestClients.Kind.PAHO)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport()).subscriptionStrategy(strategy)
                    .requestTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
            String prefix = strategy.name().substring(0, 3);
            List<CompletableFuture<Reply>> replies = new ArrayList<>(ENDPOINTS);
            for (int i = 0; i < ENDPOINTS; i++) {
                replies.add(client.endpoint(APP, token(prefix, i)).request("epmx", "/echo", "n" + i));
            }
            CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            for (int i = 0; i < ENDPOINTS; i++) {
                Reply r = replies.get(i).join();
                assertThat(r.isSuccess()).isTrue();
                assertThat(r.payloadAsString()).as("reply to endpoint %d", i).isEqualTo(token(prefix, i) + ":n" + i);
                assertThat(r.topic().orElseThrow().path().endpointToken()).isEqualTo(token(prefix, i));
            }
            Kp1MqttClient.Stats s = client.stats();
            Correlator.Stats c = s.correlation();
            assertThat(c.replied()).isEqualTo(ENDPOINTS);
            assertThat(s.droppedReplies()).isZero();
            assertThat(s.publishFailures()).isZero();
            assertThat(s.subscriptions()).isEqualTo(switch (strategy) {
                case PER_RESOURCE, PER_ENDPOINT_EXTENSION -> ENDPOINTS;
                case GATEWAY_WILDCARD -> 1;
                case REPLY_TOPICS -> 2 * ENDPOINTS;
                case ANY_ENDPOINT_REPLY_TOPICS -> 2;
            });
            // The client lets go of a request's subscriptions just after completing its future.
            await(() -> client.stats().subscriptionsInUse() == 0, "subscriptions released");
            // Wildcards bring the gateway's own requests back; exact reply filters do not.
            if (strategy == SubscriptionStrategy.REPLY_TOPICS || strategy == SubscriptionStrategy.ANY_ENDPOINT_REPLY_TOPICS) {
                assertThat(s.echoesIgnored()).isZero();
            }
            assertAllEnded(client, replies);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestClients.Kind.class, names = {"PAHO", "HIVEMQ_5"})
    void requests_wildcardStrategy_ownRequestsComeBackOnlyWithoutNoLocal_MQTT5_3_8_3_1(TestClients.Kind kind)
            throws Exception {
        try (TestClients.Connected conn = gatewayConnection(kind)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport())
                    .subscriptionStrategy(SubscriptionStrategy.PER_RESOURCE)
                    .requestTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
            String prefix = kind == TestClients.Kind.PAHO ? "nlp" : "nlh";
            for (int i = 0; i < 5; i++) {
                Reply r = client.endpoint(APP, token(prefix, i)).request("epmx", "/echo", "n" + i)
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertThat(r.isSuccess()).isTrue();
            }
            // .../echo/# matches each request too. The broker passes a request to the gateway (if
            // at all) before the service can answer it, so its echo comes before its reply.
            long echoes = client.stats().echoesIgnored();
            if (conn.transport().supportsNoLocal()) {
                assertThat(echoes).as("own requests sent back despite No Local").isZero();
            } else {
                assertThat(echoes).isEqualTo(5);
            }
            assertThat(conn.transport().supportsNoLocal()).isEqualTo(kind == TestClients.Kind.HIVEMQ_5);
            client.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestClients.Kind.class, names = {"PAHO", "HIVEMQ_5"})
    void gateway_sendsGetsErrorsObservesAndHearsPushes_K6_K7_K11_D13(TestClients.Kind kind) throws Exception {
        String prefix = kind == TestClients.Kind.PAHO ? "pa" : "hv";
        try (TestClients.Connected conn = gatewayConnection(kind)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport())
                    .requestTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
            List<CompletableFuture<?>> all = new ArrayList<>();

            // Fire and forget (K6): a thousand endpoints, each sample reaches the service under its own token.
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < ENDPOINTS; i++) {
                sends.add(client.endpoint(APP, token(prefix, i)).send("dcx", "/json", "[{\"i\":" + i + "}]"));
            }
            CompletableFuture.allOf(sends.toArray(new CompletableFuture<?>[0])).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            all.addAll(sends);
            await(() -> countCollected(prefix) == ENDPOINTS, "every sample collected");
            for (int i = 0; i < ENDPOINTS; i++) {
                assertThat(service.collected.get(token(prefix, i))).containsExactly("[{\"i\":" + i + "}]");
            }
            assertThat(client.stats().subscriptions()).isZero(); // sends need no subscription

            // Error replies (K7) complete normally, each with its own reason.
            List<CompletableFuture<Reply>> errors = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                errors.add(client.endpoint(APP, token(prefix, i)).request("epmx", "/fail", "e" + i));
            }
            CompletableFuture.allOf(errors.toArray(new CompletableFuture<?>[0])).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (int i = 0; i < 100; i++) {
                Reply r = errors.get(i).join();
                assertThat(r.statusCode()).isEqualTo(409);
                assertThat(r.error().reasonPhrase()).isEqualTo("refused e" + i);
            }
            all.addAll(errors);

            // Observe (K11): the router's reply, then later replies published by hand, then an error ends it (D13).
            for (int i = 0; i < 10; i++) {
                String tok = token(prefix + "obs", i);
                List<String> heard = new CopyOnWriteArrayList<>();
                MqttObservation o = client.endpoint(APP, tok).observe("cmx", "/config/json",
                        "{\"observe\":true}".getBytes(StandardCharsets.UTF_8), r -> heard.add(r.payloadAsString()));
                await(() -> heard.size() == 1, "first configuration for " + i);
                assertThat(heard.get(0)).contains(tok);
                String topic = service.observeTopics.get(tok);
                service.publish(topic + "/status", "{\"configId\":\"c2\",\"config\":{\"for\":\"" + tok + "\"}}");
                await(() -> heard.size() == 2, "second configuration for " + i);
                assertThat(heard.get(1)).contains(tok).contains("c2");
                service.publish(topic + "/error", "{\"statusCode\":410,\"reasonPhrase\":\"observation over\"}");
                Throwable end = endedWith(o);
                assertThat(end).isInstanceOf(Kp1ErrorException.class);
                assertThat(((Kp1ErrorException) end).statusCode()).isEqualTo(410);
                assertThat(heard).hasSize(3);
            }

            // Pushes without request ID (K11) on .../command/reboot/status, then a pushed error ends the listener.
            for (int i = 0; i < 10; i++) {
                String tok = token(prefix + "push", i);
                List<String> heard = new CopyOnWriteArrayList<>();
                MqttObservation p = client.endpoint(APP, tok).onPush("cex", "/command/reboot", r -> heard.add(r.payloadAsString()));
                p.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                String push = "kp1/" + APP + "/cex/" + tok + "/command/reboot";
                service.publish(push + "/status", "[{\"id\":" + i + "}]");
                await(() -> heard.size() == 1, "push to " + i);
                assertThat(heard).containsExactly("[{\"id\":" + i + "}]");
                service.publish(push + "/error", "{\"statusCode\":500,\"reasonPhrase\":\"commands down\"}");
                assertThat(endedWith(p)).isInstanceOf(Kp1ErrorException.class);
            }

            // A fire-and-forget request that fails is answered on .../error without ID (D11): a push listener hears it.
            String tok = token(prefix + "d11", 0);
            MqttEndpoint e = client.endpoint(APP, tok);
            List<Reply> heard = new CopyOnWriteArrayList<>();
            MqttObservation errorsOfSends = e.onPush("dcx", "/nope", heard::add);
            errorsOfSends.subscribed().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            e.send("dcx", "/nope", "[]").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Throwable end = endedWith(errorsOfSends);
            assertThat(((Kp1ErrorException) end).statusCode()).isEqualTo(404);
            assertThat(heard).hasSize(1);

            assertThat(client.stats().droppedReplies()).isZero();
            await(() -> client.stats().subscriptionsInUse() == 0, "subscriptions released");
            assertAllEnded(client, all);
        }
    }

    @Test
    void subscriptions_cappedOnARealBroker_idleOnesEvictedAndMadeAgainWhenNeeded() throws Exception {
        try (TestClients.Connected conn = gatewayConnection(TestClients.Kind.PAHO)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport()).maxSubscriptions(64)
                    .requestTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
            // Batches of 50 endpoints: each batch's subscriptions are in use together, then idle.
            for (int pass = 0; pass < 2; pass++) {
                for (int batch = 0; batch < 10; batch++) {
                    List<CompletableFuture<Reply>> replies = new ArrayList<>();
                    for (int i = batch * 50; i < batch * 50 + 50; i++) {
                        replies.add(client.endpoint(APP, token("cap", i)).request("epmx", "/echo", pass + "-" + i));
                    }
                    for (int i = 0; i < 50; i++) {
                        int n = batch * 50 + i;
                        assertThat(replies.get(i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).payloadAsString())
                                .isEqualTo(token("cap", n) + ":" + pass + "-" + n);
                    }
                    await(() -> client.stats().subscriptionsInUse() == 0, "batch released");
                    assertThat(client.stats().subscriptions()).isLessThanOrEqualTo(64);
                }
            }
            Kp1MqttClient.Stats s = client.stats();
            assertThat(s.evicted()).isGreaterThanOrEqualTo(2 * 500 - 64);
            assertThat(s.subscribed()).isEqualTo(1_000); // the second pass subscribes again to evicted filters
            assertThat(s.droppedReplies()).isZero();
            client.close();
        }
    }

    @Test
    void qos_perClientAndPerCall_theServiceSeesIt_andAnswersWithIt_K8() throws Exception {
        try (TestClients.Connected conn = gatewayConnection(TestClients.Kind.HIVEMQ_5)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport()).qos(MqttQos.AT_MOST_ONCE)
                    .requestTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
            MqttEndpoint e = client.endpoint(APP, token("qos", 0));
            assertThat(e.request("epmx", "/qos", "").get(TIMEOUT_SECONDS, TimeUnit.SECONDS).payloadAsString()).isEqualTo("0");
            for (MqttQos q : MqttQos.values()) {
                assertThat(e.withQos(q).request("epmx", "/qos", "").get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                        .payloadAsString()).isEqualTo(String.valueOf(q.code()));
            }
            client.close();
        }
    }

    @Test
    void limits_aNoisyEndpointWaitsInItsOwnQueue_aQuietOneIsServedAtOnce() throws Exception {
        try (TestClients.Connected conn = gatewayConnection(TestClients.Kind.PAHO)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport())
                    .maxInFlightPerEndpoint(1).maxQueuedPerEndpoint(8)
                    .requestTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
            MqttEndpoint noisy = client.endpoint(APP, token("noisy", 0));
            List<CompletableFuture<Reply>> flood = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                flood.add(noisy.request("epmx", "/slow", "n" + i)); // 300 ms each, one at a time
            }
            // Past 1 in flight and 8 queued: refused at once.
            assertThat(flood.subList(9, 20)).allSatisfy(f -> assertThat(f).isCompletedExceptionally());
            Reply quiet = client.endpoint(APP, token("quiet", 0)).request("epmx", "/echo", "q")
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(quiet.payloadAsString()).isEqualTo(token("quiet", 0) + ":q");
            assertThat(flood.subList(0, 9).stream().filter(f -> !f.isDone()).count()).isGreaterThanOrEqualTo(5);

            CompletableFuture.allOf(flood.subList(0, 9).toArray(new CompletableFuture<?>[0])).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (int i = 0; i < 9; i++) {
                assertThat(flood.get(i).join().payloadAsString()).isEqualTo(token("noisy", 0) + ":n" + i);
            }
            assertThat(client.stats().rejected()).isEqualTo(11);
            client.close();
        }
    }

    @Test
    void typedFacade_metadataOverAGatewayEndpoint() throws Exception {
        try (TestClients.Connected conn = gatewayConnection(TestClients.Kind.PAHO)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport())
                    .subscriptionStrategy(SubscriptionStrategy.PER_ENDPOINT_EXTENSION)
                    .requestTimeout(Duration.ofSeconds(TIMEOUT_SECONDS)).build();
            List<CompletableFuture<Void>> updates = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                updates.add(Metadata.on(client.endpoint(APP, token("meta", i)), "meta")
                        .partialUpdate(Map.of("name", "kettle " + i, "floor", i)));
            }
            CompletableFuture.allOf(updates.toArray(new CompletableFuture<?>[0])).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            for (int i = 0; i < 50; i++) {
                Metadata m = Metadata.on(client.endpoint(APP, token("meta", i)), "meta");
                ObjectNode all = m.getAll().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertThat(all.get("name").asText()).isEqualTo("kettle " + i);
                assertThat(all.get("floor").asInt()).isEqualTo(i);
                assertThat(m.keys().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).containsExactlyInAnyOrder("name", "floor");
            }
            Metadata first = Metadata.on(client.endpoint(APP, token("meta", 0)), "meta");
            first.delete("floor").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(first.keys().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)).containsExactly("name");
            assertThat(client.stats().subscriptions()).isEqualTo(50); // one per endpoint and extension
            client.close();
        }
    }

    /** Samples collected from this test's endpoints (their tokens start with the prefix). */
    private long countCollected(String prefix) {
        return service.collected.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix + "Tok"))
                .mapToLong(e -> e.getValue().size())
                .sum();
    }

    private static Throwable endedWith(MqttObservation o) throws Exception {
        try {
            o.ended().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("ended normally");
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            return e.getCause();
        }
    }
}
