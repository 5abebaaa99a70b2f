package io.kp1;

import io.kp1.InvalidTopicException.Reason;
import io.kp1.internal.Levels;
import io.kp1.internal.Redaction;

import java.util.Objects;

/**
 * A 1/KP MQTT topic: a {@link ResourcePath}, an optional request ID (K4), a {@link Kind}, and the
 * topic name exactly as written or received (D2).
 *
 * <table>
 *   <caption>Examples</caption>
 *   <tr><th>name</th><th>kind</th><th>resource</th><th>request ID</th></tr>
 *   <tr><td>{@code kp1/app/dcx/tok/json/42}</td><td>REQUEST</td><td>{@code /json}</td><td>42</td></tr>
 *   <tr><td>{@code kp1/app/dcx/tok/json}</td><td>REQUEST</td><td>{@code /json}</td><td>none</td></tr>
 *   <tr><td>{@code kp1/app/dcx/tok/json/42/status}</td><td>STATUS</td><td>{@code /json}</td><td>42</td></tr>
 *   <tr><td>{@code kp1/app/cex/tok/command/reboot/status}</td><td>STATUS</td><td>{@code /command/reboot}</td>
 *       <td>none (a push, K11)</td></tr>
 * </table>
 *
 * <pre>{@code
 * Topic request = Topic.parseRequest("kp1/demo_v1/dcx/JTjdbENzHh/json/42");
 * request.requestId();            // 42
 * request.path().resource();      // "/json"
 * request.statusTopic().name();   // "kp1/demo_v1/dcx/JTjdbENzHh/json/42/status" (K5)
 *
 * Topic built = Topic.request(ResourcePath.of("demo_v1", "dcx", "JTjdbENzHh", "/json"), 7);
 * built.name();                   // "kp1/demo_v1/dcx/JTjdbENzHh/json/7"
 * }</pre>
 *
 * <p>Equality is by name and kind. {@code toString()} redacts the endpoint token (D16); use
 * {@link #name()} for the text to publish.
 */
public final class Topic {
    /** The value of {@link #requestId()} for a topic without a request ID. */
    public static final int NO_REQUEST_ID = -1;
    /** The suffix of success replies (K5). */
    public static final String STATUS_SUFFIX = "/status";
    /** The suffix of error replies (K5). */
    public static final String ERROR_SUFFIX = "/error";

    /** Which way a topic goes (D6). */
    public enum Kind {
        /** A request (or a fire-and-forget message) from a client. */
        REQUEST,
        /** A success reply, an observe update or a push, on {@code <request topic>/status} (K5, K11). */
        STATUS,
        /** An error reply on {@code <request topic>/error} (K5). */
        ERROR
    }

    private final String name;
    private final Kind kind;
    private final ResourcePath path;
    private final int requestId;

    Topic(String name, Kind kind, ResourcePath path, int requestId) {
        this.name = name;
        this.kind = kind;
        this.path = path;
        this.requestId = requestId;
    }

    /** Parses a request topic with {@link TopicParser#defaults()}; see {@link TopicParser#parseRequest}. */
    public static Topic parseRequest(String topic) {
        return TopicParser.defaults().parseRequest(topic);
    }

    /** Parses a reply topic with {@link TopicParser#defaults()}; see {@link TopicParser#parseReply}. */
    public static Topic parseReply(String topic) {
        return TopicParser.defaults().parseReply(topic);
    }

    /**
     * A request topic without a request ID (fire and forget, K6).
     *
     * @throws InvalidTopicException {@code AMBIGUOUS_LAST_LEVEL} (D8) if the path ends in a
     *                               digits-only level, which would parse back as a request ID
     */
    public static Topic request(ResourcePath path) {
        Objects.requireNonNull(path, "path must not be null");
        if (path.endsWithDigitsLevel()) {
            String text = path.asString();
            throw new InvalidTopicException("1/KP topic", text, Reason.AMBIGUOUS_LAST_LEVEL,
                    text.lastIndexOf('/') + 1, "send it with a request ID");
        }
        return new Topic(path.asString(), Kind.REQUEST, path, NO_REQUEST_ID);
    }

    /**
     * A request topic with a request ID: {@code <path>/<requestId>} (K4).
     *
     * @param requestId 1..2147483647 (D1)
     * @throws InvalidTopicException {@code INVALID_REQUEST_ID} for an ID below 1,
     *                               {@code TOO_LONG} past 65,535 bytes
     */
    public static Topic request(ResourcePath path, int requestId) {
        Objects.requireNonNull(path, "path must not be null");
        if (requestId < 1) {
            throw new InvalidTopicException("request ID", Integer.toString(requestId), Reason.INVALID_REQUEST_ID,
                    -1, "must be 1..2147483647");
        }
        // Indified concatenation allocates only the result (a StringBuilder would add its own buffer).
        String name = path.asString() + '/' + requestId;
        checkLength(name);
        return new Topic(name, Kind.REQUEST, path, requestId);
    }

    private static void checkLength(String name) {
        // Cheap bound first: each char is at least one UTF-8 byte and at most three.
        if (name.length() * 3 > Levels.MAX_TOPIC_BYTES && Levels.utf8Length(name) > Levels.MAX_TOPIC_BYTES) {
            throw new InvalidTopicException("1/KP topic", name, Reason.TOO_LONG, -1, null);
        }
    }

    /**
     * Topic text made safe for logs and messages (D16), for names that may not even be valid 1/KP
     * (wire input, subscription filters): the level where 1/KP puts the endpoint token is redacted,
     * control characters are escaped, and text past 200 characters is cut with a note of its length.
     *
     * <pre>{@code
     * Topic.redact("kp1/demo_v1/dcx/JTjdbENzHh/json/42");  // "kp1/demo_v1/dcx/JT******Hh/json/42"
     * Topic.redact("kp1/+/dcx/#");                          // "kp1/+/dcx/#" (wildcards hide nothing)
     * }</pre>
     */
    public static String redact(String topicName) {
        return topicName == null ? "null" : Redaction.quoteTopic(topicName);
    }

    /** The topic name exactly as received or written (D2): the text to publish or subscribe to. */
    public String name() {
        return name;
    }

    /** Whether this is a request, a success reply or an error reply. */
    public Kind kind() {
        return kind;
    }

    /** Whether this is a {@link Kind#STATUS} or {@link Kind#ERROR} topic. */
    public boolean isReply() {
        return kind != Kind.REQUEST;
    }

    /** The resource path, without request ID or reply suffix. */
    public ResourcePath path() {
        return path;
    }

    /** Whether the topic carries a request ID (K4). */
    public boolean hasRequestId() {
        return requestId != NO_REQUEST_ID;
    }

    /** The request ID, or {@link #NO_REQUEST_ID}; 0 only from a parser that accepts it (D1b). */
    public int requestId() {
        return requestId;
    }

    /** The success reply topic: this request topic's name plus {@code /status} (K5, D2). */
    public Topic statusTopic() {
        return reply(Kind.STATUS, STATUS_SUFFIX);
    }

    /** The error reply topic: this request topic's name plus {@code /error} (K5, D2). */
    public Topic errorTopic() {
        return reply(Kind.ERROR, ERROR_SUFFIX);
    }

    private Topic reply(Kind replyKind, String suffix) {
        if (kind != Kind.REQUEST) {
            throw new IllegalStateException("Only a request topic has reply topics (K5); this is a " + kind
                    + " topic: " + this);
        }
        String replyName = name.concat(suffix);
        checkLength(replyName);
        return new Topic(replyName, replyKind, path, requestId);
    }

    /** The request topic a reply answers (its name without the suffix); a request returns itself. */
    public Topic requestTopic() {
        if (kind == Kind.REQUEST) {
            return this;
        }
        int cut = kind == Kind.STATUS ? STATUS_SUFFIX.length() : ERROR_SUFFIX.length();
        return new Topic(name.substring(0, name.length() - cut), Kind.REQUEST, path, requestId);
    }

    /** The name with the endpoint token redacted (D16), and the kind when it is a reply. */
    @Override
    public String toString() {
        if (!path.hasEndpointToken()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name.length());
        String p = path.toString();
        sb.append(p);
        sb.append(name, path.length(), name.length());
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topic && ((Topic) o).kind == kind && ((Topic) o).name.equals(name)
                && ((Topic) o).path.equals(path);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }
}
