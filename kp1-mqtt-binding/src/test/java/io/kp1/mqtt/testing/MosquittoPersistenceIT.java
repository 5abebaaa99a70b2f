package io.kp1.mqtt.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link MosquittoBroker#launchPersistent}: a persistent session keeps its subscription and its
 * queued QoS 1 messages across {@link MosquittoBroker#restart()}, which {@link MosquittoBroker#launch()}
 * does not (the broker the soak test needs, so that requests published while a server is away
 * wait for it).
 */
class MosquittoPersistenceIT {

    @Test
    void launchPersistent_restart_sessionWithSubscriptionAndQueuedQos1MessagesSurvives() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launchPersistent("max_queued_messages 5000")) {
            Mqtt3BlockingClient subscriber = client(broker, "persist-sub");
            assertThat(subscriber.connectWith().cleanSession(false).send().isSessionPresent()).isFalse();
            subscriber.subscribeWith().topicFilter("persist/#").qos(MqttQos.AT_LEAST_ONCE).send();
            subscriber.disconnect();

            publish(broker, "persist/before", "queued before the restart");
            broker.restart();
            publish(broker, "persist/after", "queued after the restart");

            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
                assertThat(subscriber.connectWith().cleanSession(false).send().isSessionPresent())
                        .as("session restored from mosquitto.db").isTrue();
                List<String> got = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    Optional<Mqtt3Publish> p = publishes.receive(10, TimeUnit.SECONDS);
                    p.ifPresent(m -> got.add(m.getTopic() + "=" + new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8)));
                }
                assertThat(got).containsExactly("persist/before=queued before the restart",
                        "persist/after=queued after the restart");
            } finally {
                subscriber.disconnect();
            }
        }
    }

    @Test
    void launch_restart_sessionGone() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.launch()) {
            Mqtt3BlockingClient subscriber = client(broker, "volatile-sub");
            subscriber.connectWith().cleanSession(false).send();
            subscriber.subscribeWith().topicFilter("volatile/#").qos(MqttQos.AT_LEAST_ONCE).send();
            subscriber.disconnect();

            broker.restart();

            assertThat(subscriber.connectWith().cleanSession(false).send().isSessionPresent()).isFalse();
            subscriber.disconnect();
        }
    }

    private static Mqtt3BlockingClient client(MosquittoBroker broker, String id) {
        return Mqtt3Client.builder().identifier(id).serverHost(broker.host())
                .serverPort(broker.port(MqttTestBroker.Listener.TCP)).buildBlocking();
    }

    private static void publish(MosquittoBroker broker, String topic, String payload) {
        Mqtt3BlockingClient publisher = client(broker, "persist-pub");
        publisher.connect();
        publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
        publisher.disconnect();
    }
}
