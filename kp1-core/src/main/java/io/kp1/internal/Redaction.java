package io.kp1.internal;

/**
 * Redaction of endpoint tokens for logs, messages and {@code toString()} (D16).
 *
 * <p>Tokens of eight characters or more keep their first two and last two characters (one, where
 * two would split a surrogate pair): {@code JTjdbENzHh -> JT******Hh}; shorter ones become stars only.
 */
public final class Redaction {
    /** The longest input quoted whole in an error message; longer ones are cut. */
    public static final int MAX_QUOTED = 200;

    private Redaction() {
    }

    /** {@code "JTjdbENzHh"} -> {@code "JT******Hh"}; {@code "abc"} -> {@code "***"}. */
    public static String token(String token) {
        StringBuilder sb = new StringBuilder(token.length());
        appendToken(sb, token, 0, token.length());
        return sb.toString();
    }

    /** Appends the redacted form of {@code s[from, to)}. */
    public static void appendToken(StringBuilder sb, CharSequence s, int from, int to) {
        int n = to - from;
        if (n >= 8) {
            int head = keptHead(s, from);
            int tail = keptTail(s, to);
            sb.append(s, from, from + head);
            for (int i = head + tail; i < n; i++) {
                sb.append('*');
            }
            sb.append(s, to - tail, to);
        } else {
            for (int i = 0; i < n; i++) {
                sb.append('*');
            }
        }
    }

    /** How many leading chars a redacted token keeps: 2, or 1 so as not to split a surrogate pair. */
    private static int keptHead(CharSequence s, int from) {
        return Character.isHighSurrogate(s.charAt(from + 1)) ? 1 : 2;
    }

    /** How many trailing chars a redacted token keeps: 2, or 1 so as not to split a surrogate pair. */
    private static int keptTail(CharSequence s, int to) {
        return Character.isLowSurrogate(s.charAt(to - 2)) ? 1 : 2;
    }

    /**
     * Quotes the input of an {@code InvalidTopicException} by what it is: an endpoint token is
     * redacted whole (D16); a resource, or a level that is not a token, is only escaped; anything
     * else is topic text, quoted by {@link #quoteTopic}.
     *
     * @param what the {@code what} of the exception: {@code "endpoint token"}, {@code "resource"}, ...
     */
    public static String quote(String what, String input) {
        switch (what) {
            case "endpoint token":
                return cut(input, true);
            case "application version":
            case "extension instance":
            case "resource level":
            case "resource":
                return cut(input, false);
            default:
                return quoteTopic(input);
        }
    }

    private static String cut(String input, boolean redact) {
        int limit = Math.min(input.length(), MAX_QUOTED);
        StringBuilder sb = new StringBuilder(limit + 24);
        if (redact) {
            appendTokenEscaped(sb, input, 0, limit);
        } else {
            appendEscaped(sb, input, 0, limit);
        }
        if (input.length() > limit) {
            sb.append("...(").append(input.length()).append(" chars)");
        }
        return sb.toString();
    }

    /**
     * Quotes untrusted topic text for a message: the level where 1/KP puts the endpoint token is
     * redacted, control characters and lone surrogates are escaped, and input past
     * {@link #MAX_QUOTED} characters is cut with a note of its length.
     *
     * <p>In an invalid topic an empty level may stand for a missing value ({@code kp1//dcx/TOKEN})
     * or be a stray slash ({@code /kp1/app/dcx/TOKEN}), so both candidates are redacted: the fourth
     * level and the fourth non-empty level. {@code /kp1/app/dcx/JTjdbENzHh/json} is quoted as
     * {@code /kp1/app/***}{@code /JT******Hh/json}. A level that is a lone MQTT wildcard
     * ({@code +}, {@code #}) hides nothing and is kept, so filters stay readable.
     */
    public static String quoteTopic(String input) {
        int limit = Math.min(input.length(), MAX_QUOTED);
        StringBuilder sb = new StringBuilder(limit + 24);
        int level = 0;
        int nonEmptyLevel = 0;
        int i = 0;
        while (i < limit) {
            int end = input.indexOf('/', i);
            if (end < 0 || end > limit) {
                end = limit;
            }
            boolean wildcard = end == i + 1 && (input.charAt(i) == '+' || input.charAt(i) == '#');
            if (!wildcard && (level == 3 || (nonEmptyLevel == 3 && end > i))) {
                appendTokenEscaped(sb, input, i, end);
            } else {
                appendEscaped(sb, input, i, end);
            }
            if (end > i) {
                nonEmptyLevel++;
            }
            if (end < limit) {
                sb.append('/');
            }
            i = end + 1;
            level++;
        }
        if (input.length() > limit) {
            sb.append("...(").append(input.length()).append(" chars)");
        }
        return sb.toString();
    }

    /** Like {@link #appendToken}, with the kept characters escaped as in {@link #quoteTopic}. */
    private static void appendTokenEscaped(StringBuilder sb, String s, int from, int to) {
        int n = to - from;
        if (n < 8) {
            appendToken(sb, s, from, to);
            return;
        }
        int head = keptHead(s, from);
        int tail = keptTail(s, to);
        appendEscaped(sb, s, from, from + head);
        for (int i = head + tail; i < n; i++) {
            sb.append('*');
        }
        appendEscaped(sb, s, to - tail, to);
    }

    private static void appendEscaped(StringBuilder sb, String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean loneSurrogate = Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > from && Character.isHighSurrogate(s.charAt(i - 1)));
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || loneSurrogate) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
    }
}
