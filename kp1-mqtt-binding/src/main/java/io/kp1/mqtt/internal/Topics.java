package io.kp1.mqtt.internal;

/**
 * Topic text for logs and messages (D16): 1/KP puts the endpoint token in the fourth level
 * ({@code kp1/<app>/<ext>/<token>/...}), so that level is redacted like kp1-core's
 * {@code Redaction} does ({@code JTjdbENzHh -> JT******Hh}, short ones all stars), control
 * characters are escaped, and long input is cut.
 *
 * <p>kp1-core keeps its {@code Redaction} in a package it does not export, so this module has its
 * own few lines for the same rule.
 */
public final class Topics {
    private static final int MAX_QUOTED = 200;

    private Topics() {
    }

    /** {@code kp1/demo_v1/dcx/JTjdbENzHh/json} -> {@code "kp1/demo_v1/dcx/JT******Hh/json"}, quoted. */
    public static String redact(String topic) {
        if (topic == null) {
            return "null";
        }
        int limit = Math.min(topic.length(), MAX_QUOTED);
        StringBuilder sb = new StringBuilder(limit + 24).append('"');
        int level = 0;
        int start = 0;
        while (start <= limit) {
            int end = topic.indexOf('/', start);
            if (end < 0 || end > limit) {
                end = limit;
            }
            if (level == 3) {
                appendToken(sb, topic, start, end);
            } else {
                for (int i = start; i < end; i++) {
                    char c = topic.charAt(i);
                    if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
            if (end >= limit) {
                break;
            }
            sb.append('/');
            start = end + 1;
            level++;
        }
        sb.append('"');
        if (topic.length() > limit) {
            sb.append("... (").append(topic.length()).append(" chars)");
        }
        return sb.toString();
    }

    /** {@code JTjdbENzHh} -> {@code JT******Hh}; tokens under eight characters become stars only (D16). */
    public static String redactToken(String token) {
        if (token == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(token.length());
        appendToken(sb, token, 0, token.length());
        return sb.toString();
    }

    private static void appendToken(StringBuilder sb, String s, int from, int to) {
        int n = to - from;
        if (n >= 8) {
            sb.append(s, from, from + 2);
            sb.append("*".repeat(n - 4));
            sb.append(s, to - 2, to);
        } else {
            sb.append("*".repeat(n));
        }
    }
}
