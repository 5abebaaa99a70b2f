package io.kp1.examples.box;

import io.kp1.ResourcePath;
import java.util.OptionalInt;

/**
 * A reply {@link KaaInABox} is about to send, as a {@link Faults} rule sees it.
 *
 * <pre>{@code
 * Faults.builder().rule(r -> r.extension().equals("cex") && r.transport() == OutgoingReply.Transport.MQTT,
 *         Fault.drop()).build();
 * }</pre>
 *
 * <p>{@code toString()} shows the path with the endpoint token redacted (D16).
 *
 * @param transport  how the reply travels
 * @param path       the resource path of the request it answers (MQTT: of the reply topic without
 *                   its suffix and request ID; HTTP: decoded from the URL), or null when the
 *                   request's path was not a valid 1/KP path
 * @param requestId  the request ID (MQTT, K4), or empty: a push (K11), a request without ID, or HTTP
 * @param statusCode 200 for a success, else the K7 status code (HTTP: the response status)
 * @param push       whether it is an MQTT push that answers no request (K11)
 */
public record OutgoingReply(Transport transport, ResourcePath path, OptionalInt requestId, int statusCode,
        boolean push) {

    /** How a reply travels. */
    public enum Transport {
        /** Published on the broker ({@code .../status} or {@code .../error}, K5). */
        MQTT,
        /** An HTTP response (K12). */
        HTTP
    }

    /** The extension instance, or {@code ""} without a valid path. */
    public String extension() {
        return path == null ? "" : path.extension();
    }

    /** The resource relative to the extension (K14), e.g. {@code /json}, or {@code ""} without a valid path. */
    public String resource() {
        return path == null ? "" : path.resource();
    }

    /** The endpoint token, or null; a secret-like value (D16). */
    public String endpointToken() {
        return path == null ? null : path.endpointToken();
    }

    /** Whether it is a success reply. */
    public boolean isSuccess() {
        return statusCode >= 200 && statusCode < 300;
    }

    @Override
    public String toString() {
        return "OutgoingReply[" + transport + " " + (path == null ? "(invalid path)" : path.toString())
                + (requestId.isPresent() ? " #" + requestId.getAsInt() : "") + ", " + statusCode
                + (push ? ", push" : "") + "]";
    }
}
