package io.kp1.correlation;

import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static io.kp1.correlation.Fixtures.APP;
import static io.kp1.correlation.Fixtures.EMPTY;
import static io.kp1.correlation.Fixtures.JSON_A;
import static io.kp1.correlation.Fixtures.JSON_B;
import static io.kp1.correlation.Fixtures.SECOND;
import static io.kp1.correlation.Fixtures.TOKEN_A;
import static io.kp1.correlation.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Orders and bounds of the correlator that the main suite reaches only in their common case:
 * "oldest first" across an ID wrap-around in a small ID space, ties and clock races between
 * deadlines, removing one push listener among several, and the per-endpoint limit after idle
 * state was purged.
 */
class CorrelatorOrderAndBoundsTest {
    @BeforeAll
    static void quiet() {
        Fixtures.quietLogs();
    }

    /** The {@code /status} push topic of a resource (no request ID), parsed from text. */
    private static Topic push(ResourcePath path) {
        return Topic.parseReply(path.asString() + Topic.STATUS_SUFFIX);
    }

    /** IDs 9, 10, 1, 2 in an ID space of 1..10: table slot order is 1, 2, 9, 10; age order is 9, 10, 1, 2. */
    private static List<PendingRequest> registerAcrossWrap(Correlator c) {
        List<PendingRequest> rs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rs.add(c.register(i % 2 == 0 ? JSON_A : JSON_B, SECOND, 0));
        }
        assertThat(rs).extracting(PendingRequest::requestId).containsExactly(9, 10, 1, 2);
        return rs;
    }

    private static Correlator smallIdSpace() {
        return Correlator.builder().maxRequestIdForTesting(10).maxPending(8).firstRequestId(9).build();
    }

    @Test
    void connectionLost_keepAcrossWrapInSmallIdSpace_returnsOldestFirst_D14() {
        Correlator c = smallIdSpace();
        List<PendingRequest> rs = registerAcrossWrap(c);

        assertThat(c.connectionLost(ConnectionLossPolicy.KEEP_REQUESTS)).containsExactlyElementsOf(rs);
        c.checkInvariants();
    }

    @Test
    void connectionLost_failAcrossWrap_failsOldestFirst_D14() {
        Correlator c = smallIdSpace();
        List<PendingRequest> rs = registerAcrossWrap(c);
        List<PendingRequest> failed = new ArrayList<>();
        rs.forEach(r -> r.whenComplete((v, e) -> failed.add(r)));

        assertThat(c.connectionLost(ConnectionLossPolicy.FAIL_ALL)).isEmpty();

        assertThat(failed).containsExactlyElementsOf(rs);
        c.checkInvariants();
    }

    @Test
    void expire_sameDeadline_failsInRegistrationOrder_D14() {
        Correlator c = Correlator.builder().build();
        List<PendingRequest> rs = new ArrayList<>();
        List<PendingRequest> failed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            PendingRequest r = c.register(JSON_A, SECOND, 7);
            r.whenComplete((v, e) -> failed.add(r));
            rs.add(r);
        }

        assertThat(c.expire(SECOND + 7)).isEqualTo(5);

        assertThat(failed).containsExactlyElementsOf(rs);
        c.checkInvariants();
    }

    @Test
    void nextDeadline_racedClockPutsEarliestAtHeadOfLaterQueue_expiresItFirst_D14() {
        Correlator c = Correlator.builder().build();
        PendingRequest slow = c.register(JSON_A, 100, 0);       // deadline 100, queue of 100 ns
        PendingRequest fast = c.register(JSON_A, 50, 20);       // deadline 70, queue of 50 ns: the earliest
        PendingRequest raced = c.register(JSON_B, 100, -60);    // deadline 40: new head of the 100 ns queue

        assertThat(c.nextDeadline()).hasValue(40);
        assertThat(c.expire(45)).isEqualTo(1);
        assertThat(raced).isCompletedExceptionally();
        assertThat(fast).isNotDone();
        assertThat(slow).isNotDone();
        assertThat(c.nextDeadline()).hasValue(70);
        c.checkInvariants();
    }

    @Test
    void nextDeadline_cancelInOneBranchMovesLaterDurationUp_staysEarliest_D14() {
        // One request per duration, so one deadline queue each; this order lays the queues out as
        // the heap [10, 50, 20, 60, 70, 30, 25]: cancelling 60 moves 25 under 50, where it must rise.
        Correlator c = Correlator.builder().build();
        java.util.Map<Long, PendingRequest> byTimeout = new java.util.HashMap<>();
        for (long t : new long[] {10, 50, 20, 60, 70, 30, 25}) {
            byTimeout.put(t, c.register(JSON_A, t, 0));
        }

        byTimeout.get(60L).cancel(false);
        byTimeout.get(10L).cancel(false);
        byTimeout.get(20L).cancel(false);

        assertThat(c.nextDeadline()).hasValue(25);
        assertThat(c.expire(26)).isEqualTo(1);
        assertThat(byTimeout.get(25L)).isCompletedExceptionally();
        assertThat(c.nextDeadline()).hasValue(30);
        c.checkInvariants();
    }

    @Test
    void expire_twoDurationsInTurn_eachTimeoutNamesItsOwnDuration_D14() {
        Correlator c = Correlator.builder().build();
        PendingRequest oneSecond = c.register(JSON_A, SECOND, 0);
        PendingRequest twoSeconds = c.register(JSON_A, 2 * SECOND, 0);

        assertThat(c.expire(SECOND)).isEqualTo(1);
        assertThat(c.expire(2 * SECOND)).isEqualTo(1);

        assertThat(oneSecond.handle((v, e) -> e.getMessage()).join()).contains("within 1000 ms (D14)");
        assertThat(twoSeconds.handle((v, e) -> e.getMessage()).join()).contains("within 2000 ms (D14)");
    }

    @Test
    void pushListener_middleOfThreeClosed_othersStillReceive_andSecondCloseIsNoOp_K11() {
        Correlator c = Correlator.builder().build();
        List<String> got = new ArrayList<>();
        Consumer<Reply> first = r -> got.add("first");
        Consumer<Reply> middle = r -> got.add("middle");
        Consumer<Reply> last = r -> got.add("last");
        Correlator.Subscription s1 = c.addPushListener(JSON_A, first);
        Correlator.Subscription s2 = c.addPushListener(JSON_A, middle);
        Correlator.Subscription s3 = c.addPushListener(JSON_A, last);

        s2.close();
        assertThat(c.onReply(push(JSON_A), EMPTY)).isEqualTo(ReplyOutcome.PUSHED);
        assertThat(got).containsExactly("first", "last");

        got.clear();
        s2.close();
        s1.close();
        assertThat(c.onReply(push(JSON_A), EMPTY)).isEqualTo(ReplyOutcome.PUSHED);
        assertThat(got).containsExactly("last");

        s3.close();
        assertThat(c.onReply(push(JSON_A), EMPTY)).isEqualTo(ReplyOutcome.UNKNOWN);
    }

    @Test
    void register_perEndpointLimit_stillHoldsAfterIdlePathsArePurged_K4() {
        Correlator c = Correlator.builder().maxPendingPerEndpoint(2).build();
        c.register(JSON_A, SECOND, 0);
        // Many endpoints come and go: their idle state is purged, the busy endpoint's must stay.
        for (int i = 0; i < 300; i++) {
            PendingRequest r = c.register(ResourcePath.of(APP, "dcx", "token" + i, "/json"), SECOND, 0);
            c.onReply(status(r), EMPTY);
        }
        assertThat(c.pathStateCount()).as("idle paths purged, busy ones kept").isBetween(1, 2 * 1 + 64);

        c.register(ResourcePath.of(APP, "dcx", TOKEN_A, "/protobuf/1"), SECOND, 0); // same K4 scope, new path
        assertThatThrownBy(() -> c.register(ResourcePath.of(APP, "dcx", TOKEN_A, "/protobuf/2"), SECOND, 0))
                .isInstanceOf(CorrelationException.class)
                .hasMessageContaining("2 requests pending for this endpoint scope");
        c.checkInvariants();
    }
}
