package io.kp1;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A 1/KP reply: a success with a payload (possibly empty), or an error with a K7
 * {@link ErrorResponse}. A reply received over MQTT also knows the {@link Topic} it came on.
 *
 * <pre>{@code
 * Reply ok = Reply.ok();                                  // empty success (2/DCP)
 * Reply keys = Reply.ok("[\"name\",\"location\"]");      // success with a JSON payload
 * Reply err = Reply.error(404, "Unknown resource /foo");  // published on .../error (K5)
 * if (received.isSuccess()) { ... } else { received.error().statusCode(); }
 * }</pre>
 *
 * <p>Payload arrays are not copied: treat the array given to {@link #ok(byte[])} and returned by
 * {@link #payloadBytes()} as read-only.
 */
public final class Reply {
    private static final byte[] EMPTY = new byte[0];
    private static final Reply OK = new Reply(EMPTY, null, null);

    private final byte[] payload;
    private final ErrorResponse error;
    private final Topic topic;

    private Reply(byte[] payload, ErrorResponse error, Topic topic) {
        this.payload = payload;
        this.error = error;
        this.topic = topic;
    }

    /** A success with an empty payload. */
    public static Reply ok() {
        return OK;
    }

    /** A success with this payload; the array is not copied. */
    public static Reply ok(byte[] payload) {
        Objects.requireNonNull(payload, "payload must not be null");
        return payload.length == 0 ? OK : new Reply(payload, null, null);
    }

    /** A success with this text encoded as UTF-8. */
    public static Reply ok(String payload) {
        Objects.requireNonNull(payload, "payload must not be null");
        return ok(payload.getBytes(StandardCharsets.UTF_8));
    }

    /** An error reply (K7); see {@link ErrorResponse#of}. */
    public static Reply error(int statusCode, String reasonPhrase) {
        return error(ErrorResponse.of(statusCode, reasonPhrase));
    }

    /** An error reply (K7). */
    public static Reply error(ErrorResponse error) {
        Objects.requireNonNull(error, "error must not be null");
        return new Reply(error.toJson(), error, null);
    }

    /**
     * A reply as received on a reply topic: {@code /status} is a success with the payload as is;
     * {@code /error} decodes the K7 payload, or, if it is not valid K7, an error 502 whose reason
     * says so (the raw payload stays available).
     *
     * @throws IllegalArgumentException if {@code topic} is not a reply topic
     */
    public static Reply received(Topic topic, byte[] payload) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        switch (topic.kind()) {
            case STATUS:
                return new Reply(payload, null, topic);
            case ERROR:
                ErrorResponse e;
                try {
                    e = ErrorResponse.fromJson(payload);
                } catch (InvalidPayloadException bad) {
                    e = ErrorResponse.of(502, malformed(bad));
                }
                return new Reply(payload, e, topic);
            default:
                throw new IllegalArgumentException("Not a reply topic (K5): " + topic);
        }
    }

    /** The 502 reason for a malformed K7 payload, cut to a length {@link ErrorResponse#of} accepts. */
    private static String malformed(InvalidPayloadException bad) {
        String reason = "Malformed error payload: " + bad.getMessage();
        if (reason.length() <= ErrorResponse.MAX_REASON_LENGTH) {
            return reason;
        }
        // The message quotes a property name from the wire, which may be long.
        int cut = ErrorResponse.MAX_REASON_LENGTH - 3;
        if (Character.isHighSurrogate(reason.charAt(cut - 1))) {
            cut--;
        }
        return reason.substring(0, cut) + "...";
    }

    /** Whether this is a success reply. */
    public boolean isSuccess() {
        return error == null;
    }

    /** The error, or null for a success. */
    public ErrorResponse error() {
        return error;
    }

    /** 200 for a success, the error's status code otherwise. */
    public int statusCode() {
        return error == null ? 200 : error.statusCode();
    }

    /** The payload as a read-only buffer. */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** The payload array itself, not a copy: do not modify it. */
    public byte[] payloadBytes() {
        return payload;
    }

    /** The payload decoded as UTF-8. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** The topic the reply arrived on, when it came over MQTT. */
    public Optional<Topic> topic() {
        return Optional.ofNullable(topic);
    }

    /** This reply as received on {@code topic}. */
    public Reply withTopic(Topic topic) {
        return new Reply(payload, error, Objects.requireNonNull(topic, "topic must not be null"));
    }

    @Override
    public String toString() {
        String where = topic == null ? "" : " on " + topic;
        return error == null ? "Reply[ok, " + payload.length + " bytes" + where + "]"
                : "Reply[" + error.statusCode() + " " + error.reasonPhrase() + where + "]";
    }
}
