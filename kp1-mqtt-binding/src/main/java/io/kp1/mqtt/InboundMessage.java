package io.kp1.mqtt;

import io.kp1.mqtt.internal.Topics;
import java.util.Arrays;
import java.util.Objects;

/**
 * A PUBLISH received from the broker, as a {@link MqttTransport} hands it to its
 * {@link MqttTransport.Listener}.
 *
 * <pre>{@code
 * public void onMessage(InboundMessage m) {
 *     if (m.qos() == MqttQos.AT_MOST_ONCE && m.payload().length == 0) { ... }
 * }
 * }</pre>
 *
 * <p>The payload array is not copied: the client made it for this message, and the receiver may
 * keep it but should treat it as read-only. {@code duplicate} is the DUP flag where the client
 * exposes it (Paho does; the HiveMQ client handles redelivery itself and always reports
 * {@code false}). {@code toString()} shows the topic with its endpoint token redacted (D16) and
 * the payload's size, never its bytes.
 *
 * @param topic the topic name the message was published to (never a filter)
 * @param payload the payload bytes, possibly empty
 * @param qos the QoS the message was delivered with: the lower of the publish and subscription QoS
 * @param retained whether the broker sent it from its retained store
 * @param duplicate whether the DUP flag was set (a possible redelivery)
 */
public record InboundMessage(String topic, byte[] payload, MqttQos qos, boolean retained, boolean duplicate) {

    /** Checks that no component is null. */
    public InboundMessage {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(qos, "qos must not be null");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundMessage m
                && topic.equals(m.topic)
                && Arrays.equals(payload, m.payload)
                && qos == m.qos
                && retained == m.retained
                && duplicate == m.duplicate;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, Arrays.hashCode(payload), qos, retained, duplicate);
    }

    @Override
    public String toString() {
        return "InboundMessage[topic=" + Topics.redact(topic) + ", payload=" + payload.length + " bytes, qos="
                + qos.code() + (retained ? ", retained" : "") + (duplicate ? ", dup" : "") + "]";
    }
}
