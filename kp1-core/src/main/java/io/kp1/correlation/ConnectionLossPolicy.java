package io.kp1.correlation;

/**
 * What {@link Correlator#connectionLost} does with pending requests and observations (D13, D14).
 *
 * <table>
 *   <caption>Policies</caption>
 *   <tr><th>policy</th><th>requests</th><th>observations</th></tr>
 *   <tr><td>{@link #FAIL_ALL}</td><td>fail</td><td>end (fail)</td></tr>
 *   <tr><td>{@link #KEEP_REQUESTS}</td><td>kept, to publish again</td><td>end (fail), as D13 says</td></tr>
 *   <tr><td>{@link #KEEP_ALL}</td><td>kept, to publish again</td><td>kept, to publish again</td></tr>
 * </table>
 *
 * <pre>{@code
 * for (PendingRequest r : correlator.connectionLost(ConnectionLossPolicy.KEEP_REQUESTS)) {
 *     resend.add(r);   // after reconnecting: publish r.topic() again, same request ID
 * }
 * }</pre>
 */
public enum ConnectionLossPolicy {
    /** Every pending request and observation fails with {@link CorrelationException.Reason#CONNECTION_LOST}. */
    FAIL_ALL(false, false),
    /** Requests stay pending for re-publishing; observations end (D13). */
    KEEP_REQUESTS(true, false),
    /** Requests and observations stay pending for re-publishing. */
    KEEP_ALL(true, true);

    private final boolean keepsRequests;
    private final boolean keepsObservations;

    ConnectionLossPolicy(boolean keepsRequests, boolean keepsObservations) {
        this.keepsRequests = keepsRequests;
        this.keepsObservations = keepsObservations;
    }

    /** Whether one-reply requests stay pending. */
    public boolean keepsRequests() {
        return keepsRequests;
    }

    /** Whether observations stay open. */
    public boolean keepsObservations() {
        return keepsObservations;
    }
}
