package io.kp1.mqtt.internal;

/**
 * Topic decisions of {@code Kp1MqttServer} that come before (or instead of) a 1/KP parse: which
 * inbound topics are replies to ignore, where an invalid request may be answered, and which
 * subscription filters and shared-subscription group names are acceptable.
 *
 * <table>
 *   <caption>Examples</caption>
 *   <tr><th>call</th><th>result</th></tr>
 *   <tr><td>{@code isReplyTopic("kp1/app/dcx/tok/json/42/status")}</td><td>true</td></tr>
 *   <tr><td>{@code isReplyTopic("kp1/app/dcx/tok/json/42")}</td><td>false</td></tr>
 *   <tr><td>{@code errorTopicFor("kp1/app//json")}</td><td>{@code "kp1/app//json/error"}</td></tr>
 *   <tr><td>{@code errorTopicFor("kp2/app/dcx/tok/json")}</td><td>null: not under {@code kp1/}</td></tr>
 *   <tr><td>{@code endsWithDigitsLevel("kp1/app/dcx/tok/json/0")}</td><td>true</td></tr>
 * </table>
 */
public final class ServerTopics {
    /** The 1/KP prefix (K2). */
    public static final String KP1_PREFIX = "kp1/";
    /** The prefix of an MQTT 5 shared subscription filter. */
    public static final String SHARE_PREFIX = "$share/";
    private static final String STATUS_SUFFIX = "/status";
    private static final String ERROR_SUFFIX = "/error";
    private static final int MAX_TOPIC_BYTES = 65_535;

    private ServerTopics() {
    }

    /**
     * Whether the last level is {@code status} or {@code error}: a reply (K5), the server's own or
     * another's, which a filter such as {@code kp1/#} also delivers. Two string comparisons, no parse.
     */
    public static boolean isReplyTopic(String topic) {
        return topic.endsWith(STATUS_SUFFIX) || topic.endsWith(ERROR_SUFFIX);
    }

    /**
     * {@code topic + "/error"} if that is a topic the server may publish a 400 reply on: under
     * {@code kp1/} (K2), a valid MQTT topic name (no {@code +}, {@code #}, U+0000 or lone
     * surrogate, D4) and at most 65,535 UTF-8 bytes with the suffix; otherwise null. The caller has
     * already set reply topics aside ({@link #isReplyTopic}), so the result never answers a reply.
     */
    public static String errorTopicFor(String topic) {
        if (!topic.startsWith(KP1_PREFIX)) {
            return null;
        }
        int len = topic.length();
        long bytes = ERROR_SUFFIX.length();
        for (int i = 0; i < len; i++) {
            char c = topic.charAt(i);
            if (c < 0x80) {
                if (c == '+' || c == '#' || c == 0) {
                    return null;
                }
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(topic.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                return null;
            } else {
                bytes += 3;
            }
        }
        return bytes <= MAX_TOPIC_BYTES ? topic.concat(ERROR_SUFFIX) : null;
    }

    /**
     * Whether the last level is made of ASCII digits only: the sender meant a request ID (K4, D1),
     * even if it is not a valid one, so an error reply is expected.
     */
    public static boolean endsWithDigitsLevel(String topic) {
        int start = topic.lastIndexOf('/') + 1;
        if (start == topic.length()) {
            return false;
        }
        for (int i = start; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a subscription filter for the server: under {@code kp1/} (K2), not already shared,
     * wildcards only as whole levels and {@code #} only last.
     *
     * @return {@code filter}
     * @throws IllegalArgumentException naming the rule and quoting the filter
     */
    public static String checkFilter(String filter) {
        if (filter.startsWith(SHARE_PREFIX)) {
            throw new IllegalArgumentException("Subscription filter " + Topics.redact(filter)
                    + " is already a shared subscription: give the filter without \"$share/<group>/\" and set sharedGroup(group)");
        }
        if (!filter.startsWith(KP1_PREFIX)) {
            throw new IllegalArgumentException("Subscription filter " + Topics.redact(filter)
                    + " is not under \"kp1/\": all 1/KP traffic, and only that, matches kp1/# (K2)");
        }
        int levelStart = 0;
        int len = filter.length();
        for (int i = 0; i <= len; i++) {
            if (i < len && filter.charAt(i) != '/') {
                char c = filter.charAt(i);
                if (c == 0) {
                    throw new IllegalArgumentException("Subscription filter " + Topics.redact(filter)
                            + " contains U+0000 at index " + i + " (D4)");
                }
                continue;
            }
            // The level [levelStart, i) ends here.
            int n = i - levelStart;
            for (int j = levelStart; j < i; j++) {
                char c = filter.charAt(j);
                if ((c == '+' || c == '#') && n != 1) {
                    throw new IllegalArgumentException("Subscription filter " + Topics.redact(filter)
                            + " has a wildcard inside a level at index " + j + ": '+' and '#' must be whole levels");
                }
                if (c == '#' && i != len) {
                    throw new IllegalArgumentException("Subscription filter " + Topics.redact(filter)
                            + " has '#' at index " + j + " before the last level");
                }
            }
            levelStart = i + 1;
        }
        return filter;
    }

    /**
     * Checks an MQTT 5 shared-subscription group name: non-empty, no {@code /}, {@code +},
     * {@code #} or U+0000.
     *
     * @return {@code group}
     * @throws IllegalArgumentException naming the problem
     */
    public static String checkShareGroup(String group) {
        if (group.isEmpty()) {
            throw new IllegalArgumentException("Shared subscription group name must not be empty");
        }
        for (int i = 0; i < group.length(); i++) {
            char c = group.charAt(i);
            if (c == '/' || c == '+' || c == '#' || c == 0) {
                throw new IllegalArgumentException("Shared subscription group name \"" + group
                        + "\" contains '" + (c == 0 ? "U+0000" : String.valueOf(c)) + "' at index " + i
                        + ": MQTT 5 forbids '/', '+', '#' there");
            }
        }
        return group;
    }
}
