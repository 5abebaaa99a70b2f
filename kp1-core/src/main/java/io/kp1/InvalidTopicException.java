package io.kp1;

import io.kp1.internal.Redaction;

/**
 * A 1/KP topic, resource path or level that breaks a rule of {@code KP1.md}.
 *
 * <p>Carries a machine-readable {@link Reason}, the character index in the input where the
 * problem was found, and a message that quotes the input with the endpoint token redacted (D16)
 * and names the rule:
 *
 * <pre>{@code
 * try {
 *     Topic.parseRequest("kp1/app/dcx/JTjdbENzHh//json");
 * } catch (InvalidTopicException e) {
 *     e.reason();   // EMPTY_LEVEL
 *     e.index();    // 23
 *     e.getMessage(); // Invalid 1/KP topic "kp1/app/dcx/JT******Hh//json": empty level at index 23 (D3)
 * }
 * }</pre>
 *
 * <p>Instances made for wire input ({@link TopicParser#tryParseRequest(String)}) carry no stack
 * trace, so a flood of bad topics costs no stack walks.
 */
public final class InvalidTopicException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why a topic, path or level is invalid; each reason names the rule it enforces. */
    public enum Reason {
        /** D3: an empty level (leading, trailing or double slash). */
        EMPTY_LEVEL("D3", "empty level"),
        /** D4: an MQTT wildcard ({@code +} or {@code #}) in a topic name. */
        WILDCARD("D4", "wildcard character"),
        /** D4: U+0000 in a topic name. */
        NUL_CHARACTER("D4", "NUL character"),
        /** D4: a lone UTF-16 surrogate, which has no UTF-8 encoding. */
        MALFORMED_UNICODE("D4", "malformed Unicode (lone surrogate)"),
        /** D4: longer than 65,535 bytes encoded as UTF-8. */
        TOO_LONG("D4", "longer than 65535 UTF-8 bytes"),
        /** D5: the first level is not {@code kp1} and not {@code kp<digits>}. */
        NOT_KP1("D5", "not a 1/KP topic (first level must be \"kp1\")"),
        /** D5: the first level is {@code kp<digits>} other than {@code kp1}. */
        UNSUPPORTED_VERSION("D5", "unsupported protocol version"),
        /** K1: no application version level. */
        MISSING_APPLICATION_VERSION("K1", "missing application version level"),
        /** K1: no extension instance level. */
        MISSING_EXTENSION("K1", "missing extension instance level"),
        /** D7: an endpoint-aware extension without an endpoint token level. */
        MISSING_ENDPOINT_TOKEN("D7", "missing endpoint token level"),
        /** D1: a digits-only last level that is not a request ID in 1..2147483647. */
        INVALID_REQUEST_ID("D1", "invalid request ID"),
        /** K5, D6: a reply topic that ends in neither {@code /status} nor {@code /error}. */
        NOT_A_REPLY("K5", "reply topic must end in /status or /error"),
        /** D8: a level that contains the level separator {@code /}. */
        LEVEL_CONTAINS_SEPARATOR("D8", "level contains '/'"),
        /** D8: a digits-only last level without a request ID would parse back as a request ID. */
        AMBIGUOUS_LAST_LEVEL("D8", "digits-only last level would parse as a request ID"),
        /** D9: an HTTP path segment with bad percent-encoding or bytes that are not UTF-8. */
        BAD_PERCENT_ENCODING("D9", "bad percent-encoding"),
        /** D9: an HTTP path segment that decodes to contain {@code /}. */
        ENCODED_SLASH("D9", "segment decodes to contain '/'"),
        /** D9: an HTTP path segment that is {@code .} or {@code ..}. */
        DOT_SEGMENT("D9", "dot segment"),
        /** D10: an HTTP path that is not under {@code <base>/kp1/}. */
        NOT_UNDER_BASE("D10", "not under the base path");

        private final String rule;
        private final String description;

        Reason(String rule, String description) {
            this.rule = rule;
            this.description = description;
        }

        /** The rule of {@code KP1.md} this reason enforces, e.g. {@code "D3"}. */
        public String rule() {
            return rule;
        }

        /** A short human-readable description, e.g. {@code "empty level"}. */
        public String description() {
            return description;
        }
    }

    private final Reason reason;
    private final int index;
    private final String input;
    private final String what;
    private final String detail;
    private transient volatile String message;

    /**
     * Creates an exception.
     *
     * @param what   what was being read, e.g. {@code "1/KP topic"} or {@code "endpoint token"}
     * @param input  the offending input, quoted (redacted) in the message
     * @param reason the broken rule
     * @param index  the character index in {@code input} where the problem is, or -1
     * @param detail an optional extra sentence, may be null
     */
    public InvalidTopicException(String what, String input, Reason reason, int index, String detail) {
        this(what, input, reason, index, detail, true);
    }

    InvalidTopicException(String what, String input, Reason reason, int index, String detail,
                          boolean stackTrace) {
        super((String) null);
        if (stackTrace) {
            super.fillInStackTrace();
        }
        this.what = what;
        this.detail = detail;
        this.reason = reason;
        this.index = index;
        this.input = input;
    }

    private static String format(String what, String input, Reason reason, int index, String detail) {
        StringBuilder sb = new StringBuilder(64 + Math.min(input.length(), Redaction.MAX_QUOTED));
        sb.append("Invalid ").append(what).append(" \"").append(Redaction.quote(what, input)).append("\": ")
                .append(reason.description());
        if (index >= 0) {
            sb.append(" at index ").append(index);
        }
        if (detail != null) {
            sb.append(", ").append(detail);
        }
        return sb.append(" (").append(reason.rule()).append(')').toString();
    }

    /** Captures nothing by itself: the constructor captures the stack trace when one is wanted. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** The message, formatted on first use so that wire input that is only counted costs no formatting. */
    @Override
    public String getMessage() {
        String m = message;
        if (m == null) {
            m = format(what, input, reason, index, detail);
            message = m;
        }
        return m;
    }

    /** The machine-readable reason. */
    public Reason reason() {
        return reason;
    }

    /** The rule of {@code KP1.md} that was broken, e.g. {@code "D3"}. */
    public String rule() {
        return reason.rule();
    }

    /** The character index in {@link #input()} where the problem was found, or -1 if none applies. */
    public int index() {
        return index;
    }

    /** The offending input exactly as given (it may contain an endpoint token: do not log it). */
    public String input() {
        return input;
    }

    /** What was being read, e.g. {@code "1/KP topic"}. */
    public String what() {
        return what;
    }

    /** The same problem as an exception with a stack trace captured here, for rethrowing to a caller. */
    InvalidTopicException withStackTrace() {
        return new InvalidTopicException(what, input, reason, index, detail, true);
    }
}
