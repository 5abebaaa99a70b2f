package io.kp1.mqtt.hivemq;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.internal.TransportEvents;
import io.kp1.mqtt.internal.TransportResults;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@link MqttTransport} over an MQTT 5 {@link Mqtt5AsyncClient}; made by {@link HiveMqTransport}. */
final class Mqtt5Transport extends HiveMqTransportBase {
    private final Mqtt5AsyncClient client;

    Mqtt5Transport(Mqtt5AsyncClient client, TransportEvents events, boolean eventsBound) {
        super(client, "mqtt5", events, eventsBound);
        this.client = client;
        listen();
    }

    /** Registers the message callback: at the start, and again after the client ended its session. */
    void listen() {
        client.publishes(MqttGlobalPublishFilter.ALL,
                p -> deliver(p.getTopic(), p.getPayloadAsBytes(), p.getQos(), p.isRetain()));
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos) {
        TransportResults.checkPublish(topic, payload, qos);
        CompletableFuture<Void> result = new CompletableFuture<>();
        client.publishWith().topic(topic).qos(HiveMqTransport.toHive(qos)).payload(payload).send()
                .whenComplete((r, e) -> {
                    if (e != null) {
                        result.completeExceptionally(TransportResults.unwrap(e));
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
        TransportResults.checkSubscribe(topicFilter, qos);
        return subscribe(topicFilter, qos, false);
    }

    /** With MQTT 5's No Local option (3.8.3.1): the broker keeps this client's own publishes away. */
    @Override
    public CompletableFuture<MqttQos> subscribeNoLocal(String topicFilter, MqttQos qos) {
        TransportResults.checkNoLocal(topicFilter, qos);
        return subscribe(topicFilter, qos, true);
    }

    @Override
    public boolean supportsNoLocal() {
        return true;
    }

    private CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos, boolean noLocal) {
        CompletableFuture<MqttQos> result = new CompletableFuture<>();
        client.subscribeWith().topicFilter(topicFilter).qos(HiveMqTransport.toHive(qos)).noLocal(noLocal).send()
                .whenComplete(TransportResults.completingSubscribe(result, topicFilter,
                        subAck -> {
                            List<Mqtt5SubAckReasonCode> codes = subAck.getReasonCodes();
                            return codes.size() == 1 ? codes.get(0).getCode() : TransportResults.REFUSED;
                        },
                        cause -> cause instanceof Mqtt5SubAckException refused
                                ? refusal(topicFilter, refused.getMqttMessage().getReasonCodes(), refused)
                                : null));
        return result;
    }

    private static MqttSubscriptionRefusedException refusal(String filter, List<Mqtt5SubAckReasonCode> codes, Throwable cause) {
        return new MqttSubscriptionRefusedException(filter,
                codes.isEmpty() ? TransportResults.REFUSED : codes.get(0).getCode(), cause);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        Objects.requireNonNull(topicFilter, "topicFilter must not be null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        client.unsubscribeWith().topicFilter(topicFilter).send().whenComplete(TransportResults.completingVoid(result));
        return result;
    }
}
