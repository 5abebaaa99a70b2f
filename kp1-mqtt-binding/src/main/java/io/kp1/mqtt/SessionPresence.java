package io.kp1.mqtt;

/**
 * Whether the broker kept the client's session (its subscriptions and queued messages) when the
 * client connected, as the CONNACK's session-present flag says.
 *
 * <p>The 1/KP binding re-subscribes after a reconnection unless the session is {@link #PRESENT}.
 *
 * <pre>{@code
 * public void onConnected(boolean reconnect, SessionPresence session) {
 *     if (reconnect && session != SessionPresence.PRESENT) {
 *         resubscribeAll();
 *     }
 * }
 * }</pre>
 */
public enum SessionPresence {
    /** The broker resumed the session: subscriptions survived. */
    PRESENT,
    /** The broker started a new session: every subscription is gone. */
    ABSENT,
    /**
     * The client does not tell (Eclipse Paho 1.2.5 keeps the flag to itself on automatic
     * reconnects): assume the subscriptions are gone.
     */
    UNKNOWN;

    /** {@link #PRESENT} or {@link #ABSENT} from a CONNACK flag. */
    public static SessionPresence of(boolean sessionPresent) {
        return sessionPresent ? PRESENT : ABSENT;
    }
}
