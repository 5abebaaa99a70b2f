package io.kp1.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns fuzzer bytes into Java strings for the Jazzer fuzz tests ({@code *FuzzTest}), so that a
 * seed corpus stays readable text while the fuzzer can still reach every UTF-16 string.
 *
 * <p>Input that starts with byte {@code 0xFF} is read as raw UTF-16BE code units (lone surrogates
 * kept, which UTF-8 cannot carry); anything else is UTF-8 (malformed bytes become U+FFFD).
 *
 * <pre>{@code
 * String topic = FuzzText.text(bytes);                 // "kp1/app/dcx/tok/json/42" from a seed file
 * List<String> fields = FuzzText.lines(bytes, 4);      // app, extension, token, resource
 * }</pre>
 */
public final class FuzzText {
    private FuzzText() {
    }

    /** The whole input as one string. */
    public static String text(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == (byte) 0xFF) {
            char[] chars = new char[(bytes.length - 1) / 2];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (((bytes[1 + 2 * i] & 0xFF) << 8) | (bytes[2 + 2 * i] & 0xFF));
            }
            return new String(chars);
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The input split at line feeds into at most {@code limit} fields (the last keeps the rest). */
    public static List<String> lines(byte[] bytes, int limit) {
        String s = text(bytes);
        List<String> out = new ArrayList<>(limit);
        int from = 0;
        while (out.size() < limit - 1) {
            int nl = s.indexOf('\n', from);
            if (nl < 0) {
                break;
            }
            out.add(s.substring(from, nl));
            from = nl + 1;
        }
        out.add(s.substring(from));
        return out;
    }
}
