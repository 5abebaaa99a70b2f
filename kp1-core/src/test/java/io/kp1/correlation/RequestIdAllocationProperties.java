package io.kp1.correlation;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.kp1.correlation.Fixtures.JSON_A;
import static io.kp1.correlation.Fixtures.JSON_B;
import static io.kp1.correlation.Fixtures.SECOND;
import static io.kp1.correlation.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;

/** K4: allocation never yields an ID in use, including across the wrap-around. */
class RequestIdAllocationProperties {
    @BeforeContainer
    static void quiet() {
        Fixtures.quietLogs();
    }

    /**
     * In a small ID space (so the counter wraps many times), random registrations and endings:
     * each new ID is the next one after the previous allocation, in cyclic order, that is not in
     * use; none is ever in use. (With at most 32 IDs, every ID has its own slot in the table, so
     * the counter skips exactly the IDs in use.)
     *
     * @param ops a non-negative value registers (odd: an observation), a negative one ends the
     *            pending request at {@code -op % pending} by reply, cancellation or timeout
     */
    @Property(tries = 500)
    void allocate_smallIdSpace_neverAnIdInUseAndNextFreeInCyclicOrder_K4(
            @ForAll @IntRange(min = 2, max = 32) int idSpace,
            @ForAll @IntRange(min = 0, max = 1000) int firstSeed,
            @ForAll @IntRange(min = 0, max = 1000) int maxPendingSeed,
            @ForAll @Size(max = 300) List<@IntRange(min = -1000, max = 1000) Integer> ops) {
        int first = 1 + firstSeed % idSpace;
        int maxPending = 1 + maxPendingSeed % (idSpace - 1);
        Correlator c = Correlator.builder().maxRequestIdForTesting(idSpace).firstRequestId(first)
                .maxPending(maxPending).maxPendingPerEndpoint(maxPending).build();
        List<PendingRequest> live = new ArrayList<>();
        Set<Integer> inUse = new HashSet<>();
        int last = first == 1 ? idSpace : first - 1; // the ID "before" the first one
        long now = 0;
        for (int op : ops) {
            now++;
            if (op >= 0 && live.size() < maxPending) {
                PendingRequest r = op % 2 == 0 ? c.register(op % 3 == 0 ? JSON_A : JSON_B, SECOND, now)
                        : c.observe(JSON_A, 0, now, x -> { });
                int expected = last;
                do {
                    expected = expected == idSpace ? 1 : expected + 1;
                } while (inUse.contains(expected));
                assertThat(r.requestId()).as("ID after %s with %s in use", last, inUse).isEqualTo(expected);
                assertThat(inUse.add(r.requestId())).isTrue();
                live.add(r);
                last = r.requestId();
            } else if (op < 0 && !live.isEmpty()) {
                PendingRequest r = live.remove(-op % live.size());
                switch (-op % 3) {
                    case 0:
                        c.onReply(r.isObservation() ? Fixtures.error(r) : status(r), Fixtures.EMPTY);
                        break;
                    case 1:
                        r.cancel(false);
                        break;
                    default:
                        if (!r.isObservation()) {
                            r.completeExceptionally(new IllegalStateException("gave up"));
                        } else {
                            r.cancel(true);
                        }
                }
                assertThat(r).isDone();
                inUse.remove(r.requestId());
            }
            assertThat(c.pending()).isEqualTo(inUse.size());
        }
        c.checkInvariants();
    }

    /**
     * A larger ID space, where IDs share table slots: each new ID is not in use, in range, and the
     * counter only moves forward (cyclically) past IDs it had to skip.
     */
    @Property(tries = 200)
    void allocate_largerIdSpace_neverAnIdInUse_K4(
            @ForAll @IntRange(min = 33, max = 3_000) int idSpace,
            @ForAll @IntRange(min = 0, max = 10_000) int firstSeed,
            @ForAll @Size(max = 1_000) List<@IntRange(min = -1000, max = 1000) Integer> ops) {
        int maxPending = Math.min(idSpace - 1, 200);
        Correlator c = Correlator.builder().maxRequestIdForTesting(idSpace).firstRequestId(1 + firstSeed % idSpace)
                .maxPending(maxPending).maxPendingPerEndpoint(maxPending).build();
        List<PendingRequest> live = new ArrayList<>();
        Set<Integer> inUse = new HashSet<>();
        for (int op : ops) {
            if (op >= 0 && live.size() < maxPending) {
                PendingRequest r = c.register(op % 2 == 0 ? JSON_A : JSON_B, SECOND, 0);
                assertThat(r.requestId()).isBetween(1, idSpace);
                assertThat(inUse.add(r.requestId())).as("ID %s handed out while in use", r.requestId()).isTrue();
                live.add(r);
            } else if (op < 0 && !live.isEmpty()) {
                PendingRequest r = live.remove(-op % live.size());
                c.onReply(status(r), Fixtures.EMPTY);
                inUse.remove(r.requestId());
            }
        }
        c.checkInvariants();
    }

    /** The real ID space: starting just below 2^31-1, IDs wrap to 1, never 0 or negative (D1, K4). */
    @Property(tries = 100)
    void allocate_nearMaxRequestId_wrapsToOneAndSkipsPending_K4(
            @ForAll @IntRange(min = 0, max = 20) int below,
            @ForAll @IntRange(min = 1, max = 60) int count,
            @ForAll @IntRange(min = 1, max = 5) int keepEvery) {
        Correlator c = Correlator.builder().firstRequestId(Correlator.MAX_REQUEST_ID - below).build();
        Set<Integer> pending = new HashSet<>();
        List<Integer> allocated = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PendingRequest r = c.register(JSON_A, SECOND, 0);
            assertThat(r.requestId()).isBetween(1, Correlator.MAX_REQUEST_ID);
            assertThat(pending).doesNotContain(r.requestId());
            allocated.add(r.requestId());
            if (i % keepEvery == 0) {
                pending.add(r.requestId());
            } else {
                r.cancel(false);
            }
        }
        if (count > below + 1) {
            assertThat(allocated.subList(below, below + 2)).containsExactly(Correlator.MAX_REQUEST_ID, 1);
        }
        c.checkInvariants();
    }
}
