package io.kp1.correlation;

import io.kp1.ResourcePath;
import io.kp1.Topic;

/**
 * Why a request registered with a {@link Correlator} ended without a reply, or could not be
 * registered. The message names the topic with the endpoint token redacted (D16) and the rule.
 *
 * <table>
 *   <caption>Reasons</caption>
 *   <tr><th>reason</th><th>how it reaches the caller</th><th>example message</th></tr>
 *   <tr><td>{@link Reason#TIMEOUT}</td><td>the future fails</td>
 *       <td>{@code No reply to kp1/demo_v1/dcx/JT******Hh/json/42 within 10000 ms (D14)}</td></tr>
 *   <tr><td>{@link Reason#CONNECTION_LOST}</td><td>the future fails</td>
 *       <td>{@code Connection lost before a reply to kp1/demo_v1/dcx/JT******Hh/json/42 (D14)}</td></tr>
 *   <tr><td>{@link Reason#LIMIT_REACHED}</td><td>thrown by {@code register}/{@code observe}</td>
 *       <td>{@code Cannot register kp1/demo_v1/dcx/JT******Hh/json: 10000 requests pending for this endpoint scope, the limit (maxPendingPerEndpoint, K4)}</td></tr>
 * </table>
 *
 * <pre>{@code
 * request.exceptionally(e -> {
 *     if (e instanceof CorrelationException && ((CorrelationException) e).reason() == Reason.TIMEOUT) { ... }
 *     return null;
 * });
 * }</pre>
 *
 * <p>Timeouts and connection losses are failures of many requests at once, found by the
 * correlator rather than thrown by a caller: they carry no stack trace, and their message is
 * built only when read.
 */
public final class CorrelationException extends RuntimeException {
    /** Why the request ended or was refused. */
    public enum Reason {
        /** No reply came before the request's deadline (D14). */
        TIMEOUT,
        /** The connection was lost while the request was pending (D13, D14). */
        CONNECTION_LOST,
        /** Registration refused: too many requests pending, in all or for one endpoint scope. */
        LIMIT_REACHED
    }

    private final Reason reason;
    private final transient ResourcePath path;
    private final int requestId;
    private final boolean observation;
    private final long timeoutNanos;
    private final String detail;

    private CorrelationException(Reason reason, ResourcePath path, int requestId, boolean observation,
                                 long timeoutNanos, String detail, boolean stackTrace) {
        super(null, null, false, stackTrace);
        this.reason = reason;
        this.path = path;
        this.requestId = requestId;
        this.observation = observation;
        this.timeoutNanos = timeoutNanos;
        this.detail = detail;
    }

    static CorrelationException timeout(PendingRequest r, long timeoutNanos) {
        return new CorrelationException(Reason.TIMEOUT, r.path(), r.id, r.isObservation(), timeoutNanos, null, false);
    }

    static CorrelationException connectionLost(PendingRequest r) {
        return new CorrelationException(Reason.CONNECTION_LOST, r.path(), r.id, r.isObservation(), 0, null, false);
    }

    static CorrelationException limitReached(ResourcePath path, String detail) {
        return new CorrelationException(Reason.LIMIT_REACHED, path, Topic.NO_REQUEST_ID, false, 0, detail, true);
    }

    /** Why the request ended or was refused. */
    public Reason reason() {
        return reason;
    }

    /** The resource path of the request. */
    public ResourcePath path() {
        return path;
    }

    /** The request ID, or {@link Topic#NO_REQUEST_ID} for a refused registration. */
    public int requestId() {
        return requestId;
    }

    @Override
    public String getMessage() {
        String topic = requestId == Topic.NO_REQUEST_ID ? String.valueOf(path) : path + "/" + requestId;
        switch (reason) {
            case TIMEOUT:
                return (observation ? "No first reply to observation " : "No reply to ") + topic + " within "
                        + formatNanos(timeoutNanos) + " (D14)";
            case CONNECTION_LOST:
                return observation ? "Connection lost: observation " + topic + " ended (D13)"
                        : "Connection lost before a reply to " + topic + " (D14)";
            default:
                return "Cannot register " + topic + ": " + detail;
        }
    }

    private static String formatNanos(long nanos) {
        return nanos % 1_000_000 == 0 ? nanos / 1_000_000 + " ms" : nanos + " ns";
    }
}
