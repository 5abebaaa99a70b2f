package io.kp1.mqtt;

import io.kp1.mqtt.internal.Topics;
import java.util.Objects;

/**
 * The broker answered a SUBSCRIBE with a failure code (MQTT 3.1.1: {@code 0x80}; MQTT 5: a
 * reason code of {@code 0x80} or above, such as {@code 0x87} "not authorized").
 * {@link MqttTransport#subscribe} completes exceptionally with it.
 *
 * <pre>{@code
 * transport.subscribe("denied/#", MqttQos.AT_LEAST_ONCE).exceptionally(e -> {
 *     if (e.getCause() instanceof MqttSubscriptionRefusedException r) {
 *         log.warn("refused with reason code {}", r.reasonCode());
 *     }
 *     return null;
 * });
 * }</pre>
 *
 * <p>The message shows the filter with any endpoint token redacted (D16); {@link #topicFilter()}
 * gives it whole.
 */
public class MqttSubscriptionRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String topicFilter;
    private final int reasonCode;

    /**
     * @param topicFilter the filter the broker refused
     * @param reasonCode the SUBACK return or reason code, e.g. {@code 0x80}
     * @param cause the client's own exception, or null
     */
    public MqttSubscriptionRefusedException(String topicFilter, int reasonCode, Throwable cause) {
        super("The broker refused the subscription to " + Topics.redact(Objects.requireNonNull(topicFilter))
                + " with SUBACK code 0x" + Integer.toHexString(reasonCode), cause);
        this.topicFilter = topicFilter;
        this.reasonCode = reasonCode;
    }

    /** The filter the broker refused. */
    public String topicFilter() {
        return topicFilter;
    }

    /** The SUBACK return code (MQTT 3.1.1) or reason code (MQTT 5), e.g. {@code 0x80}. */
    public int reasonCode() {
        return reasonCode;
    }
}
