package io.kp1.mqtt.hivemq;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.internal.TransportEvents;

/**
 * What the MQTT 5 and MQTT 3.1.1 adapters share: the listener slot, the connection state and
 * message delivery. Their clients' publish, subscribe and acknowledgement types differ, so the
 * operations stay in {@link Mqtt5Transport} and {@link Mqtt3Transport}.
 */
abstract class HiveMqTransportBase implements MqttTransport {
    private final MqttClient client;
    private final String version;
    final TransportEvents events;
    private final boolean eventsBound;

    HiveMqTransportBase(MqttClient client, String version, TransportEvents events, boolean eventsBound) {
        this.client = client;
        this.version = version;
        this.events = events;
        this.eventsBound = eventsBound;
    }

    final void deliver(MqttTopic topic, byte[] payload, com.hivemq.client.mqtt.datatypes.MqttQos qos, boolean retain) {
        // The client does not expose the DUP flag (see HiveMqTransport).
        events.message(new InboundMessage(topic.toString(), payload, HiveMqTransport.fromHive(qos), retain, false));
    }

    @Override
    public final void setListener(Listener listener) {
        events.setListener(listener);
    }

    @Override
    public final boolean isConnected() {
        // The client calls its disconnected listeners before it leaves the CONNECTED state.
        return eventsBound ? events.isConnected() : client.getState().isConnected();
    }

    @Override
    public final String toString() {
        return "HiveMqTransport[" + version + ", "
                + client.getConfig().getClientIdentifier().map(Object::toString).orElse("?") + "]";
    }
}
