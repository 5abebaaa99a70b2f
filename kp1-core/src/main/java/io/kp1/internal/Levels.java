package io.kp1.internal;

import io.kp1.InvalidTopicException;
import io.kp1.InvalidTopicException.Reason;

/** Grammar of 1/KP topic levels (K1, D3, D4, D8), shared by the builders and the parser. */
public final class Levels {
    /** The level separator of MQTT topics and of 1/KP resource paths. */
    public static final char SEPARATOR = '/';
    /** The MQTT single-level wildcard, forbidden in topic names (D4). */
    public static final char SINGLE_LEVEL_WILDCARD = '+';
    /** The MQTT multi-level wildcard, forbidden in topic names (D4). */
    public static final char MULTI_LEVEL_WILDCARD = '#';
    /** The most UTF-8 bytes an MQTT topic name may have (D4). */
    public static final int MAX_TOPIC_BYTES = 65_535;

    private Levels() {
    }

    /**
     * Checks one level given by a caller and returns it; throws with the rule it breaks.
     *
     * @param what what the level is, for the message (e.g. {@code "endpoint token"})
     */
    public static String check(String what, String level) {
        if (level == null) {
            throw new NullPointerException(what + " must not be null");
        }
        if (level.isEmpty()) {
            throw new InvalidTopicException(what, level, Reason.EMPTY_LEVEL, 0, null);
        }
        for (int i = 0; i < level.length(); i++) {
            char c = level.charAt(i);
            if (c == SEPARATOR) {
                throw new InvalidTopicException(what, level, Reason.LEVEL_CONTAINS_SEPARATOR, i, null);
            } else if (c == SINGLE_LEVEL_WILDCARD || c == MULTI_LEVEL_WILDCARD) {
                throw new InvalidTopicException(what, level, Reason.WILDCARD, i, null);
            } else if (c == 0) {
                throw new InvalidTopicException(what, level, Reason.NUL_CHARACTER, i, null);
            } else if (Character.isHighSurrogate(c) && i + 1 < level.length()
                    && Character.isLowSurrogate(level.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidTopicException(what, level, Reason.MALFORMED_UNICODE, i, null);
            }
        }
        return level;
    }

    /** Whether {@code s[from, to)} is non-empty and made only of ASCII digits (D1). */
    public static boolean isDigits(CharSequence s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The number of bytes of {@code s} encoded as UTF-8; lone surrogates count as 3 bytes. */
    public static int utf8Length(CharSequence s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 2;
                    i++;
                } else {
                    bytes += 2;
                }
            }
        }
        return bytes;
    }
}
