/**
 * Request correlation for 1/KP over MQTT: the client side's table of pending requests.
 *
 * <p>{@link io.kp1.correlation.Correlator} allocates request IDs (K4), matches replies to
 * requests exactly (D12), keeps observations open (K11, D13), expires deadlines by the time it is
 * given, handles connection loss (D14), and counts late, duplicate and unknown replies (D15).
 * It does no I/O and reads no clock: the MQTT binding drives it. Arguments are never null
 * unless a method says so.
 *
 * <pre>{@code
 * Correlator correlator = Correlator.builder().build();
 * PendingRequest req = correlator.register(path, timeoutNanos, System.nanoTime());
 * transport.publish(req.topic().name(), payload);
 * // later, on the transport thread:
 * correlator.onReply(Topic.parseReply(incomingName), incomingPayload);   // completes req
 * }</pre>
 */
package io.kp1.correlation;
