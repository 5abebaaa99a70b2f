package io.kp1.server.internal;

import io.kp1.internal.Redaction;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A stand-in for a handler's exception whose messages had an endpoint token in them: the same
 * stack traces and cause chain, with the token redacted (D16), so that the failure can be
 * logged at WARN without leaking the token.
 *
 * <pre>{@code
 * log.warn("Handler failed", RedactedThrowable.of(e, request.endpointToken()));
 * }</pre>
 */
public final class RedactedThrowable extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSES = 16;

    private RedactedThrowable(String message, Throwable cause) {
        super(message, cause, false, true);
    }

    /**
     * {@code t} itself when no message in its cause chain contains {@code token}, otherwise a
     * copy of the chain with the token redacted in every message.
     */
    public static Throwable of(Throwable t, String token) {
        if (token == null || token.isEmpty() || !mentions(t, token)) {
            return t;
        }
        return copy(t, token, Redaction.token(token), new IdentityHashMap<>(), 0);
    }

    private static boolean mentions(Throwable t, String token) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable c = t; c != null && seen.put(c, Boolean.TRUE) == null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null && m.contains(token)) {
                return true;
            }
        }
        return false;
    }

    private static RedactedThrowable copy(Throwable t, String token, String redacted, Map<Throwable, Boolean> seen,
            int depth) {
        seen.put(t, Boolean.TRUE);
        String m = t.getMessage();
        String text = t.getClass().getName() + (m == null ? "" : ": " + m.replace(token, redacted));
        Throwable cause = t.getCause();
        RedactedThrowable redactedCause = cause != null && depth < MAX_CAUSES && !seen.containsKey(cause)
                ? copy(cause, token, redacted, seen, depth + 1) : null;
        RedactedThrowable r = new RedactedThrowable(text, redactedCause);
        r.setStackTrace(t.getStackTrace());
        return r;
    }
}
