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

    /** Returns a {@link Topic} or a stackless {@link InvalidTopicException}. */
    private Object parse(String s, boolean reply) {
        Objects.requireNonNull(s, "topic must not be null");
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

        // The request part is [0, end); last and prev are its last two slashes.
        int end = len;
        int last = z1;
        int prev = z2;
        Topic.Kind kind = Topic.Kind.REQUEST;
        if (reply) {
            if (s.startsWith("status", z1 + 1) && len - z1 - 1 == 6) {
                kind = Topic.Kind.STATUS;
            } else if (s.startsWith("error", z1 + 1) && len - z1 - 1 == 5) {
                kind = Topic.Kind.ERROR;
            } else {
                return invalid(s, Reason.NOT_A_REPLY, z1 + 1, null);
            }
            end = z1;
            last = z2;
            prev = z3;
            if (last < 0) {
                // "kp1/status": nothing left but the version level.
                return invalid(s, Reason.MISSING_APPLICATION_VERSION, end, null);
            }
        }

        // K4, D1: a digits-only last level is a request ID.
        int requestId = Topic.NO_REQUEST_ID;
        if (Levels.isDigits(s, last + 1, end)) {
            requestId = requestId(s, last + 1, end);
            if (requestId < 0) {
                return invalid(s, Reason.INVALID_REQUEST_ID, last + 1,
                        acceptRequestIdZero ? "must be 0..2147483647" : "must be 1..2147483647");
            }
            end = last;
            last = prev;
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
        if (isEndpointAware(s, s2 + 1, extensionEnd)) {
            if (extensionEnd == end) {
                return invalid(s, Reason.MISSING_ENDPOINT_TOKEN, end, null);
            }
            tokenStart = extensionEnd + 1;
            resourceStart = s4 >= 0 && s4 < end ? s4 : end;
        }
        String pathText = end == len ? s : s.substring(0, end);
        ResourcePath path = new ResourcePath(pathText, s2 + 1, tokenStart, resourceStart);
        return new Topic(s, kind, path, requestId);
    }

    /** The ID in s[from, to) (digits only), or -1 if it is out of range (D1, D1b). */
    private int requestId(String s, int from, int to) {
        while (from < to - 1 && s.charAt(from) == '0') {
            from++; // leading zeros are accepted when parsing (D1)
        }
        if (to - from > 10) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
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
