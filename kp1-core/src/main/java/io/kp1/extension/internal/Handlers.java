package io.kp1.extension.internal;

import io.kp1.ErrorResponse;
import io.kp1.InvalidPayloadException;
import io.kp1.Reply;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.extension.PayloadLimits;
import io.kp1.server.Request;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Server side: the error mapping shared by the typed route handlers. A request that breaks its
 * schema answers 400 with the {@link InvalidPayloadException} message (which names the field); a
 * handler that throws or fails with {@link Kp1ErrorException} answers with its error; anything
 * else fails the stage, and the router answers 500 and logs the cause.
 */
public final class Handlers {
    private Handlers() {
    }

    /** A completed 400 reply for a malformed request. */
    public static CompletionStage<Reply> badRequest(InvalidPayloadException e) {
        return badRequest(e.getMessage());
    }

    /** A completed 400 reply with this reason (cut to the K7 limit). */
    public static CompletionStage<Reply> badRequest(String reason) {
        return CompletableFuture.completedFuture(Reply.error(400, cut(reason)));
    }

    /**
     * Reads the request payload with {@code reader} and hands it to {@code then}; a payload
     * that breaks its schema answers 400 naming the field, and {@code then} is not called.
     */
    public static <B> CompletionStage<Reply> withBody(Request req, PayloadLimits limits, PayloadReader<B> reader,
            BodyHandler<B> then) throws Exception {
        B body;
        try {
            body = reader.read(req.payload(), limits);
        } catch (InvalidPayloadException e) {
            return badRequest(e);
        }
        return then.handle(body);
    }

    /** A strict payload reader, such as {@code ConfigRequest::fromJson}. */
    @FunctionalInterface
    public interface PayloadReader<B> {
        /** @throws InvalidPayloadException naming the field */
        B read(byte[] payload, PayloadLimits limits);
    }

    /** What a route does with a request payload that has been read. */
    @FunctionalInterface
    public interface BodyHandler<B> {
        CompletionStage<Reply> handle(B body) throws Exception;
    }

    /**
     * Calls a typed handler and turns its result into a reply.
     *
     * @param what    the handler method, for the message when it returns a null stage or value
     * @param call    the call to the typed handler
     * @param toReply builds the success reply; an exception there (a value that cannot be
     *                written) fails the stage, hence a 500
     */
    public static <T> CompletionStage<Reply> call(String what, Callable<? extends CompletionStage<T>> call,
            Function<? super T, Reply> toReply) throws Exception {
        return invoke(what, call, value -> {
            if (value == null) {
                throw new IllegalStateException(what + " completed with null");
            }
            return toReply.apply(value);
        });
    }

    /** Like {@link #call} for a handler whose stage completes with nothing ({@code Void}). */
    public static CompletionStage<Reply> callVoid(String what, Callable<? extends CompletionStage<Void>> call,
            Reply success) throws Exception {
        return invoke(what, call, nothing -> success);
    }

    private static <T> CompletionStage<Reply> invoke(String what, Callable<? extends CompletionStage<T>> call,
            Function<? super T, Reply> onValue) throws Exception {
        CompletionStage<T> stage;
        try {
            stage = call.call();
        } catch (Kp1ErrorException e) {
            return CompletableFuture.completedFuture(Reply.error(e.error()));
        }
        if (stage == null) {
            throw new IllegalStateException(what + " returned a null stage");
        }
        return stage.handle((value, failure) -> {
            if (failure == null) {
                return onValue.apply(value);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof Kp1ErrorException) {
                return Reply.error(((Kp1ErrorException) cause).error());
            }
            throw failure instanceof CompletionException ? (CompletionException) failure
                    : new CompletionException(failure);
        });
    }

    /** A reason phrase cut to the length {@link ErrorResponse#of} accepts. */
    public static String cut(String reason) {
        if (reason.length() <= ErrorResponse.MAX_REASON_LENGTH) {
            return reason;
        }
        int cut = ErrorResponse.MAX_REASON_LENGTH - 3;
        if (Character.isHighSurrogate(reason.charAt(cut - 1))) {
            cut--;
        }
        return reason.substring(0, cut) + "...";
    }
}
