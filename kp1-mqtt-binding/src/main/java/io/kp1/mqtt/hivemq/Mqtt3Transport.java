package io.kp1.mqtt.hivemq;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.internal.TransportEvents;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@link MqttTransport} over an MQTT 3.1.1 {@link Mqtt3AsyncClient}; made by {@link HiveMqTransport}. */
final class Mqtt3Transport implements MqttTransport {
    private final Mqtt3AsyncClient client;
    private final TransportEvents events;
    private final boolean eventsBound;

    Mqtt3Transport(Mqtt3AsyncClient client, TransportEvents events, boolean eventsBound) {
        this.client = client;
        this.events = events;
        this.eventsBound = eventsBound;
        client.publishes(MqttGlobalPublishFilter.ALL, this::deliver);
    }

    private void deliver(Mqtt3Publish p) {
        events.message(new InboundMessage(p.getTopic().toString(), p.getPayloadAsBytes(),
                HiveMqTransport.fromHive(p.getQos()), p.isRetain(), false));
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(qos, "qos must not be null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        client.publishWith().topic(topic).qos(HiveMqTransport.toHive(qos)).payload(payload).send()
                .whenComplete((p, e) -> {
                    if (e != null) {
                        result.completeExceptionally(Mqtt5Transport.unwrap(e));
                    } else {
                        result.complete(null);
                    }
                });
        return result;
    }

    @Override
    public CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos) {
        Objects.requireNonNull(topicFilter, "topicFilter must not be null");
        Objects.requireNonNull(qos, "qos must not be null");
        CompletableFuture<MqttQos> result = new CompletableFuture<>();
        client.subscribeWith().topicFilter(topicFilter).qos(HiveMqTransport.toHive(qos)).send()
                .whenComplete((subAck, e) -> {
                    Throwable cause = e == null ? null : Mqtt5Transport.unwrap(e);
                    if (cause instanceof Mqtt3SubAckException refused) {
                        result.completeExceptionally(new MqttSubscriptionRefusedException(topicFilter,
                                code(refused.getMqttMessage().getReturnCodes()), refused));
                    } else if (cause != null) {
                        result.completeExceptionally(cause);
                    } else {
                        int code = code(subAck.getReturnCodes());
                        if (code >= 0 && code <= 2) {
                            result.complete(MqttQos.of(code));
                        } else {
                            result.completeExceptionally(new MqttSubscriptionRefusedException(topicFilter, code, null));
                        }
                    }
                });
        return result;
    }

    private static int code(List<Mqtt3SubAckReturnCode> codes) {
        return codes.size() == 1 ? codes.get(0).getCode() : 0x80;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        Objects.requireNonNull(topicFilter, "topicFilter must not be null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        client.unsubscribeWith().topicFilter(topicFilter).send().whenComplete((v, e) -> {
            if (e != null) {
                result.completeExceptionally(Mqtt5Transport.unwrap(e));
            } else {
                result.complete(null);
            }
        });
        return result;
    }

    @Override
    public void setListener(Listener listener) {
        events.setListener(listener);
    }

    @Override
    public boolean isConnected() {
        // The client calls its disconnected listeners before it leaves the CONNECTED state.
        return eventsBound ? events.isConnected() : client.getState().isConnected();
    }

    @Override
    public String toString() {
        return "HiveMqTransport[mqtt3, " + client.getConfig().getClientIdentifier().map(Object::toString).orElse("?") + "]";
    }
}
