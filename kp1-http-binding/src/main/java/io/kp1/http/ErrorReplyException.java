package io.kp1.http;

import io.kp1.Reply;

import java.util.Objects;

/**
 * The failure of a fire-and-forget {@link io.kp1.client.Endpoint#send send} over HTTP: the
 * server answered with an error status, here as the decoded error {@link Reply} (K7).
 * {@link io.kp1.client.Endpoint#request request} never fails this way: it completes with the
 * error reply instead.
 *
 * <pre>{@code
 * endpoint.send("dcx", "/json", samples).exceptionally(t -> {
 *     if (t.getCause() instanceof ErrorReplyException) {
 *         int status = ((ErrorReplyException) t.getCause()).reply().statusCode();   // e.g. 404
 *     }
 *     return null;
 * });
 * }</pre>
 */
public final class ErrorReplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Reply reply;

    /** An exception for this error reply. */
    public ErrorReplyException(Reply reply) {
        super(message(reply));
        this.reply = reply;
    }

    private static String message(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        if (reply.isSuccess()) {
            throw new IllegalArgumentException("Not an error reply: " + reply);
        }
        return "Error reply " + reply.error().statusCode() + ": " + reply.error().reasonPhrase();
    }

    /** The error reply. */
    public Reply reply() {
        return reply;
    }
}
