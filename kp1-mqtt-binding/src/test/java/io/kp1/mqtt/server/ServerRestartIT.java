package io.kp1.mqtt.server;

import static io.kp1.mqtt.server.Inbox.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.SessionPresence;
import io.kp1.mqtt.testing.BrokerPerClass;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.RecordingListener;
import io.kp1.mqtt.testing.TestClients;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker restarts while {@link Kp1MqttServer} runs (Mosquitto keeps no session across a
 * restart): the server's {@link Kp1MqttServer.ConnectionListener} hears the loss and the
 * reconnection, the server subscribes again, and requests are answered again, with each adapter
 * (Paho reports the session as UNKNOWN, the HiveMQ client as ABSENT).
 */
class ServerRestartIT extends BrokerPerClass<MosquittoBroker> {
    private static final long TIMEOUT = RecordingListener.TIMEOUT.toSeconds();

    @Override
    protected MosquittoBroker startBroker() {
        return MosquittoBroker.launch();
    }

    private TestClients.Options tcp() {
        return TestClients.options(broker, MqttTestBroker.Listener.TCP);
    }

    /** Records connection events as text, to wait on. */
    private static final class Events implements Kp1MqttServer.ConnectionListener {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

        @Override
        public void onConnected(boolean reconnect, SessionPresence session) {
            queue.add("connected reconnect=" + reconnect + " " + session);
        }

        @Override
        public void onConnectionLost(Throwable cause) {
            queue.add("lost");
        }

        @Override
        public void onResubscribed() {
            queue.add("resubscribed");
        }

        @Override
        public void onResubscribeFailed(String filter, Throwable cause) {
            queue.add("resubscribe failed " + filter + ": " + cause);
        }

        String next() throws InterruptedException {
            String e = queue.poll(TIMEOUT, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("No connection event within " + TIMEOUT + " s");
            }
            return e;
        }
    }

    private void requestAndAwaitReply(String token, int id) throws Exception {
        Inbox inbox = new Inbox();
        try (TestClients.Connected device = TestClients.connect(TestClients.Kind.HIVEMQ_3, tcp(), inbox)) {
            String topic = "kp1/restart_v1/epmx/" + token + "/get/keys/" + id;
            device.transport().subscribe(topic + "/status", MqttQos.AT_LEAST_ONCE).get(TIMEOUT, TimeUnit.SECONDS);
            device.transport().publish(topic, new byte[0], MqttQos.AT_LEAST_ONCE).get(TIMEOUT, TimeUnit.SECONDS);
            assertThat(text(inbox.await(topic + "/status"))).isEqualTo(StubServices.KEYS);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestClients.Kind.class, names = {"PAHO", "HIVEMQ_5"})
    void brokerRestart_serverSubscribesAgain_andKeepsAnswering(TestClients.Kind kind) throws Exception {
        Events events = new Events();
        try (TestClients.Connected c = TestClients.connect(kind, tcp().automaticReconnect(true), null);
             Kp1MqttServer server = Kp1MqttServer.builder(c.transport(), new StubServices().router(true))
                     .connectionListener(events).build()) {
            server.start().get(TIMEOUT, TimeUnit.SECONDS);
            requestAndAwaitReply("JTjdbENzHh", 1);

            broker.restart();

            assertThat(events.next()).isEqualTo("lost");
            assertThat(events.next()).isEqualTo("connected reconnect=true "
                    + (kind == TestClients.Kind.PAHO ? SessionPresence.UNKNOWN : SessionPresence.ABSENT));
            assertThat(events.next()).isEqualTo("resubscribed");
            requestAndAwaitReply("JTjdbENzHh", 2);
            assertThat(server.counters().resubscriptions()).isEqualTo(1);
            assertThat(server.state()).isEqualTo(Kp1MqttServer.State.RUNNING);
        }
    }
}
