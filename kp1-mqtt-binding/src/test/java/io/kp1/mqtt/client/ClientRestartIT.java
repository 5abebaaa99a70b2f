package io.kp1.mqtt.client;

import static io.kp1.mqtt.client.EchoService.APP;
import static io.kp1.mqtt.client.EchoService.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.Reply;
import io.kp1.correlation.ConnectionLossPolicy;
import io.kp1.correlation.CorrelationException;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.Kp1MqttClientException;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.testing.BrokerPerClass;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TcpProxy;
import io.kp1.mqtt.testing.TestClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker stops and starts again (Mosquitto keeps no session across a restart) while the
 * gateway has requests in flight. Under {@link ConnectionLossPolicy#FAIL_ALL} every pending
 * request fails at once and the gateway works again after the reconnection; under
 * {@link ConnectionLossPolicy#KEEP_REQUESTS} at QoS 1, with a clean=false session, every request
 * is answered: none is lost, none completes twice or with another's reply (D14).
 *
 * <p>The gateway reaches the broker through a {@link TcpProxy} that the test opens only after the
 * service has subscribed again, so that re-published requests find it listening (otherwise
 * they would wait for their timeout, which is the other correct outcome).
 */
class ClientRestartIT extends BrokerPerClass<MosquittoBroker> {
    @Override
    protected MosquittoBroker startBroker() {
        return MosquittoBroker.launch();
    }

    private TestClients.Options tcp() {
        return TestClients.options(broker, MqttTestBroker.Listener.TCP).automaticReconnect(true);
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        try {
            f.join();
            throw new AssertionError("completed normally");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void restart_failAll_pendingRequestsFailAtOnce_andTheGatewayWorksAgain_D14() throws Exception {
        try (EchoService service = EchoService.start(tcp(), TestClients.Kind.HIVEMQ_5);
             TestClients.Connected conn = TestClients.connect(TestClients.Kind.PAHO, tcp(), null)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport())
                    .requestTimeout(Duration.ofSeconds(60)).build();
            List<CompletableFuture<Reply>> pending = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                // No service answers "nobody": these wait until the connection goes.
                pending.add(client.endpoint(APP, "RestartTok" + i).request("nobody", "/x", "p" + i));
            }
            MqttEndpoint e = client.endpoint(APP, "RestartTok0");
            e.request("epmx", "/echo", "before").get(30, TimeUnit.SECONDS);

            broker.stop();
            // Well before their 60 s timeout, every pending request has failed with the connection (D14).
            CompletableFuture.allOf(pending.stream().map(f -> f.exceptionally(t -> null)).toArray(CompletableFuture[]::new))
                    .get(20, TimeUnit.SECONDS);
            for (CompletableFuture<Reply> f : pending) {
                Throwable t = failureOf(f);
                assertThat(t).isInstanceOf(CorrelationException.class);
                assertThat(((CorrelationException) t).reason()).isEqualTo(CorrelationException.Reason.CONNECTION_LOST);
            }
            Throwable whileDown = failureOf(e.request("epmx", "/echo", "down"));
            assertThat(((Kp1MqttClientException) whileDown).reason()).isEqualTo(Kp1MqttClientException.Reason.NOT_CONNECTED);

            broker.start();
            service.awaitEvent("resubscribed");
            // The client, not only its transport, must have taken the reconnection in.
            await(client::isConnected, "gateway reconnected");
            assertThat(e.request("epmx", "/echo", "after").get(30, TimeUnit.SECONDS).payloadAsString())
                    .isEqualTo("RestartTok0:after");
            Kp1MqttClient.Stats s = client.stats();
            assertThat(s.correlation().connectionLost()).isEqualTo(200);
            client.close();
            assertThat(client.stats().correlation().pending()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestClients.Kind.class, names = {"PAHO", "HIVEMQ_3"})
    void restart_keepRequests_qos1_everyRequestAnsweredOnce_nothingLost_D14(TestClients.Kind kind) throws Exception {
        try (EchoService service = EchoService.start(tcp(), TestClients.Kind.HIVEMQ_5);
             TcpProxy proxy = TcpProxy.to(broker.port(MqttTestBroker.Listener.TCP));
             TestClients.Connected conn = TestClients.connect(kind, tcp().port(proxy.port()).cleanSession(false), null)) {
            Kp1MqttClient client = Kp1MqttClient.builder(conn.transport())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .connectionLossPolicy(ConnectionLossPolicy.KEEP_REQUESTS)
                    .requestTimeout(Duration.ofSeconds(60)).build();
            int endpoints = 100;
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < endpoints; i++) {
                    String token = "KeepTok" + i + "x";
                    // The service answers /slow after 300 ms: many are in flight when the broker stops.
                    replies.add(client.endpoint(APP, token).request("epmx", "/slow", "r" + round));
                    expected.add(token + ":r" + round);
                }
            }
            Thread.sleep(EchoService.SLOW_MILLIS / 2);
            long answeredBefore = replies.stream().filter(CompletableFuture::isDone).count();

            proxy.setRefusing(true);
            broker.stop();
            await(() -> !conn.transport().isConnected(), "gateway disconnected");
            // Requests made during the outage wait for the connection (KEEP_REQUESTS).
            for (int i = 0; i < endpoints; i++) {
                String token = "KeepTok" + i + "x";
                replies.add(client.endpoint(APP, token).request("epmx", "/echo", "down"));
                expected.add(token + ":down");
            }
            broker.start();
            service.awaitEvent("resubscribed");
            proxy.setRefusing(false);

            CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < replies.size(); i++) {
                assertThat(replies.get(i).join().payloadAsString()).as("reply %d", i).isEqualTo(expected.get(i));
            }
            Kp1MqttClient.Stats s = client.stats();
            assertThat(answeredBefore).isLessThan(replies.size() - endpoints); // the restart was mid-flight
            assertThat(s.republished()).isPositive();
            assertThat(s.resubscribed()).isPositive();
            assertThat(s.correlation().connectionLost()).isZero();
            assertThat(s.correlation().timedOut()).isZero();
            assertThat(s.correlation().replied()).isEqualTo(replies.size());
            client.close();
            assertThat(client.stats().correlation().pending()).isZero();
        }
    }
}
