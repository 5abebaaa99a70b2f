package io.kp1.correlation;

import io.kp1.ResourcePath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.kp1.correlation.Fixtures.EMPTY;
import static io.kp1.correlation.Fixtures.JSON_A;
import static io.kp1.correlation.Fixtures.SECOND;
import static io.kp1.correlation.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The builder's settings at the edges of their ranges: the last good value builds a working
 * correlator, the first bad one is refused with a message naming the setting, the range and
 * the value. Also the small outcome and exception accessors a binding reads.
 */
class CorrelatorBuilderTest {
    @BeforeAll
    static void quiet() {
        Fixtures.quietLogs();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 64})
    void initialCapacity_inRange_buildsWorkingCorrelator(int capacity) {
        Correlator c = Correlator.builder().initialCapacity(capacity).build();

        PendingRequest r = c.register(JSON_A, SECOND, 0);
        assertThat(c.onReply(status(r), EMPTY)).isEqualTo(ReplyOutcome.COMPLETED);
        c.checkInvariants();
    }

    @Test
    void initialCapacity_largestAllowed_accepted() {
        // Not built: a table of 2^29 slots would need gigabytes.
        assertThat(Correlator.builder().initialCapacity(1 << 29)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, (1 << 29) + 1, Integer.MAX_VALUE})
    void initialCapacity_outOfRange_refusedNamingRangeAndValue(int capacity) {
        assertThatThrownBy(() -> Correlator.builder().initialCapacity(capacity))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialCapacity must be 1..2^29: " + capacity);
    }

    @Test
    void recentlyEndedCapacity_zero_acceptedAndEveryUnmatchedReplyIsUnknown_D15() {
        Correlator c = Correlator.builder().recentlyEndedCapacity(0).build();
        PendingRequest r = c.register(JSON_A, SECOND, 0);
        r.cancel(false);

        assertThat(c.onReply(status(r), EMPTY)).isEqualTo(ReplyOutcome.UNKNOWN);
    }

    @Test
    void recentlyEndedCapacity_negative_refusedNamingValue() {
        assertThatThrownBy(() -> Correlator.builder().recentlyEndedCapacity(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("recentlyEndedCapacity must be >= 0: -1");
    }

    @Test
    void firstRequestId_pastSmallIdSpace_refusedAtBuild_D1() {
        assertThatThrownBy(() -> Correlator.builder().maxRequestIdForTesting(10).maxPending(9).firstRequestId(11).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("firstRequestId must be 1..10: 11");
    }

    @Test
    void firstRequestId_lastOfIdSpace_firstIdAllocated_D1() {
        Correlator c = Correlator.builder().maxRequestIdForTesting(10).maxPending(9).firstRequestId(10).build();

        assertThat(c.register(JSON_A, SECOND, 0).requestId()).isEqualTo(10);
        assertThat(c.register(JSON_A, SECOND, 0).requestId()).isEqualTo(1);
    }

    @Test
    void maxPending_equalToIdSpace_refusedAtBuildNamingIdCount() {
        assertThatThrownBy(() -> Correlator.builder().maxRequestIdForTesting(10).maxPending(10).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPending must be below the number of request IDs (10): 10");
    }

    @Test
    void maxPendingPerEndpoint_zero_refusedNamingValue() {
        assertThatThrownBy(() -> Correlator.builder().maxPendingPerEndpoint(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxPendingPerEndpoint must be >= 1: 0");
    }

    @Test
    void maxPendingPerEndpoint_twoScopesWithEqualHash_countedApart_K4() {
        // "Aa" and "BB" have the same polynomial hash, so the two scopes share a hash bucket.
        ResourcePath a = ResourcePath.of(Fixtures.APP, "dcx", "Aa", "/json");
        ResourcePath b = ResourcePath.of(Fixtures.APP, "dcx", "BB", "/json");
        assertThat(a.scopeHash()).isEqualTo(b.scopeHash());
        Correlator c = Correlator.builder().maxPendingPerEndpoint(1).build();

        c.register(a, SECOND, 0);
        c.register(b, SECOND, 0);

        assertThat(c.pending()).isEqualTo(2);
        assertThatThrownBy(() -> c.register(a, SECOND, 0)).isInstanceOfSatisfying(CorrelationException.class,
                e -> assertThat(e.reason()).isEqualTo(CorrelationException.Reason.LIMIT_REACHED));
    }

    @Test
    void isDropped_eachOutcome_onlyLateDuplicateAndUnknown_D15() {
        for (ReplyOutcome o : ReplyOutcome.values()) {
            boolean dropped = o == ReplyOutcome.LATE || o == ReplyOutcome.DUPLICATE || o == ReplyOutcome.UNKNOWN;
            assertThat(o.isDropped()).as(o.name()).isEqualTo(dropped);
        }
    }

    @Test
    void correlationException_timeout_carriesPathAndId_D14() {
        Correlator c = Correlator.builder().build();
        PendingRequest r = c.register(JSON_A, SECOND, 0);
        c.expire(SECOND);

        assertThatThrownBy(r::join).cause().isInstanceOfSatisfying(CorrelationException.class, e -> {
            assertThat(e.reason()).isEqualTo(CorrelationException.Reason.TIMEOUT);
            assertThat(e.path()).isEqualTo(JSON_A);
            assertThat(e.requestId()).isEqualTo(r.requestId());
        });
    }
}
