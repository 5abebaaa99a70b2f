package io.kp1.mqtt.hivemq;

import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.internal.TransportEvents;
import java.util.Objects;

/**
 * {@link MqttTransport} over the HiveMQ MQTT Client ({@code com.hivemq:hivemq-mqtt-client} 1.3),
 * in its MQTT 5 or MQTT 3.1.1 asynchronous flavour.
 *
 * <pre>{@code
 * HiveMqConnectionEvents events = new HiveMqConnectionEvents();
 * Mqtt3AsyncClient client = events.addTo(Mqtt3Client.builder().serverHost("127.0.0.1").serverPort(1883)
 *         .automaticReconnectWithDefaultConfig()).buildAsync();
 * MqttTransport transport = HiveMqTransport.of(client, events);
 * client.connectWith().cleanSession(false).send().join();
 * }</pre>
 *
 * <p>Caveats:
 * <ul>
 *   <li>Connection loss and reconnection are reported only through a {@link HiveMqConnectionEvents}
 *       added to the client's builder: {@link #of(Mqtt5AsyncClient)} without one reports messages
 *       only.</li>
 *   <li>The adapter registers a global callback for every publish the client receives
 *       ({@code MqttGlobalPublishFilter.ALL}); create it before {@code connect} so that messages
 *       queued in a persistent session are not dropped. A global callback cannot be removed, so
 *       make one transport per client.</li>
 *   <li>The client handles redelivery itself and does not expose the DUP flag: messages always
 *       report {@code duplicate} false.</li>
 *   <li>With automatic reconnect, the client queues publishes and subscriptions made while it is
 *       disconnected and sends them after reconnecting; without, they fail at once.</li>
 *   <li>For MQTT over WebSocket the client needs Netty's HTTP codec
 *       ({@code io.netty:netty-codec-http}) on the class path.</li>
 * </ul>
 */
public final class HiveMqTransport {
    private HiveMqTransport() {
    }

    /** A transport over an MQTT 5 client that reports messages and, through {@code events}, connection events. */
    public static MqttTransport of(Mqtt5AsyncClient client, HiveMqConnectionEvents events) {
        Objects.requireNonNull(client, "client must not be null");
        Objects.requireNonNull(events, "events must not be null");
        Mqtt5Transport t = new Mqtt5Transport(client, events.bind(), true);
        events.onSessionEnded(t::listen);
        return t;
    }

    /** A transport over an MQTT 5 client that reports messages only (no connection events). */
    public static MqttTransport of(Mqtt5AsyncClient client) {
        Objects.requireNonNull(client, "client must not be null");
        return new Mqtt5Transport(client, new TransportEvents(client.getState().isConnected()), false);
    }

    /** A transport over an MQTT 3.1.1 client that reports messages and, through {@code events}, connection events. */
    public static MqttTransport of(Mqtt3AsyncClient client, HiveMqConnectionEvents events) {
        Objects.requireNonNull(client, "client must not be null");
        Objects.requireNonNull(events, "events must not be null");
        Mqtt3Transport t = new Mqtt3Transport(client, events.bind(), true);
        events.onSessionEnded(t::listen);
        return t;
    }

    /** A transport over an MQTT 3.1.1 client that reports messages only (no connection events). */
    public static MqttTransport of(Mqtt3AsyncClient client) {
        Objects.requireNonNull(client, "client must not be null");
        return new Mqtt3Transport(client, new TransportEvents(client.getState().isConnected()), false);
    }

    static com.hivemq.client.mqtt.datatypes.MqttQos toHive(MqttQos qos) {
        return com.hivemq.client.mqtt.datatypes.MqttQos.fromCode(qos.code());
    }

    static MqttQos fromHive(com.hivemq.client.mqtt.datatypes.MqttQos qos) {
        return MqttQos.of(qos.getCode());
    }
}
