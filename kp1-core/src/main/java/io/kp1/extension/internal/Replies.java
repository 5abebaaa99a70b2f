package io.kp1.extension.internal;

import io.kp1.ErrorResponse;
import io.kp1.Reply;
import io.kp1.extension.Kp1ErrorException;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** Client side: from a {@link Reply} future to a typed one. */
public final class Replies {
    private Replies() {
    }

    /**
     * Completes with {@code onSuccess} applied to a success reply; exceptionally with a
     * {@link Kp1ErrorException} for an error reply (K7), and with the {@link io.kp1.InvalidPayloadException}
     * that {@code onSuccess} throws for a payload that breaks the schema.
     */
    public static <T> CompletableFuture<T> map(CompletableFuture<Reply> reply, String extension, String resource,
            Function<Reply, T> onSuccess) {
        return reply.thenApply(r -> {
            if (!r.isSuccess()) {
                throw new Kp1ErrorException(r.error(), extension, resource);
            }
            return onSuccess.apply(r);
        });
    }

    /** {@link #map} for a reply whose success payload is ignored (2/DCP, 10/EPMP updates, 7/CMP applied). */
    public static CompletableFuture<Void> ignorePayload(CompletableFuture<Reply> reply, String extension,
            String resource) {
        return map(reply, extension, resource, r -> null);
    }

    /** The error of a reply as an exception. */
    public static Kp1ErrorException error(Reply reply, String extension, String resource) {
        return new Kp1ErrorException(reply.error(), extension, resource);
    }

    /** Reads a success payload in the K7 format, as 11/CEP result replies may carry. */
    public static ErrorResponse statusPayload(byte[] payload) {
        return ErrorResponse.fromJson(payload);
    }
}
