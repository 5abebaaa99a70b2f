package io.kp1.correlation;

import io.kp1.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.kp1.correlation.Fixtures.EMPTY;
import static io.kp1.correlation.Fixtures.JSON_A;
import static io.kp1.correlation.Fixtures.SECOND;
import static io.kp1.correlation.Fixtures.TOKEN_A;
import static io.kp1.correlation.Fixtures.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link java.util.concurrent.CompletableFuture} methods a caller may use on a pending
 * request (D14): each returns what {@code CompletableFuture} returns, gives the future its value
 * or failure, and takes the request out of the correlator so that a reply arriving later is
 * counted as late (D15). Also the redacted {@code toString} (D16) in each state.
 */
class PendingRequestTest {
    private final Correlator correlator = Correlator.builder().build();

    @BeforeAll
    static void quiet() {
        Fixtures.quietLogs();
    }

    private PendingRequest pending() {
        return correlator.register(JSON_A, SECOND, 0);
    }

    /** The request left the correlator: no longer pending, and a reply to it is late (D15). */
    private void assertEnded(PendingRequest r) {
        assertThat(r.isPending()).isFalse();
        assertThat(correlator.pending()).isZero();
        assertThat(correlator.onReply(status(r), EMPTY)).isEqualTo(ReplyOutcome.LATE);
    }

    @Test
    void complete_pending_returnsTrueCompletesAndEndsRequest_D14() {
        PendingRequest r = pending();
        Reply value = Reply.ok("{}");

        assertThat(r.complete(value)).isTrue();

        assertThat(r.join()).isSameAs(value);
        assertEnded(r);
        assertThat(correlator.stats().cancelled()).isEqualTo(1);
    }

    @Test
    void complete_alreadyDone_returnsFalseKeepsFirstValue_D14() {
        PendingRequest r = pending();
        Reply first = Reply.ok("{}");
        r.complete(first);

        assertThat(r.complete(Reply.ok())).isFalse();

        assertThat(r.join()).isSameAs(first);
        assertThat(correlator.stats().cancelled()).isEqualTo(1);
    }

    @Test
    void completeExceptionally_pending_returnsTrueFailsAndEndsRequest_D14() {
        PendingRequest r = pending();
        IllegalStateException cause = new IllegalStateException("gave up");

        assertThat(r.completeExceptionally(cause)).isTrue();

        assertThatThrownBy(r::join).hasCause(cause);
        assertEnded(r);
    }

    @Test
    void completeExceptionally_alreadyDone_returnsFalseKeepsValue_D14() {
        PendingRequest r = pending();
        Reply value = Reply.ok();
        r.complete(value);

        assertThat(r.completeExceptionally(new IllegalStateException())).isFalse();

        assertThat(r.join()).isSameAs(value);
    }

    @Test
    void orTimeout_elapsed_failsAndEndsRequest_D14() {
        PendingRequest r = pending();

        r.orTimeout(1, TimeUnit.MILLISECONDS);

        assertThatThrownBy(r::join).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        assertEnded(r);
    }

    @Test
    void completeAsync_suppliedValue_completesWithItAndEndsRequest_D14() {
        PendingRequest r = pending();
        Reply value = Reply.ok("{\"a\":1}");

        CompletableFuture<Reply> same = r.completeAsync(() -> value, Runnable::run);

        assertThat(same).isSameAs(r);
        assertThat(r.join()).isSameAs(value);
        assertEnded(r);
    }

    @Test
    void completeAsync_nullSupplier_throwsNamingIt() {
        PendingRequest r = pending();

        assertThatThrownBy(() -> r.completeAsync(null, Runnable::run))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("supplier");
        assertThat(r.isPending()).isTrue();
    }

    @Test
    void obtrudeValue_pending_setsValueAndEndsRequest_D14() {
        PendingRequest r = pending();
        Reply value = Reply.ok();

        r.obtrudeValue(value);

        assertThat(r.join()).isSameAs(value);
        assertEnded(r);
    }

    @Test
    void obtrudeValue_afterFailure_replacesFailure() {
        PendingRequest r = pending();
        r.completeExceptionally(new IllegalStateException());
        Reply value = Reply.ok();

        r.obtrudeValue(value);

        assertThat(r.join()).isSameAs(value);
    }

    @Test
    void obtrudeException_pending_setsFailureAndEndsRequest_D14() {
        PendingRequest r = pending();
        IllegalStateException cause = new IllegalStateException("forced");

        r.obtrudeException(cause);

        assertThatThrownBy(r::join).hasCause(cause);
        assertEnded(r);
    }

    @Test
    void obtrudeException_afterValue_replacesValue() {
        PendingRequest r = pending();
        r.complete(Reply.ok());
        IllegalStateException cause = new IllegalStateException("forced");

        r.obtrudeException(cause);

        assertThat(r.isCompletedExceptionally()).isTrue();
        assertThatThrownBy(r::join).hasCause(cause);
    }

    @Test
    void cancel_pending_returnsTrueAndEndsRequest_D14() {
        PendingRequest r = pending();

        assertThat(r.cancel(false)).isTrue();

        assertThat(r.isCancelled()).isTrue();
        assertEnded(r);
    }

    @Test
    void toString_eachState_namesStateAndRedactsToken_D16() {
        PendingRequest pending = pending();
        PendingRequest replied = pending();
        PendingRequest failed = pending();
        PendingRequest cancelled = pending();
        correlator.onReply(status(replied), EMPTY);
        failed.completeExceptionally(new IllegalStateException());
        cancelled.cancel(false);

        assertThat(pending.toString()).isEqualTo("PendingRequest[" + JSON_A + "/" + pending.requestId() + ", pending]");
        assertThat(replied.toString()).endsWith(", replied]");
        assertThat(failed.toString()).endsWith(", failed]");
        assertThat(cancelled.toString()).endsWith(", cancelled]");
        for (PendingRequest r : new PendingRequest[] {pending, replied, failed, cancelled}) {
            assertThat(r.toString()).startsWith("PendingRequest[").doesNotContain(TOKEN_A);
        }
    }

    @Test
    void toString_observation_saysObservationAndRedactsToken_D16() {
        PendingRequest o = correlator.observe(JSON_A, 0, 0, reply -> { });

        assertThat(o.toString()).isEqualTo("Observation[" + JSON_A + "/" + o.requestId() + ", pending]")
                .doesNotContain(TOKEN_A);
    }
}
