package io.kp1.examples.box;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written MQTT device for the box's tests: one HiveMQ client that publishes requests and
 * queues every message it receives, in arrival order; no kp1-java client code.
 *
 * <pre>{@code
 * try (MqttProbe p = MqttProbe.connect(box, "probe-1")) {
 *     p.subscribe("kp1/app_v1/#");
 *     p.publish("kp1/app_v1/dcx/tok/json/1", "[1]");
 *     MqttProbe.Message m = p.next(Duration.ofSeconds(5));   // kp1/app_v1/dcx/tok/json/1/status
 * }
 * }</pre>
 */
final class MqttProbe implements AutoCloseable {
    record Message(String topic, String payload) {
    }

    private final Mqtt5AsyncClient client;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> disconnected = new CompletableFuture<>();

    private MqttProbe(KaaInABox box, String clientId) {
        client = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost(box.mqttHost())
                .serverPort(box.mqttPort())
                .addDisconnectedListener(ctx -> disconnected.complete(null))
                .buildAsync();
    }

    static MqttProbe connect(KaaInABox box, String clientId) throws Exception {
        MqttProbe p = new MqttProbe(box, clientId);
        p.client.connect().get(10, TimeUnit.SECONDS);
        return p;
    }

    /** Subscribes without its own publishes coming back (MQTT 5 no local). */
    void subscribe(String filter) throws Exception {
        client.subscribeWith().topicFilter(filter).noLocal(true).qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(new Message(p.getTopic().toString(),
                        new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))))
                .send().get(10, TimeUnit.SECONDS);
    }

    void publish(String topic, String payload) throws Exception {
        client.publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
    }

    /** The next message, or null if none arrives within {@code timeout}. */
    Message next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when the broker (or anything else) disconnects the client. */
    CompletableFuture<Void> disconnected() {
        return disconnected;
    }

    @Override
    public void close() {
        if (client.getState().isConnected()) {
            client.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }
}
