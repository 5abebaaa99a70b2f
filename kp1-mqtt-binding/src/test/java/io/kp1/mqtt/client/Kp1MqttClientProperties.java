package io.kp1.mqtt.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.Reply;
import io.kp1.correlation.ConnectionLossPolicy;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttObservation;
import io.kp1.mqtt.SessionPresence;
import io.kp1.mqtt.SubscriptionStrategy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random interleavings of requests, observations, sends, replies (right, wrong endpoint, wrong
 * resource, duplicated, errors), cancellations, SUBACKs held back, connection losses and
 * reconnections with or without the session, under random policies, strategies and limits:
 * nothing completes with another request's reply (D12), limits hold, and after {@code close()}
 * every future and observation has ended (D14).
 */
class Kp1MqttClientProperties {
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "properties-deadlines");
        t.setDaemon(true);
        return t;
    });
    private static final String APP = "prop_v1";
    private static final String[] RESOURCES = {"/r0", "/r1", "/config/json"};

    @AfterContainer
    static void shutdown() {
        SCHEDULER.shutdownNow();
    }

    /** What a step does. */
    enum Kind { REQUEST, OBSERVE, SEND, PUSH_LISTENER, REPLY, ERROR_REPLY, REPLY_OTHER_ENDPOINT, REPLY_OTHER_RESOURCE,
        PUSH, CANCEL, LOSE, RECONNECT_PRESENT, RECONNECT_ABSENT, RELEASE_SUBACKS }

    /** One step: a kind and a few numbers it picks with. */
    record Step(Kind kind, int a, int b) {
    }

    /** The client's settings. */
    record Settings(ConnectionLossPolicy policy, SubscriptionStrategy strategy, int inFlightPerEndpoint, int queued,
                    int inFlight, int subscriptions, boolean holdSubacks) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.REQUEST)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.OBSERVE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.SEND)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.PUSH_LISTENER)),
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Kind.REPLY)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.ERROR_REPLY)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.REPLY_OTHER_ENDPOINT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.REPLY_OTHER_RESOURCE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.PUSH)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.CANCEL)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.LOSE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.RECONNECT_PRESENT)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.RECONNECT_ABSENT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.RELEASE_SUBACKS)));
        Arbitrary<Step> step = Combinators.combine(kinds, Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 1000)).as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<Settings> settings() {
        return Combinators.combine(Arbitraries.of(ConnectionLossPolicy.class), Arbitraries.of(SubscriptionStrategy.class),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 5),
                Arbitraries.of(true, false)).as(Settings::new);
    }

    @Property(tries = 300)
    void anyInterleaving_noWrongCompletion_limitsHold_andCloseEndsEverything_D12_D14(
            @ForAll("settings") Settings settings, @ForAll("steps") List<Step> steps) {
        FakeTransport t = new FakeTransport();
        t.holdSubscriptions(settings.holdSubacks());
        Kp1MqttClient client = Kp1MqttClient.builder(t)
                .scheduler(SCHEDULER)
                .requestTimeout(Duration.ofHours(1)) // nothing times out: the run is deterministic
                .connectionLossPolicy(settings.policy())
                .subscriptionStrategy(settings.strategy())
                .maxInFlightPerEndpoint(settings.inFlightPerEndpoint())
                .maxQueuedPerEndpoint(settings.queued())
                .maxInFlight(settings.inFlight())
                .maxSubscriptions(settings.subscriptions())
                .build();
        List<CompletableFuture<Reply>> requests = new ArrayList<>();
        List<String> requestPayloads = new ArrayList<>();
        List<MqttObservation> observations = new ArrayList<>();
        List<List<String>> heard = new ArrayList<>();
        List<String> heardPayloads = new ArrayList<>();
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        int n = 0;
        for (Step s : steps) {
            MqttEndpoint e = client.endpoint(APP, "PropToken" + (s.a() % 3));
            String resource = RESOURCES[s.b() % RESOURCES.length];
            String payload = "req-" + n++;
            switch (s.kind()) {
                case REQUEST -> {
                    requests.add(e.request("dcx", resource, payload));
                    requestPayloads.add(payload);
                }
                case OBSERVE, PUSH_LISTENER -> {
                    List<String> h = new CopyOnWriteArrayList<>();
                    observations.add(s.kind() == Kind.OBSERVE
                            ? e.observe("dcx", resource, payload.getBytes(StandardCharsets.UTF_8), r -> h.add(r.payloadAsString()))
                            : e.onPush("dcx", resource, r -> h.add(r.payloadAsString())));
                    heard.add(h);
                    heardPayloads.add(s.kind() == Kind.OBSERVE ? payload : "push " + resource + " " + e.endpointToken());
                }
                case SEND -> sends.add(e.send("dcx", resource, payload));
                case REPLY, ERROR_REPLY, REPLY_OTHER_ENDPOINT, REPLY_OTHER_RESOURCE -> reply(t, s);
                case PUSH -> {
                    if (t.isConnected()) {
                        t.deliver("kp1/" + APP + "/dcx/" + e.endpointToken() + resource + "/status",
                                "push " + resource + " " + e.endpointToken());
                    }
                }
                case CANCEL -> {
                    if (!requests.isEmpty()) {
                        requests.get(s.a() % requests.size()).cancel(false);
                    }
                    if (!observations.isEmpty()) {
                        observations.get(s.b() % observations.size()).cancel();
                    }
                }
                case LOSE -> {
                    if (t.isConnected()) {
                        t.loseConnection();
                    }
                }
                case RECONNECT_PRESENT, RECONNECT_ABSENT -> {
                    if (!t.isConnected()) {
                        t.reconnect(s.kind() == Kind.RECONNECT_PRESENT ? SessionPresence.PRESENT : SessionPresence.ABSENT);
                    }
                }
                case RELEASE_SUBACKS -> t.releaseSubscriptions();
                default -> throw new AssertionError(s);
            }
            // D12: a request completes only with the reply to its own topic.
            for (int i = 0; i < requests.size(); i++) {
                CompletableFuture<Reply> f = requests.get(i);
                if (f.isDone() && !f.isCompletedExceptionally()) {
                    assertThat(f.join().payloadAsString()).as("request %d", i).contains(requestPayloads.get(i));
                }
            }
            for (int i = 0; i < heard.size(); i++) {
                for (String h : heard.get(i)) {
                    assertThat(h).as("observation %d", i).contains(heardPayloads.get(i));
                }
            }
            Kp1MqttClient.Stats st = client.stats();
            assertThat(st.subscriptions()).isLessThanOrEqualTo(settings.subscriptions());
        }

        client.close();
        // D14: every request, send and observation has ended, and nothing is left in the client.
        assertThat(requests).allMatch(CompletableFuture::isDone);
        assertThat(sends).allMatch(CompletableFuture::isDone);
        assertThat(observations).allMatch(o -> o.ended().isDone());
        Kp1MqttClient.Stats end = client.stats();
        assertThat(end.correlation().pending()).isZero();
        assertThat(end.correlation().registered()).isEqualTo(end.correlation().ended());
        assertThat(t.listener()).isNull();
    }

    /** Replies to a published request, right or wrong, with the request's own payload as the reply payload. */
    private static void reply(FakeTransport t, Step s) {
        if (!t.isConnected()) {
            return; // a broker delivers nothing to a disconnected client
        }
        List<FakeTransport.Published> withId = t.published().stream()
                .filter(p -> p.topic().matches(".*/[0-9]+$")).toList();
        if (withId.isEmpty()) {
            return;
        }
        FakeTransport.Published p = withId.get(s.a() % withId.size());
        switch (s.kind()) {
            case REPLY -> t.deliver(p.topic() + "/status", p.text());
            case ERROR_REPLY -> t.deliver(p.topic() + "/error", "{\"statusCode\":500,\"reasonPhrase\":\"" + p.text() + "\"}");
            case REPLY_OTHER_ENDPOINT -> t.deliver(p.topic().replaceFirst("/PropToken[0-9]/", "/PropStranger/") + "/status", "wrong");
            case REPLY_OTHER_RESOURCE -> t.deliver(p.topic().replaceFirst("/(r0|r1|config/json)/", "/r9/") + "/status", "wrong");
            default -> throw new AssertionError(s);
        }
    }
}
