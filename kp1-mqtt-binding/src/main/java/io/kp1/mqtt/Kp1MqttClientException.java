package io.kp1.mqtt;

/**
 * Why {@link Kp1MqttClient} ended a request, an observation or a push listener without a reply,
 * for reasons of its own (timeouts and connection losses of pending requests come from the
 * correlator as {@link io.kp1.correlation.CorrelationException}). Futures fail with it; it is
 * never thrown into the caller. The message names the topic with the endpoint token redacted
 * (D16).
 *
 * <table>
 *   <caption>Reasons</caption>
 *   <tr><th>reason</th><th>when</th></tr>
 *   <tr><td>{@link Reason#CLOSED}</td><td>the client was closed before a reply (D14)</td></tr>
 *   <tr><td>{@link Reason#NOT_CONNECTED}</td><td>the request was due to go out, or its publish failed,
 *       while the client was disconnected, under {@link io.kp1.correlation.ConnectionLossPolicy#FAIL_ALL};
 *       or a send failed for lack of a connection</td></tr>
 *   <tr><td>{@link Reason#CONNECTION_LOST}</td><td>a push listener ended with the connection (D13)</td></tr>
 *   <tr><td>{@link Reason#LIMIT_REACHED}</td><td>the endpoint's queue was full, or every subscription
 *       slot was in use</td></tr>
 *   <tr><td>{@link Reason#SUBSCRIBE_FAILED}</td><td>the broker refused the reply subscription</td></tr>
 *   <tr><td>{@link Reason#PUBLISH_FAILED}</td><td>the transport failed the publish while connected</td></tr>
 * </table>
 *
 * <pre>{@code
 * endpoint.request("epmx", "/get/keys", new byte[0]).exceptionally(t -> {
 *     if (t.getCause() instanceof Kp1MqttClientException e && e.reason() == Kp1MqttClientException.Reason.LIMIT_REACHED) {
 *         backOff();
 *     }
 *     return null;
 * });
 * }</pre>
 */
public final class Kp1MqttClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the client gave up. */
    public enum Reason {
        /** {@link Kp1MqttClient#close()} ended it (D14). */
        CLOSED,
        /** Due to be published (or failed to be) while disconnected, under a policy that fails such requests. */
        NOT_CONNECTED,
        /** A push listener ended with the connection (D13), under a policy that does not keep observations. */
        CONNECTION_LOST,
        /** The endpoint's in-flight requests and queue were full, or every subscription was in use. */
        LIMIT_REACHED,
        /** The broker refused the subscription the replies need, or it failed on a live connection. */
        SUBSCRIBE_FAILED,
        /** The transport failed the publish on a live connection. */
        PUBLISH_FAILED
    }

    private final Reason reason;

    /**
     * @param reason  why
     * @param message what, with any endpoint token redacted (D16)
     * @param cause   the transport's failure, or null
     */
    public Kp1MqttClientException(Reason reason, String message, Throwable cause) {
        // Failures of many requests at once, found rather than thrown: no stack trace.
        super(message, cause, false, false);
        this.reason = reason;
    }

    /** Why the client gave up. */
    public Reason reason() {
        return reason;
    }
}
