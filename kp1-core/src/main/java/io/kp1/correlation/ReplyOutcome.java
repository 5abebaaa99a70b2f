package io.kp1.correlation;

/**
 * What {@link Correlator#onReply} did with an incoming reply, for the binding's metrics.
 *
 * <pre>{@code
 * ReplyOutcome o = correlator.onReply(topic, payload);
 * if (o.isDropped()) { droppedReplies.increment(); }   // late, duplicate or unknown (D15)
 * }</pre>
 */
public enum ReplyOutcome {
    /** Completed a pending request (D12: the whole request topic matched). */
    COMPLETED,
    /** Went to an observation's listener; the observation stays open (K11). */
    OBSERVED,
    /** An {@code /error} reply went to an observation's listener and ended it (D13). */
    OBSERVATION_ENDED,
    /** A push without request ID went to the listeners of its resource (K11). */
    PUSHED,
    /** For a request that recently ended by timeout, cancellation or connection loss; dropped (D15). */
    LATE,
    /** For a request that recently ended by a reply; dropped (D15). */
    DUPLICATE,
    /**
     * Matches no pending or recently ended request (for example another endpoint's topic with
     * the same ID, D12), or a push nobody listens to; dropped (D15).
     */
    UNKNOWN;

    /** Whether the reply was counted, logged at debug and dropped (D15). */
    public boolean isDropped() {
        return this == LATE || this == DUPLICATE || this == UNKNOWN;
    }
}
