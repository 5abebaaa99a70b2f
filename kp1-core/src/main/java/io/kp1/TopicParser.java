package io.kp1;

import io.kp1.InvalidTopicException.Reason;
import io.kp1.internal.Levels;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Reads 1/KP MQTT topic names. Immutable and thread-safe once built.
 *
 * <p>Requests (server side) and replies (client side) are parsed by different methods (D6): a
 * request may legally end in a resource level named {@code status}, while a reply parse strips
 * the {@code /status} or {@code /error} suffix first.
 *
 * <p>Limits: a topic is at most 65,535 UTF-8 bytes ({@code TOO_LONG}, D4). There is no separate
 * limit on the number of levels: D4 bounds it to 32,768 (one-character levels), and parsing is
 * one pass, linear in the length.
 *
 * <table>
 *   <caption>How the last level is read (D1, D7)</caption>
 *   <tr><th>input</th><th>{@code parseRequest}</th></tr>
 *   <tr><td>{@code kp1/app/dcx/tok/json/42}</td><td>resource {@code /json}, ID 42</td></tr>
 *   <tr><td>{@code kp1/app/dcx/tok/json/042}</td><td>resource {@code /json}, ID 42 (name kept as is, D2)</td></tr>
 *   <tr><td>{@code kp1/app/dcx/tok/json/0}</td><td>{@code INVALID_REQUEST_ID}, or ID 0 when accepted (D1b)</td></tr>
 *   <tr><td>{@code kp1/app/dcx/tok/json/2147483648}</td><td>{@code INVALID_REQUEST_ID}</td></tr>
 *   <tr><td>{@code kp1/app/dcx/42}</td><td>{@code MISSING_ENDPOINT_TOKEN}</td></tr>
 *   <tr><td>{@code kp1/app/dcx/tok/status}</td><td>resource {@code /status}, no ID</td></tr>
 * </table>
 *
 * <pre>{@code
 * TopicParser parser = TopicParser.builder()
 *         .endpointUnaware("registry")      // D7: no token level for this extension instance
 *         .acceptRequestIdZero(true)        // D1b: fleets that count from 0
 *         .build();
 * Topic t = parser.parseRequest("kp1/app/dcx/tok/json/0");   // request ID 0
 *
 * // Wire input: never throws, no stack trace per bad topic.
 * ParseResult r = parser.tryParseRequest(incomingTopic);
 * if (!r.isValid()) { reply400(r.error()); }
 * }</pre>
 */
public final class TopicParser {
    private static final TopicParser DEFAULTS = new TopicParser(new String[0], false);
    private static final String WHAT = "1/KP topic";
    /** The longest topic (in chars) that cannot exceed 65,535 UTF-8 bytes: 3 bytes a char at most (D4). */
    private static final int FAST_MAX_CHARS = Levels.MAX_TOPIC_BYTES / 3;
    private static final int NOT_DIGITS = -2;

    private final String[] endpointUnaware;
    private final boolean acceptRequestIdZero;

    private TopicParser(String[] endpointUnaware, boolean acceptRequestIdZero) {
        this.endpointUnaware = endpointUnaware;
        this.acceptRequestIdZero = acceptRequestIdZero;
    }

    /** The parser with default settings: every extension endpoint-aware, request ID 0 refused. */
    public static TopicParser defaults() {
        return DEFAULTS;
    }

    /** A builder for a parser with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether paths of this extension instance have an endpoint token level (D7). */
    public boolean isEndpointAware(String extension) {
        for (String e : endpointUnaware) {
            if (e.equals(extension)) {
                return false;
            }
        }
        return true;
    }

    /** Whether request ID 0 is accepted (D1b). */
    public boolean acceptsRequestIdZero() {
        return acceptRequestIdZero;
    }

    /**
     * Parses a request topic (server side). The result's kind is {@link Topic.Kind#REQUEST}.
     *
     * @throws InvalidTopicException with the broken rule, for input given by a caller
     */
    public Topic parseRequest(String topic) {
        return orThrow(parse(topic, false));
    }

    /**
     * Parses a reply topic (client side): {@code <request topic>/status} or {@code /error}.
     *
     * @throws InvalidTopicException with the broken rule; {@code NOT_A_REPLY} without a suffix
     */
    public Topic parseReply(String topic) {
        return orThrow(parse(topic, true));
    }

    /** Parses a request topic from the wire: never throws for bad input, captures no stack trace. */
    public ParseResult tryParseRequest(String topic) {
        return ParseResult.of(parse(topic, false));
    }

    /** Parses a reply topic from the wire: never throws for bad input, captures no stack trace. */
    public ParseResult tryParseReply(String topic) {
        return ParseResult.of(parse(topic, true));
    }

    private static Topic orThrow(Object parsed) {
        if (parsed instanceof Topic) {
            return (Topic) parsed;
        }
        throw ((InvalidTopicException) parsed).withStackTrace();
    }

    private static InvalidTopicException invalid(String input, Reason reason, int index, String detail) {
        return new InvalidTopicException(WHAT, input, reason, index, detail, false);
    }

    /**
     * Returns a {@link Topic} or a stackless {@link InvalidTopicException}.
     *
     * <p>The fast path makes one pass over the characters with a single comparison for most of
     * them (letters, digits and {@code _} are all above {@code '/'}), and gives up at the first
     * character that could break a rule: {@code +}, {@code #}, U+0000, an empty level or any
     * surrogate. {@link #parseChecked} then reads the topic again with every check, so error
     * reasons and indices come from one place. Topics of at most 21,845 chars cannot exceed
     * 65,535 UTF-8 bytes (3 bytes a char at most), so the fast path counts no bytes (D4).
     */
    private Object parse(String s, boolean reply) {
        Objects.requireNonNull(s, "topic must not be null");
        int len = s.length();
        if (len > FAST_MAX_CHARS || len < 4 || s.charAt(0) != 'k' || s.charAt(1) != 'p' || s.charAt(2) != '1'
                || s.charAt(3) != '/') {
            return parseChecked(s, reply); // D4, D5
        }
        int s2 = -1;
        int s3 = -1;
        int s4 = -1;
        int z1 = 3; // last slash
        int z2 = -1; // the one before
        int z3 = -1; // and the one before that
        for (int i = 4; i < len; i++) {
            char c = s.charAt(i);
            if (c <= '/') {
                if (c == '/') {
                    if (i == z1 + 1) {
                        return parseChecked(s, reply); // empty level (D3)
                    }
                    if (s4 < 0) {
                        if (s2 < 0) {
                            s2 = i;
                        } else if (s3 < 0) {
                            s3 = i;
                        } else {
                            s4 = i;
                        }
                    }
                    z3 = z2;
                    z2 = z1;
                    z1 = i;
                } else if (c == '+' || c == '#' || c == 0) {
                    return parseChecked(s, reply); // D4
                }
            } else if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                return parseChecked(s, reply); // paired or not: the checking loop decides (D4)
            }
        }
        if (z1 == len - 1) {
            return parseChecked(s, reply); // trailing slash (D3)
        }
        return levels(s, reply, s2, s3, s4, z1, z2, z3);
    }

    /**
     * Parses with every check of D3, D4 and D5, in input order; the reference for error reasons.
     * Package-private so that a property can hold the fast path to it.
     */
    Object parseChecked(String s, boolean reply) {
        int len = s.length();
        // D5: the version level decides whether any other rule applies.
        if (!s.startsWith("kp1/")) {
            return versionError(s);
        }
        if (len > Levels.MAX_TOPIC_BYTES) {
            return invalid(s, Reason.TOO_LONG, Levels.MAX_TOPIC_BYTES, "length " + len + " chars");
        }
        // One pass: D3 and D4, slash positions, UTF-8 length.
        int s2 = -1;
        int s3 = -1;
        int s4 = -1;
        int z1 = 3; // last slash
        int z2 = -1; // the one before
        int z3 = -1; // and the one before that
        int bytes = len;
        int levelStart = 4;
        for (int i = 4; i < len; i++) {
            char c = s.charAt(i);
            if (c == '/') {
                if (i == levelStart) {
                    return invalid(s, Reason.EMPTY_LEVEL, i, null);
                }
                if (s2 < 0) {
                    s2 = i;
                } else if (s3 < 0) {
                    s3 = i;
                } else if (s4 < 0) {
                    s4 = i;
                }
                z3 = z2;
                z2 = z1;
                z1 = i;
                levelStart = i + 1;
            } else if (c < 0x80) {
                if (c == '+' || c == '#') {
                    return invalid(s, Reason.WILDCARD, i, null);
                } else if (c == 0) {
                    return invalid(s, Reason.NUL_CHARACTER, i, null);
                }
            } else if (c < 0x800) {
                bytes += 1;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2;
                    i++;
                } else {
                    return invalid(s, Reason.MALFORMED_UNICODE, i, null);
                }
            } else {
                bytes += 2;
            }
        }
        if (levelStart == len) {
            return invalid(s, Reason.EMPTY_LEVEL, len, null);
        }
        if (bytes > Levels.MAX_TOPIC_BYTES) {
            return invalid(s, Reason.TOO_LONG, -1, bytes + " bytes");
        }
        return levels(s, reply, s2, s3, s4, z1, z2, z3);
    }

    /**
     * Reads the levels of a topic that passed D3 and D4, given its slashes: {@code s2..s4} are the
     * 2nd to 4th (or -1), {@code z1..z3} the last three (or -1; z1 is at least 3).
     */
    private Object levels(String s, boolean reply, int s2, int s3, int s4, int z1, int z2, int z3) {
        if (!reply) {
            return requestLevels(s, Topic.Kind.REQUEST, s.length(), z1, s2, s3, s4);
        }
        int suffixLength = s.length() - z1 - 1;
        Topic.Kind kind;
        if (suffixLength == 6 && s.startsWith("status", z1 + 1)) {
            kind = Topic.Kind.STATUS;
        } else if (suffixLength == 5 && s.startsWith("error", z1 + 1)) {
            kind = Topic.Kind.ERROR;
        } else {
            return invalid(s, Reason.NOT_A_REPLY, z1 + 1, null);
        }
        if (z2 < 0) {
            // "kp1/status": nothing left but the version level.
            return invalid(s, Reason.MISSING_APPLICATION_VERSION, z1, null);
        }
        return requestLevels(s, kind, z1, z2, s2, s3, s4);
    }

    /**
     * Reads the request part {@code s[0, end)} of a topic, whose last slash is {@code last}; kept
     * small enough for the JIT to inline on the hot path.
     */
    private Object requestLevels(String s, Topic.Kind kind, int end, int last, int s2, int s3, int s4) {
        // K4, D1: a digits-only last level is a request ID.
        int requestId = requestId(s, last + 1, end);
        if (requestId == NOT_DIGITS) {
            requestId = Topic.NO_REQUEST_ID;
        } else if (requestId < 0) {
            return invalidRequestId(s, last + 1);
        } else {
            end = last;
        }
        // K1, D7: application version, extension instance, endpoint token.
        if (end == 3) {
            return invalid(s, Reason.MISSING_APPLICATION_VERSION, end, null);
        }
        if (s2 < 0 || s2 >= end) {
            return invalid(s, Reason.MISSING_EXTENSION, end, null);
        }
        int extensionEnd = s3 >= 0 && s3 < end ? s3 : end;
        int tokenStart = -1;
        int resourceStart = extensionEnd;
        if (endpointUnaware.length == 0 || isEndpointAware(s, s2 + 1, extensionEnd)) {
            if (extensionEnd == end) {
                return invalid(s, Reason.MISSING_ENDPOINT_TOKEN, end, null);
            }
            tokenStart = extensionEnd + 1;
            resourceStart = s4 >= 0 && s4 < end ? s4 : end;
        }
        return new Topic(s, kind, new ResourcePath(s, end, s2 + 1, tokenStart, resourceStart), requestId);
    }

    private InvalidTopicException invalidRequestId(String s, int index) {
        return invalid(s, Reason.INVALID_REQUEST_ID, index,
                acceptRequestIdZero ? "must be 0..2147483647" : "must be 1..2147483647");
    }

    /**
     * The request ID in the level s[from, to) (not empty): {@link #NOT_DIGITS} unless it is made
     * of ASCII digits only, -1 if it is out of range (D1, D1b). Leading zeros are accepted (D1).
     */
    private int requestId(String s, int from, int to) {
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return NOT_DIGITS;
            }
            if (v <= Integer.MAX_VALUE) {
                v = v * 10 + d; // past the maximum it only needs to stay past it
            }
        }
        if (v > Integer.MAX_VALUE || (v == 0 && !acceptRequestIdZero)) {
            return -1;
        }
        return (int) v;
    }

    private boolean isEndpointAware(String s, int from, int to) {
        for (String e : endpointUnaware) {
            if (e.length() == to - from && s.startsWith(e, from)) {
                return false;
            }
        }
        return true;
    }

    private static InvalidTopicException versionError(String s) {
        int firstSlash = s.indexOf('/');
        int levelEnd = firstSlash < 0 ? s.length() : firstSlash;
        if (levelEnd == 0) {
            return invalid(s, s.isEmpty() ? Reason.EMPTY_LEVEL : Reason.EMPTY_LEVEL, 0,
                    s.isEmpty() ? "the topic is empty" : null);
        }
        if (levelEnd == 3 && s.startsWith("kp1")) {
            // "kp1" alone.
            return invalid(s, Reason.MISSING_APPLICATION_VERSION, levelEnd, null);
        }
        if (levelEnd > 2 && s.startsWith("kp") && Levels.isDigits(s, 2, levelEnd)) {
            return invalid(s, Reason.UNSUPPORTED_VERSION, 0, "only kp1 is supported");
        }
        return invalid(s, Reason.NOT_KP1, 0, null);
    }

    /**
     * Builds a {@link TopicParser}; not thread-safe.
     *
     * <pre>{@code
     * TopicParser p = TopicParser.builder().endpointUnaware("registry").build();
     * }</pre>
     */
    public static final class Builder {
        private final Set<String> endpointUnaware = new LinkedHashSet<>();
        private boolean acceptRequestIdZero;

        private Builder() {
        }

        /** Declares extension instances whose paths have no endpoint token level (D7). */
        public Builder endpointUnaware(String... extensionInstances) {
            return endpointUnaware(Arrays.asList(extensionInstances));
        }

        /** Declares extension instances whose paths have no endpoint token level (D7). */
        public Builder endpointUnaware(Collection<String> extensionInstances) {
            for (String e : extensionInstances) {
                endpointUnaware.add(Levels.check("extension instance", e));
            }
            return this;
        }

        /**
         * Accepts request ID 0, for fleets whose devices count from 0 (D1b). Off by default; for
         * the server side only: clients never send 0.
         */
        public Builder acceptRequestIdZero(boolean accept) {
            this.acceptRequestIdZero = accept;
            return this;
        }

        /** Builds the parser. */
        public TopicParser build() {
            return new TopicParser(endpointUnaware.toArray(new String[0]), acceptRequestIdZero);
        }
    }
}
