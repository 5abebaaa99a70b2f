package io.kp1.mqtt.hivemq;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.internal.TransportEvents;
import io.kp1.mqtt.internal.TransportResults;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** {@link MqttTransport} over an MQTT 3.1.1 {@link Mqtt3AsyncClient}; made by {@link HiveMqTransport}. */
final class Mqtt3Transport extends HiveMqTransportBase {
    private final Mqtt3AsyncClient client;

    Mqtt3Transport(Mqtt3AsyncClient client, TransportEvents events, boolean eventsBound) {
        super(client, "mqtt3", events, eventsBound);
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
                .whenComplete(TransportResults.completingVoid(result));
        return result;
    }

    @Override
    public CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos) {
        TransportResults.checkSubscribe(topicFilter, qos);
        CompletableFuture<MqttQos> result = new CompletableFuture<>();
        client.subscribeWith().topicFilter(topicFilter).qos(HiveMqTransport.toHive(qos)).send()
                .whenComplete(TransportResults.completingSubscribe(result, topicFilter,
                        subAck -> code(subAck.getReturnCodes()),
                        cause -> cause instanceof Mqtt3SubAckException refused
                                ? new MqttSubscriptionRefusedException(topicFilter, code(refused.getMqttMessage().getReturnCodes()), refused)
                                : null));
        return result;
    }

    private static int code(List<Mqtt3SubAckReturnCode> codes) {
        return codes.size() == 1 ? codes.get(0).getCode() : TransportResults.REFUSED;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        Objects.requireNonNull(topicFilter, "topicFilter must not be null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        client.unsubscribeWith().topicFilter(topicFilter).send().whenComplete(TransportResults.completingVoid(result));
        return result;
    }
}
