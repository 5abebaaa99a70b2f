package io.kp1.http.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding of URL path segments, both ways (D9): the client encodes each 1/KP level on
 * its own, the server decodes each segment on its own, strictly, as UTF-8.
 *
 * <table>
 *   <caption>One segment</caption>
 *   <tr><th>level</th><th>{@link #appendEncoded}</th><th>{@link #decodeSegment} of that</th></tr>
 *   <tr><td>{@code json}</td><td>{@code json}</td><td>{@code json}</td></tr>
 *   <tr><td>{@code a b}</td><td>{@code a%20b}</td><td>{@code a b}</td></tr>
 *   <tr><td>{@code été}</td><td>{@code %C3%A9t%C3%A9}</td><td>{@code été}</td></tr>
 *   <tr><td>{@code %2F}</td><td>{@code %252F}</td><td>{@code %2F}</td></tr>
 * </table>
 *
 * <pre>{@code
 * StringBuilder sb = new StringBuilder();
 * HttpPaths.appendEncoded(sb, "été");                   // %C3%A9t%C3%A9
 * int[] bad = new int[1];
 * HttpPaths.decodeSegment("x%C3%28", 0, 7, bad);        // null, bad[0] == 1 (not UTF-8)
 * }</pre>
 */
public final class HttpPaths {
    /** RFC 3986 unreserved characters: the only ones the client leaves unencoded. */
    private static final boolean[] UNRESERVED = new boolean[128];
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            UNRESERVED[c] = true;
            UNRESERVED[c - 'a' + 'A'] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            UNRESERVED[c] = true;
        }
        UNRESERVED['-'] = true;
        UNRESERVED['.'] = true;
        UNRESERVED['_'] = true;
        UNRESERVED['~'] = true;
    }

    private HttpPaths() {
    }

    /**
     * Appends {@code segment} percent-encoded as UTF-8: unreserved characters as they are,
     * everything else (including {@code ;}, {@code +}, {@code %} and every non-ASCII character)
     * as {@code %XX}. The segment must be valid UTF-16 (1/KP levels are, D4).
     */
    public static void appendEncoded(StringBuilder sb, String segment) {
        int n = segment.length();
        for (int i = 0; i < n; i++) {
            char c = segment.charAt(i);
            if (c < 128) {
                if (UNRESERVED[c]) {
                    sb.append(c);
                } else {
                    appendByte(sb, c);
                }
            } else if (c < 0x800) {
                appendByte(sb, 0xC0 | (c >> 6));
                appendByte(sb, 0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(segment.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, segment.charAt(++i));
                appendByte(sb, 0xF0 | (cp >> 18));
                appendByte(sb, 0x80 | ((cp >> 12) & 0x3F));
                appendByte(sb, 0x80 | ((cp >> 6) & 0x3F));
                appendByte(sb, 0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("Lone surrogate at index " + i + " has no UTF-8 encoding (D4)");
            } else {
                appendByte(sb, 0xE0 | (c >> 12));
                appendByte(sb, 0x80 | ((c >> 6) & 0x3F));
                appendByte(sb, 0x80 | (c & 0x3F));
            }
        }
    }

    private static void appendByte(StringBuilder sb, int b) {
        sb.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
    }

    /** Whether {@code c} may stand unencoded in a path segment as a server reads it: printable ASCII but {@code %}. */
    static boolean isPlainPathChar(char c) {
        return c > 0x20 && c < 0x7F && c != '%';
    }

    /**
     * Decodes {@code raw[from, to)}, one URL path segment, strictly (D9): every {@code %} must be
     * followed by two hex digits, the bytes must be well-formed UTF-8 (no overlong forms, no
     * encoded surrogates), and characters other than printable ASCII must have been
     * percent-encoded.
     *
     * @param errorAt set to the index in {@code raw} of the offending character or {@code %} when
     *                the result is null
     * @return the decoded segment, or null when it is malformed
     */
    public static String decodeSegment(String raw, int from, int to, int[] errorAt) {
        boolean escaped = false;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                escaped = true;
            } else if (!isPlainPathChar(c)) {
                errorAt[0] = i;
                return null;
            }
        }
        if (!escaped) {
            return raw.substring(from, to);
        }
        byte[] bytes = new byte[to - from];
        int[] origin = new int[to - from]; // raw index of each byte, to point at a bad escape
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            origin[n] = i;
            if (c == '%') {
                int hi = i + 2 < to ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
                // Character.digit also accepts non-ASCII digits: only ASCII hex is an escape.
                if (lo < 0 || raw.charAt(i + 1) > 0x7F || raw.charAt(i + 2) > 0x7F) {
                    errorAt[0] = i;
                    return null;
                }
                bytes[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, n);
        CharBuffer out = CharBuffer.allocate(n);
        CoderResult r = decoder.decode(in, out, true);
        if (!r.isError()) {
            r = decoder.flush(out);
        }
        if (r.isError()) {
            errorAt[0] = origin[Math.min(in.position(), n - 1)];
            return null;
        }
        return out.flip().toString();
    }
}
