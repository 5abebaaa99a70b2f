package io.kp1.mqtt.hivemq;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.internal.TransportEvents;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@link MqttTransport} over an MQTT 5 {@link Mqtt5AsyncClient}; made by {@link HiveMqTransport}. */
final class Mqtt5Transport implements MqttTransport {
    private final Mqtt5AsyncClient client;
    private final TransportEvents events;
    private final boolean eventsBound;

    Mqtt5Transport(Mqtt5AsyncClient client, TransportEvents events, boolean eventsBound) {
        this.client = client;
        this.events = events;
        this.eventsBound = eventsBound;
        client.publishes(MqttGlobalPublishFilter.ALL, this::deliver);
    }

    private void deliver(Mqtt5Publish p) {
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
                .whenComplete((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(unwrap(e));
                    } else if (r.getError().isPresent()) {
                        // MQTT 5 PUBACK/PUBREC with an error reason code, or the session ended.
                        result.completeExceptionally(r.getError().get());
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
                    Throwable cause = e == null ? null : unwrap(e);
                    if (cause instanceof Mqtt5SubAckException refused) {
                        result.completeExceptionally(refusal(topicFilter, refused.getMqttMessage().getReasonCodes(), refused));
                    } else if (cause != null) {
                        result.completeExceptionally(cause);
                    } else {
                        List<Mqtt5SubAckReasonCode> codes = subAck.getReasonCodes();
                        int code = codes.size() == 1 ? codes.get(0).getCode() : 0x80;
                        if (code >= 0 && code <= 2) {
                            result.complete(MqttQos.of(code));
                        } else {
                            result.completeExceptionally(new MqttSubscriptionRefusedException(topicFilter, code, null));
                        }
                    }
                });
        return result;
    }

    private static MqttSubscriptionRefusedException refusal(String filter, List<Mqtt5SubAckReasonCode> codes, Throwable cause) {
        return new MqttSubscriptionRefusedException(filter, codes.isEmpty() ? 0x80 : codes.get(0).getCode(), cause);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        Objects.requireNonNull(topicFilter, "topicFilter must not be null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        client.unsubscribeWith().topicFilter(topicFilter).send().whenComplete((unsubAck, e) -> {
            if (e != null) {
                result.completeExceptionally(unwrap(e));
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
        return "HiveMqTransport[mqtt5, " + client.getConfig().getClientIdentifier().map(Object::toString).orElse("?") + "]";
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
