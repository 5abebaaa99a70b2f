package io.kp1.correlation;

import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static io.kp1.correlation.Fixtures.APP;
import static io.kp1.correlation.Fixtures.SECOND;
import static io.kp1.correlation.Fixtures.TOKEN_A;
import static io.kp1.correlation.Fixtures.TOKEN_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The correlator against a simple model, driven by random action sequences: register, observe,
 * reply (status and error), duplicate, late and unknown replies, a reply for another endpoint
 * with the same ID, pushes, time passing with expiry, cancellation and connection loss under
 * each policy.
 *
 * <p>Invariants after every action: the internal structures agree (K4 scopes, deadlines, table),
 * no two pending requests of one scope share an ID (K4), every reply outcome is the model's
 * (D12, D13, D15), every ended request ended exactly once and the way the model says (D14),
 * pending requests are not done, counters equal the model's and add up. At the end, a connection
 * loss fails what is left and the table is empty.
 */
class CorrelatorStatefulProperties {
    private static final int RING = 6;
    private static final int MAX_PENDING = 12;
    private static final int MAX_PER_SCOPE = 5;
    /** Registered paths: 0 and 1 share a K4 scope; 2 is another endpoint; 3 another extension. */
    static final ResourcePath[] PATHS = {
        ResourcePath.of(APP, "dcx", TOKEN_A, "/json"),
        ResourcePath.of(APP, "dcx", TOKEN_A, "/protobuf/3"),
        ResourcePath.of(APP, "dcx", TOKEN_B, "/json"),
        ResourcePath.of(APP, "cmx", TOKEN_A, "/config/json"),
    };
    /** The same resource on the other endpoint (D12): 0 <-> 2, 1 and 3 to never-registered ones. */
    static final ResourcePath[] OTHER_ENDPOINT = {
        PATHS[2],
        ResourcePath.of(APP, "dcx", TOKEN_B, "/protobuf/3"),
        PATHS[0],
        ResourcePath.of(APP, "cmx", TOKEN_B, "/config/json"),
    };
    static final ResourcePath PUSH_LISTENED = ResourcePath.of(APP, "cex", TOKEN_A, "/command/reboot");
    static final ResourcePath PUSH_UNLISTENED = ResourcePath.of(APP, "cex", TOKEN_B, "/command/reboot");
    static final long[] TIMEOUTS = {SECOND, 2 * SECOND, 5 * SECOND};

    @BeforeContainer
    static void quiet() {
        Fixtures.quietLogs();
    }

    enum End { REPLY, TIMEOUT, CANCEL, LOST }

    /** One registration as the model sees it. */
    static final class Req {
        final PendingRequest future;
        final int pathIndex;
        final boolean observation;
        /** Absolute deadline, or null for none (observations without one, or after their first reply). */
        Long deadline;
        End end;
        Topic.Kind endKind;
        int completions;
        int listened;
        int expectedListened;

        Req(PendingRequest future, int pathIndex, boolean observation, Long deadline) {
            this.future = future;
            this.pathIndex = pathIndex;
            this.observation = observation;
            this.deadline = deadline;
        }

        int id() {
            return future.requestId();
        }

        int scope() {
            return Harness.scopeOf(pathIndex);
        }
    }

    /** A recently ended request in the model's bounded memory. */
    record Ended(String pathText, int id, boolean byReply) {
    }

    /** The system under test and its model. */
    static final class Harness {
        final Correlator correlator = Correlator.builder().maxPending(MAX_PENDING).maxPendingPerEndpoint(MAX_PER_SCOPE)
                .recentlyEndedCapacity(RING).build();
        long now;
        final List<Req> live = new ArrayList<>();
        final List<Req> all = new ArrayList<>();
        final Deque<Ended> ring = new ArrayDeque<>();
        final Map<String, Long> counts = new HashMap<>();
        int pushesSeen;

        Harness() {
            correlator.addPushListener(PUSH_LISTENED, r -> pushesSeen++);
        }

        void count(String what) {
            counts.merge(what, 1L, Long::sum);
        }

        long counted(String what) {
            return counts.getOrDefault(what, 0L);
        }

        /** Each registration moves time by 1 ns, so no two deadlines are ever equal. */
        void register(int pathIndex, int timeoutIndex, boolean observation) {
            now++;
            int scope = scopeOf(pathIndex);
            long inScope = live.stream().filter(r -> r.scope() == scope).count();
            boolean refused = live.size() >= MAX_PENDING || inScope >= MAX_PER_SCOPE;
            long timeout = observation ? (timeoutIndex == 0 ? 0 : TIMEOUTS[timeoutIndex]) : TIMEOUTS[timeoutIndex];
            if (refused) {
                assertThatThrownBy(() -> add(pathIndex, timeout, observation, new Req[1]))
                        .isInstanceOfSatisfying(CorrelationException.class,
                                e -> assertThat(e.reason()).isEqualTo(CorrelationException.Reason.LIMIT_REACHED));
                count("rejected");
                return;
            }
            Req[] self = new Req[1];
            PendingRequest f = add(pathIndex, timeout, observation, self);
            Req r = new Req(f, pathIndex, observation, timeout == 0 ? null : now + timeout);
            self[0] = r; // the listener only runs on a reply, after this
            f.whenComplete((v, e) -> r.completions++);
            for (Req other : live) {
                assertThat(other.scope() == r.scope() && other.id() == r.id())
                        .as("ID %s collides in its K4 scope", r.id()).isFalse();
            }
            live.add(r);
            all.add(r);
            count("registered");
        }

        private PendingRequest add(int pathIndex, long timeout, boolean observation, Req[] self) {
            return observation ? correlator.observe(PATHS[pathIndex], timeout, now, reply -> self[0].listened++)
                    : correlator.register(PATHS[pathIndex], timeout, now);
        }

        private static int scopeOf(int pathIndex) {
            return pathIndex == 2 ? 1 : pathIndex == 3 ? 2 : 0;
        }

        /** What the model expects for a reply with an ID on {@code path}. */
        ReplyOutcome expect(ResourcePath path, int id, Topic.Kind kind) {
            for (Req r : live) {
                if (r.id() == id && PATHS[r.pathIndex].asString().equals(path.asString())) {
                    if (!r.observation) {
                        endModel(r, End.REPLY, kind);
                        return ReplyOutcome.COMPLETED;
                    }
                    r.expectedListened++;
                    if (kind == Topic.Kind.ERROR) {
                        endModel(r, End.REPLY, kind);
                        return ReplyOutcome.OBSERVATION_ENDED;
                    }
                    r.deadline = null;
                    count("observed");
                    return ReplyOutcome.OBSERVED;
                }
            }
            Iterator<Ended> newestFirst = ring.descendingIterator();
            while (newestFirst.hasNext()) {
                Ended e = newestFirst.next();
                if (e.id() == id && e.pathText().equals(path.asString())) {
                    count(e.byReply() ? "duplicate" : "late");
                    return e.byReply() ? ReplyOutcome.DUPLICATE : ReplyOutcome.LATE;
                }
            }
            count("unknown");
            return ReplyOutcome.UNKNOWN;
        }

        void endModel(Req r, End how, Topic.Kind kind) {
            live.remove(r);
            r.end = how;
            r.endKind = kind;
            count(how.name());
            ring.addLast(new Ended(PATHS[r.pathIndex].asString(), r.id(), how == End.REPLY));
            if (ring.size() > RING) {
                ring.removeFirst();
            }
        }

        void reply(ResourcePath path, int id, Topic.Kind kind) {
            String name = path.asString() + "/" + id + (kind == Topic.Kind.STATUS ? Topic.STATUS_SUFFIX : Topic.ERROR_SUFFIX);
            byte[] payload = kind == Topic.Kind.STATUS ? "{}".getBytes()
                    : "{\"statusCode\":500,\"reasonPhrase\":\"boom\"}".getBytes();
            ReplyOutcome expected = expect(path, id, kind);
            assertThat(correlator.onReply(Topic.parseReply(name), payload)).as("reply on %s", name).isEqualTo(expected);
        }

        void advance(long nanos) {
            now += nanos;
            List<Req> due = new ArrayList<>();
            for (Req r : live) {
                if (r.deadline != null && r.deadline - now <= 0) {
                    due.add(r);
                }
            }
            due.sort(Comparator.comparingLong(r -> r.deadline));
            for (Req r : due) {
                endModel(r, End.TIMEOUT, null);
            }
            assertThat(correlator.expire(now)).isEqualTo(due.size());
        }

        void cancel(Req r) {
            endModel(r, End.CANCEL, null);
            r.future.cancel(false);
        }

        void connectionLost(ConnectionLossPolicy policy) {
            List<Req> keep = new ArrayList<>();
            for (Req r : new ArrayList<>(live)) { // registration order is age order here
                if (r.observation ? policy.keepsObservations() : policy.keepsRequests()) {
                    keep.add(r);
                } else {
                    endModel(r, End.LOST, null);
                }
            }
            counts.merge("kept", (long) keep.size(), Long::sum);
            List<PendingRequest> kept = correlator.connectionLost(policy);
            assertThat(kept).containsExactlyElementsOf(keep.stream().map(r -> r.future).toList());
        }

        void push(boolean listened, Topic.Kind kind) {
            ResourcePath p = listened ? PUSH_LISTENED : PUSH_UNLISTENED;
            Topic t = Topic.parseReply(p.asString() + (kind == Topic.Kind.STATUS ? "/status" : "/error"));
            count(listened ? "pushes" : "unknown");
            int before = pushesSeen;
            assertThat(correlator.onReply(t, "{\"statusCode\":500,\"reasonPhrase\":\"x\"}".getBytes()))
                    .isEqualTo(listened ? ReplyOutcome.PUSHED : ReplyOutcome.UNKNOWN);
            assertThat(pushesSeen - before).isEqualTo(listened ? 1 : 0);
        }

        /** Invariants checked after every action. */
        void check() {
            correlator.checkInvariants();
            Correlator.Stats s = correlator.stats();
            assertThat(s.pending()).isEqualTo(live.size());
            assertThat(s.pendingObservations()).isEqualTo(live.stream().filter(r -> r.observation).count());
            assertThat(s.registered()).isEqualTo(counted("registered"));
            assertThat(s.replied()).isEqualTo(counted("REPLY"));
            assertThat(s.timedOut()).isEqualTo(counted("TIMEOUT"));
            assertThat(s.cancelled()).isEqualTo(counted("CANCEL"));
            assertThat(s.connectionLost()).isEqualTo(counted("LOST"));
            assertThat(s.keptOnConnectionLoss()).isEqualTo(counted("kept"));
            assertThat(s.observationReplies()).isEqualTo(counted("observed"));
            assertThat(s.late()).isEqualTo(counted("late"));
            assertThat(s.duplicate()).isEqualTo(counted("duplicate"));
            assertThat(s.unknown()).isEqualTo(counted("unknown"));
            assertThat(s.pushes()).isEqualTo(counted("pushes"));
            assertThat(s.rejected()).isEqualTo(counted("rejected"));
            assertThat(s.registered()).isEqualTo(s.pending() + s.ended());
            for (Req r : all) {
                assertThat(r.listened).as("listener calls of %s", r.future).isEqualTo(r.expectedListened);
                if (r.end == null) {
                    assertThat(r.future).isNotDone();
                    assertThat(r.completions).isZero();
                    assertThat(r.future.isPending()).isTrue();
                } else {
                    assertThat(r.completions).as("completions of %s", r.future).isEqualTo(1);
                    assertThat(r.future.isPending()).isFalse();
                    checkEnd(r);
                }
            }
        }

        private static void checkEnd(Req r) {
            switch (r.end) {
                case REPLY:
                    Reply reply = r.future.join();
                    assertThat(reply.isSuccess()).isEqualTo(r.endKind == Topic.Kind.STATUS);
                    assertThat(reply.topic().orElseThrow().requestId()).isEqualTo(r.id());
                    break;
                case CANCEL:
                    assertThat(r.future).isCancelled();
                    break;
                default:
                    CorrelationException.Reason reason = r.end == End.TIMEOUT
                            ? CorrelationException.Reason.TIMEOUT : CorrelationException.Reason.CONNECTION_LOST;
                    assertThat(r.future).isCompletedExceptionally();
                    try {
                        r.future.join();
                    } catch (CompletionException e) {
                        assertThat(((CorrelationException) e.getCause()).reason()).isEqualTo(reason);
                        assertThat(e.getCause().getMessage()).doesNotContain(TOKEN_A).doesNotContain(TOKEN_B);
                    }
            }
        }
    }

    // ------------------------------------------------------------------ actions

    static Action.Independent<Harness> register() {
        return () -> Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 2),
                        Arbitraries.of(false, false, true))
                .as((p, t, obs) -> Transformer.mutate((obs ? "observe " : "register ") + p + " timeout#" + t,
                        h -> h.register(p, t, obs)));
    }

    /** Replies on the topic of a pending request (status or error). */
    static Action.Independent<Harness> replyToPending() {
        return () -> Combinators.combine(Arbitraries.integers().between(0, 1000), Arbitraries.of(Topic.Kind.STATUS,
                        Topic.Kind.STATUS, Topic.Kind.ERROR))
                .as((i, kind) -> Transformer.mutate("reply " + kind + " to pending #" + i, h -> {
                    if (!h.live.isEmpty()) {
                        Req r = h.live.get(i % h.live.size());
                        h.reply(PATHS[r.pathIndex], r.id(), kind);
                    }
                }));
    }

    /** Replies again for a request that ended: duplicate (ended by reply) or late, or unknown once forgotten. */
    static Action.Independent<Harness> replyToEnded() {
        return () -> Combinators.combine(Arbitraries.integers().between(0, 1000), Arbitraries.of(Topic.Kind.values())
                        .filter(k -> k != Topic.Kind.REQUEST))
                .as((i, kind) -> Transformer.mutate("reply " + kind + " to ended #" + i, h -> {
                    List<Req> ended = h.all.stream().filter(r -> r.end != null).toList();
                    if (!ended.isEmpty()) {
                        Req r = ended.get(ended.size() - 1 - i % ended.size());
                        h.reply(PATHS[r.pathIndex], r.id(), kind);
                    }
                }));
    }

    /** The same ID as a pending request, on the same resource of another endpoint (D12). */
    static Action.Independent<Harness> replyForOtherEndpointSameId() {
        return () -> Arbitraries.integers().between(0, 1000)
                .map(i -> Transformer.mutate("reply for other endpoint, same ID as pending #" + i, h -> {
                    if (!h.live.isEmpty()) {
                        Req r = h.live.get(i % h.live.size());
                        h.reply(OTHER_ENDPOINT[r.pathIndex], r.id(), Topic.Kind.STATUS);
                    }
                }));
    }

    static Action.Independent<Harness> replyUnknown() {
        return () -> Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 60))
                .as((p, id) -> Transformer.mutate("reply to path " + p + " ID " + id,
                        h -> h.reply(PATHS[p], id, Topic.Kind.STATUS)));
    }

    static Action.Independent<Harness> push() {
        return () -> Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(Topic.Kind.STATUS, Topic.Kind.ERROR))
                .as((listened, kind) -> Transformer.mutate("push " + kind + (listened ? " listened" : " unlistened"),
                        h -> h.push(listened, kind)));
    }

    static Action.Independent<Harness> advanceAndExpire() {
        return () -> Arbitraries.of(0L, SECOND / 2, SECOND, 3 * SECOND)
                .map(d -> Transformer.mutate("advance " + d + " ns and expire", h -> h.advance(d)));
    }

    static Action.Independent<Harness> cancel() {
        return () -> Arbitraries.integers().between(0, 1000)
                .map(i -> Transformer.mutate("cancel pending #" + i, h -> {
                    if (!h.live.isEmpty()) {
                        h.cancel(h.live.get(i % h.live.size()));
                    }
                }));
    }

    static Action.Independent<Harness> connectionLost() {
        return () -> Arbitraries.of(ConnectionLossPolicy.class)
                .map(p -> Transformer.mutate("connection lost, " + p, h -> h.connectionLost(p)));
    }

    @Provide
    Arbitrary<ActionChain<Harness>> chains() {
        return ActionChain.startWith(Harness::new)
                .withAction(8, register())
                .withAction(5, replyToPending())
                .withAction(2, replyToEnded())
                .withAction(1, replyForOtherEndpointSameId())
                .withAction(1, replyUnknown())
                .withAction(1, push())
                .withAction(3, advanceAndExpire())
                .withAction(2, cancel())
                .withAction(1, connectionLost())
                .withMaxTransformations(80);
    }

    @Property(tries = 300)
    void correlator_randomActionSequences_agreesWithModel_K4_K11_D12_D13_D14_D15(@ForAll("chains") ActionChain<Harness> chain) {
        Harness h = chain.withInvariant("correlator agrees with model", Harness::check).run();
        // Whatever is left ends on a final connection loss; then nothing is pending.
        h.connectionLost(ConnectionLossPolicy.FAIL_ALL);
        h.check();
        assertThat(h.live).isEmpty();
        assertThat(h.correlator.pending()).isZero();
        assertThat(h.correlator.nextDeadline()).isEmpty();
        for (Req r : h.all) {
            assertThat(r.completions).isEqualTo(1);
        }
    }
}
