package io.kp1.extension.internal;

import io.kp1.client.Observation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One {@link Observation} over several (an observe request and a push subscription, K11): it
 * ends when any part ends, or when {@link #fail} is called (an error reply, D13), and ending it
 * cancels every part.
 */
public final class JoinedObservation implements Observation {
    private static final Logger LOG = LoggerFactory.getLogger(JoinedObservation.class);

    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final List<Observation> parts = new CopyOnWriteArrayList<>();

    /** Adds a part; if this observation has already ended, the part is cancelled at once. */
    public void attach(Observation part) {
        parts.add(part);
        part.ended().whenComplete((v, failure) -> {
            if (failure == null) {
                end();
            } else {
                fail(failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure);
            }
        });
        if (ended.isDone()) {
            cancelQuietly(part);
        }
    }

    /** Ends the observation with this reason; a no-op once ended. */
    public void fail(Throwable reason) {
        if (ended.completeExceptionally(reason)) {
            cancelParts();
        }
    }

    /** Whether the observation has ended. */
    public boolean isEnded() {
        return ended.isDone();
    }

    private void end() {
        if (ended.complete(null)) {
            cancelParts();
        }
    }

    private void cancelParts() {
        for (Observation p : parts) {
            cancelQuietly(p);
        }
    }

    private static void cancelQuietly(Observation p) {
        try {
            p.cancel();
        } catch (RuntimeException e) {
            LOG.debug("Cancelling a part of an observation failed", e);
        }
    }

    @Override
    public CompletableFuture<Void> ended() {
        return ended.copy(); // callers cannot complete ours
    }

    @Override
    public void cancel() {
        end();
    }
}
