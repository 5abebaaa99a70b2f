package io.kp1.mqtt;

/**
 * An MQTT quality of service level. 1/KP replies go out with the QoS of their request (K8), so the
 * transport reports the QoS each message arrived with.
 *
 * <pre>{@code
 * MqttQos.of(1);                  // AT_LEAST_ONCE
 * MqttQos.EXACTLY_ONCE.code();    // 2
 * }</pre>
 */
public enum MqttQos {
    /** QoS 0: fire and forget. */
    AT_MOST_ONCE(0),
    /** QoS 1: acknowledged, may be delivered more than once. */
    AT_LEAST_ONCE(1),
    /** QoS 2: delivered exactly once, with a four-packet handshake. */
    EXACTLY_ONCE(2);

    private static final MqttQos[] BY_CODE = values();

    private final int code;

    MqttQos(int code) {
        this.code = code;
    }

    /** The level as on the wire: 0, 1 or 2. */
    public int code() {
        return code;
    }

    /**
     * The level with this wire code.
     *
     * @throws IllegalArgumentException unless {@code code} is 0, 1 or 2
     */
    public static MqttQos of(int code) {
        if (code < 0 || code > 2) {
            throw new IllegalArgumentException("MQTT QoS must be 0, 1 or 2, got " + code);
        }
        return BY_CODE[code];
    }

    /** The lower of the two levels: what a subscriber at {@code this} QoS receives of a publish at {@code other}. */
    public MqttQos min(MqttQos other) {
        return other.code < code ? other : this;
    }
}
