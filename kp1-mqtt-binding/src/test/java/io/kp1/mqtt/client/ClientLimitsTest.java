package io.kp1.mqtt.client;

import io.kp1.Reply;
import io.kp1.correlation.CorrelationException;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.MqttObservation;
import io.kp1.mqtt.MqttQos;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resource limits of {@link Kp1MqttClient} (issue 7, "Bad input") on an in-memory transport:
 * payload size both ways ({@code maxPayloadBytes}) and the observations one endpoint may keep
 * open ({@code maxPendingPerEndpoint}, K4, K11), with the client's state flat under 100 times
 * the limit.
 */
class ClientLimitsTest {
    private static final String APP = "kettle_v1";
    private static final String TOKEN = "JTjdbENzHh";
    private static final String JSON = "kp1/kettle_v1/dcx/JTjdbENzHh/json";

    private final FakeTransport transport = new FakeTransport();
    private final List<Kp1MqttClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(Kp1MqttClient::close);
    }

    private Kp1MqttClient client(Kp1MqttClient.Builder b) {
        Kp1MqttClient c = b.build();
        clients.add(c);
        return c;
    }

    private void deliver(String topic, int payloadBytes) {
        transport.deliver(new InboundMessage(topic, new byte[payloadBytes], MqttQos.AT_LEAST_ONCE, false, false));
    }

    @Test
    void request_payloadPastMaxPayloadBytes_throwsAtTheCall_nothingPublishedOrPending() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxPayloadBytes(100));
        MqttEndpoint kettle = c.endpoint(APP, TOKEN);

        assertThatThrownBy(() -> kettle.request("dcx", "/json", new byte[101]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Request payload of 101 bytes is over the limit of 100 bytes (maxPayloadBytes)");
        assertThatThrownBy(() -> kettle.send("dcx", "/json", new byte[101])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kettle.observe("cex", "/command/reboot", new byte[101], r -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        kettle.request("dcx", "/json", new byte[100]); // at the limit

        assertThat(transport.published()).hasSize(1);
        assertThat(c.stats().correlation().pending()).isEqualTo(1);
    }

    @Test
    void reply_payloadPastMaxPayloadBytes_requestEndsWith502NamingTheLimit_K7() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxPayloadBytes(100));
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");
        String topic = transport.lastPublished().topic();

        deliver(topic + "/status", 101);

        Reply r = f.join();
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.error().reasonPhrase())
                .isEqualTo("Reply payload of 101 bytes is over the limit of 100 bytes (maxPayloadBytes)");
        assertThat(c.stats().invalidReplies()).isEqualTo(1);
        assertThat(c.stats().correlation().pending()).isZero();
    }

    @Test
    void reply_payloadAtMaxPayloadBytes_handedOver() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxPayloadBytes(100));
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");

        deliver(transport.lastPublished().topic() + "/status", 100);

        assertThat(f.join().isSuccess()).isTrue();
        assertThat(f.join().payload().remaining()).isEqualTo(100);
    }

    @Test
    void observation_replyPastMaxPayloadBytes_endsTheObservation_D13() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxPayloadBytes(100));
        List<Reply> seen = new ArrayList<>();
        MqttObservation o = c.endpoint(APP, TOKEN).observe("cex", "/command/reboot", new byte[0], seen::add);
        String topic = transport.lastPublished().topic();

        deliver(topic + "/status", 10);
        deliver(topic + "/status", 101);

        assertThat(seen).extracting(Reply::statusCode).containsExactly(200, 502);
        assertThat(o.ended()).isDone();
        assertThat(c.stats().correlation().pendingObservations()).isZero();
    }

    @Test
    void push_payloadPastMaxPayloadBytes_droppedAndCounted() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxPayloadBytes(100));
        List<Reply> pushes = new ArrayList<>();
        c.endpoint(APP, TOKEN).onPush("cex", "/command/reboot", pushes::add);
        String push = "kp1/kettle_v1/cex/JTjdbENzHh/command/reboot/status";

        deliver(push, 101);
        deliver(push, 100);

        assertThat(pushes).hasSize(1);
        assertThat(c.stats().invalidReplies()).isEqualTo(1);
    }

    @Test
    void replies_100TimesOversizedForEndedRequests_onlyCounted_nothingRetained() {
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxPayloadBytes(100));
        CompletableFuture<Reply> f = c.endpoint(APP, TOKEN).request("dcx", "/json", "[]");
        String topic = transport.lastPublished().topic();
        deliver(topic + "/status", 1);

        for (int i = 0; i < 100; i++) {
            deliver(topic + "/status", 1_000);
            deliver(JSON + "/" + (1_000 + i) + "/status", 1_000);
        }

        assertThat(f.join().isSuccess()).isTrue();
        assertThat(c.stats().invalidReplies()).isEqualTo(200);
        assertThat(c.stats().correlation().pending()).isZero();
    }

    @Test
    void observe_100TimesPastMaxPendingPerEndpoint_limitReached_pendingFlat_K4_K11() {
        int limit = 5;
        Kp1MqttClient c = client(Kp1MqttClient.builder(transport).maxPendingPerEndpoint(limit));
        MqttEndpoint kettle = c.endpoint(APP, TOKEN);
        for (int i = 0; i < limit; i++) {
            kettle.observe("cex", "/command/reboot", new byte[0], r -> { });
            deliver(transport.lastPublished().topic() + "/status", 0); // first reply: no longer in flight
        }

        for (int i = 0; i < 100 * limit; i++) {
            MqttObservation o = kettle.observe("cex", "/command/reboot", new byte[0], r -> { });
            assertThat(o.ended()).isCompletedExceptionally();
            assertThatThrownBy(() -> o.ended().join()).cause()
                    .isInstanceOfSatisfying(CorrelationException.class,
                            e -> assertThat(e.reason()).isEqualTo(CorrelationException.Reason.LIMIT_REACHED))
                    .hasMessageContaining("maxPendingPerEndpoint").hasMessageNotContaining(TOKEN);
        }

        assertThat(c.stats().correlation().pendingObservations()).isEqualTo(limit);
        assertThat(c.stats().rejected()).isEqualTo(100L * limit);
        // Another endpoint is a scope of its own.
        MqttObservation other = c.endpoint(APP, "QuietToken").observe("cex", "/command/reboot", new byte[0], r -> { });
        assertThat(other.ended()).isNotDone();
    }

    @Test
    void maxPayloadBytesAndMaxPendingPerEndpoint_badValues_refused() {
        assertThatThrownBy(() -> Kp1MqttClient.builder(transport).maxPayloadBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadBytes");
        assertThatThrownBy(() -> Kp1MqttClient.builder(transport).maxPendingPerEndpoint(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPendingPerEndpoint");
        assertThat(Kp1MqttClient.DEFAULT_MAX_PAYLOAD_BYTES).isEqualTo(1 << 20);
    }
}
