package io.kp1.correlation;

import io.kp1.ResourcePath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.kp1.correlation.Fixtures.APP;
import static io.kp1.correlation.Fixtures.EMPTY;
import static io.kp1.correlation.Fixtures.JSON_A;
import static io.kp1.correlation.Fixtures.JSON_B;
import static io.kp1.correlation.Fixtures.REBOOT_A;
import static io.kp1.correlation.Fixtures.SECOND;
import static io.kp1.correlation.Fixtures.TOKEN_A;
import static io.kp1.correlation.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resource limits of the {@link Correlator} (issue 7, "Bad input"): requests in flight in all
 * ({@code maxPending}), per K4 endpoint scope ({@code maxPendingPerEndpoint}, which observations
 * count against too), and flat memory: 100 times the limit of refused or ended registrations
 * leave the retained state (pending table, path and scope states, deadline queues) where it was.
 * Structural assertions only, no heap measurement, so nothing here can flake.
 */
class CorrelatorLimitsTest {
    private static final int LIMIT = 50;

    @BeforeAll
    static void quiet() {
        Fixtures.quietLogs();
    }

    @Test
    void register_100TimesPastMaxPending_everyOneRefusedLimitReached_stateFlat() {
        Correlator c = Correlator.builder().maxPending(LIMIT).build();
        for (int i = 0; i < LIMIT; i++) {
            c.register(path(i), SECOND, 0);
        }
        int paths = c.pathStateCount();
        int queues = c.deadlineQueueCount();

        for (int i = 0; i < 100 * LIMIT; i++) {
            ResourcePath p = path(LIMIT + i);
            assertThatThrownBy(() -> c.register(p, SECOND, 0))
                    .isInstanceOfSatisfying(CorrelationException.class,
                            e -> assertThat(e.reason()).isEqualTo(CorrelationException.Reason.LIMIT_REACHED))
                    .hasMessageContaining("the limit (maxPending)");
        }

        assertThat(c.pending()).isEqualTo(LIMIT);
        assertThat(c.stats().rejected()).isEqualTo(100L * LIMIT);
        assertThat(c.pathStateCount()).isEqualTo(paths);
        assertThat(c.deadlineQueueCount()).isEqualTo(queues);
        c.checkInvariants();
    }

    @Test
    void observe_pastMaxPendingPerEndpoint_observationsCountAgainstTheEndpointLimit_K4_K11() {
        Correlator c = Correlator.builder().maxPendingPerEndpoint(LIMIT).build();
        List<PendingRequest> observations = new ArrayList<>();
        for (int i = 0; i < LIMIT; i++) {
            observations.add(c.observe(REBOOT_A, 0, 0, r -> { }));
        }

        for (int i = 0; i < 100 * LIMIT; i++) {
            assertThatThrownBy(() -> c.observe(REBOOT_A, 0, 0, r -> { }))
                    .isInstanceOf(CorrelationException.class)
                    .hasMessageContaining(LIMIT + " requests pending for this endpoint scope, the limit (maxPendingPerEndpoint, K4)")
                    .hasMessageNotContaining(TOKEN_A);
        }
        // The same endpoint's requests to the same extension share the scope; other endpoints do not.
        assertThatThrownBy(() -> c.register(ResourcePath.of(APP, "cex", TOKEN_A, "/result/reboot"), SECOND, 0))
                .isInstanceOf(CorrelationException.class);
        c.register(ResourcePath.of(APP, "cex", "A8mQ2vLx0p", "/command/reboot"), SECOND, 0);

        assertThat(c.stats().pendingObservations()).isEqualTo(LIMIT);
        assertThat(c.stats().rejected()).isEqualTo(100L * LIMIT + 1);
        observations.get(0).cancel(false);
        c.observe(REBOOT_A, 0, 0, r -> { }); // a cancelled observation frees its place (D13)
        c.checkInvariants();
    }

    @Test
    void register_100TimesTheLimitOfDistinctPathsEnded_pathStatesAndDeadlineQueuesStayBounded() {
        Correlator c = Correlator.builder().maxPending(LIMIT).build();
        long now = 0;
        for (int round = 0; round < 100; round++) {
            List<PendingRequest> batch = new ArrayList<>();
            for (int i = 0; i < LIMIT; i++) {
                // Distinct paths and distinct timeouts: the worst case for the per-path and per-timeout state.
                batch.add(c.register(path(round * LIMIT + i), SECOND + i, now));
            }
            for (int i = 0; i < LIMIT; i += 2) {
                c.onReply(status(batch.get(i)), EMPTY);
            }
            now += 2 * SECOND + LIMIT;
            c.expire(now); // the other half times out
            assertThat(c.pending()).isZero();
            // Idle path states are a cache purged once they outnumber twice the busy ones plus 64.
            assertThat(c.pathStateCount()).isLessThanOrEqualTo(2 * LIMIT + 64 + LIMIT);
            assertThat(c.deadlineQueueCount()).isLessThanOrEqualTo(LIMIT);
        }
        Correlator.Stats s = c.stats();
        assertThat(s.registered()).isEqualTo(100L * LIMIT);
        assertThat(s.ended()).isEqualTo(100L * LIMIT);
        c.checkInvariants();
    }

    @Test
    void onReply_100TimesTheLimitOfUnknownAndLateReplies_onlyCounted_stateFlat_D15() {
        Correlator c = Correlator.builder().maxPending(LIMIT).build();
        PendingRequest r = c.register(JSON_A, SECOND, 0);
        c.onReply(status(r), EMPTY);
        int paths = c.pathStateCount();

        for (int i = 0; i < 100 * LIMIT; i++) {
            c.onReply(status(JSON_B, 1 + i), EMPTY);   // unknown
            c.onReply(status(r), EMPTY);              // duplicate of an ended request
        }

        Correlator.Stats s = c.stats();
        assertThat(s.pending()).isZero();
        assertThat(s.unknown() + s.late() + s.duplicate()).isEqualTo(2L * 100 * LIMIT);
        assertThat(c.pathStateCount()).isEqualTo(paths);
        c.checkInvariants();
    }

    private static ResourcePath path(int i) {
        return ResourcePath.of(APP, "dcx", "tok" + (i % 7), "/json/s" + i);
    }
}
