package io.kp1.examples;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.kp1.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A device that speaks 1/KP over MQTT by hand, with no kp1-java client code: one HiveMQ MQTT
 * client, topics written out, replies matched by their topic ({@code <request topic>/status} or
 * {@code /error}, K5). It is what {@code mosquitto_pub} and {@code mosquitto_sub} would do, and
 * shows what a server built with kp1-java answers to any MQTT device.
 *
 * <pre>{@code
 * try (RawMqttDevice d = RawMqttDevice.connect("127.0.0.1", port, "demo_application_v1", Duration.ofSeconds(10))) {
 *     RawMqttDevice.Message m = d.request("kp1/demo_application_v1/dcx/tok/json/1", "[{\"t\":1}]").join();
 *     m.topic();     // kp1/demo_application_v1/dcx/tok/json/1/status
 * }
 * }</pre>
 */
final class RawMqttDevice implements AutoCloseable {
    /** A message the device received: a reply or a push. */
    record Message(String topic, String payload) {
        boolean isError() {
            return topic.endsWith(Topic.ERROR_SUFFIX);
        }
    }

    private final Mqtt5AsyncClient client;
    /** Requests waiting for their reply, by request topic. */
    private final Map<String, CompletableFuture<Message>> pending = new ConcurrentHashMap<>();
    /** Waiters for a push on an exact topic. */
    private final Map<String, CompletableFuture<Message>> pushes = new ConcurrentHashMap<>();

    private RawMqttDevice(Mqtt5AsyncClient client) {
        this.client = client;
    }

    /**
     * Connects and subscribes to everything under {@code kp1/<appVersion>/}, without its own
     * publishes (MQTT 5 "no local").
     */
    static RawMqttDevice connect(String host, int port, String appVersion, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Mqtt5AsyncClient client = Mqtt5Client.builder()
                .identifier("kp1-demo-raw-device")
                .serverHost(host)
                .serverPort(port)
                .buildAsync();
        RawMqttDevice device = new RawMqttDevice(client);
        client.connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        client.subscribeWith()
                .topicFilter("kp1/" + appVersion + "/#")
                .noLocal(true)
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(device::onMessage)
                .send()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return device;
    }

    private void onMessage(Mqtt5Publish p) {
        String topic = p.getTopic().toString();
        Message m = new Message(topic, new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
        CompletableFuture<Message> push = pushes.remove(topic);
        if (push != null) {
            push.complete(m);
            return;
        }
        int cut = topic.endsWith(Topic.STATUS_SUFFIX) ? Topic.STATUS_SUFFIX.length()
                : topic.endsWith(Topic.ERROR_SUFFIX) ? Topic.ERROR_SUFFIX.length() : -1;
        if (cut > 0) {
            CompletableFuture<Message> waiting = pending.remove(topic.substring(0, topic.length() - cut));
            if (waiting != null) {
                waiting.complete(m);
            }
        }
    }

    /** Publishes a request (its topic ends with a request ID, K4) and completes with its reply. */
    CompletableFuture<Message> request(String topic, String payload) {
        CompletableFuture<Message> reply = new CompletableFuture<>();
        pending.put(topic, reply);
        client.publishWith()
                .topic(topic)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .whenComplete((r, t) -> {
                    if (t != null) {
                        pending.remove(topic, reply);
                        reply.completeExceptionally(t);
                    }
                });
        return reply;
    }

    /** Completes with the next message on exactly {@code topic} (a server push, K11). */
    CompletableFuture<Message> nextOn(String topic) {
        return pushes.computeIfAbsent(topic, t -> new CompletableFuture<>());
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Closing anyway.
        }
    }
}
