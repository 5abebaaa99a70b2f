package io.kp1.client;

import java.util.concurrent.CompletableFuture;

/**
 * A running observation or push subscription (K11). It ends on an error reply, on
 * {@link #cancel()}, or on connection loss (D13); {@link #ended()} tells which.
 *
 * <pre>{@code
 * try (Observation o = endpoint.observe("cmx", "/config/json", body, reply -> apply(reply))) {
 *     o.ended().join();    // normally: until an /error arrives or the connection drops
 * }                        // close() cancels
 * }</pre>
 */
public interface Observation extends AutoCloseable {
    /**
     * Completes normally when the observation is cancelled, exceptionally with the reason when it
     * ended otherwise (an error reply, a lost connection).
     */
    CompletableFuture<Void> ended();

    /** Ends the observation; later replies on its topic are dropped (D15). Idempotent. */
    void cancel();

    /** Same as {@link #cancel()}. */
    @Override
    default void close() {
        cancel();
    }
}
