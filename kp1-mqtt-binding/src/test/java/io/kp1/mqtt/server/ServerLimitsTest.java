package io.kp1.mqtt.server;

import io.kp1.ErrorResponse;
import io.kp1.Reply;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttQos;
import io.kp1.server.Router;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resource limits of {@link Kp1MqttServer} (issue 7, "Bad input") on an in-memory transport:
 * the request payload size ({@code maxPayloadBytes}, answered 413 as over HTTP, D10), the
 * extensions' JSON limits reached over MQTT (400, K7), and flat state under floods of 100 times
 * a limit (no request held, own replies bounded by {@code maxInFlight}).
 */
class ServerLimitsTest {
    private static final String TOKEN = "JTjdbENzHh";
    private static final String DCX = "kp1/demo_v1/dcx/" + TOKEN + "/json";

    private final FakeTransport transport = new FakeTransport();
    private final AtomicInteger routed = new AtomicInteger();
    private final Router router = Router.builder()
            .on("dcx", "/json", req -> {
                routed.incrementAndGet();
                return CompletableFuture.completedFuture(Reply.ok());
            })
            .build();

    private Kp1MqttServer started(Kp1MqttServer.Builder b) throws Exception {
        Kp1MqttServer server = b.build();
        server.start().get(5, TimeUnit.SECONDS);
        return server;
    }

    private void deliver(String topic, int payloadBytes) {
        transport.deliver(new InboundMessage(topic, new byte[payloadBytes], MqttQos.AT_LEAST_ONCE, false, false));
    }

    @Test
    void maxPayloadBytes_pastTheLimitWithId_413NamingSizeAndLimit_neverRouted_D10() throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, router).maxPayloadBytes(100));

        deliver(DCX + "/7", 101);

        assertThat(transport.publishedTopics()).containsExactly(DCX + "/7/error");
        ErrorResponse e = ErrorResponse.fromJson(transport.lastPublished().payload());
        assertThat(e.statusCode()).isEqualTo(413);
        assertThat(e.reasonPhrase()).isEqualTo(
                "Request payload of 101 bytes is over the limit of 100 bytes (maxPayloadBytes, D10)");
        assertThat(routed).hasValue(0);
        assertThat(server.counters().errors(413)).isEqualTo(1);
    }

    @Test
    void maxPayloadBytes_pastTheLimitWithoutId_droppedAndCounted_D11() throws Exception {
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, router).maxPayloadBytes(100));

        deliver(DCX, 101);

        assertThat(transport.published()).isEmpty();
        assertThat(routed).hasValue(0);
        assertThat(server.counters().errors(413)).isEqualTo(1);
    }

    @Test
    void maxPayloadBytes_atTheLimit_routed() throws Exception {
        started(Kp1MqttServer.builder(transport, router).maxPayloadBytes(100));

        deliver(DCX + "/1", 100);

        assertThat(transport.publishedTopics()).containsExactly(DCX + "/1/status");
        assertThat(routed).hasValue(1);
    }

    @Test
    void maxPayloadBytes_default1MiB_negativeRefused() {
        assertThat(Kp1MqttServer.DEFAULT_MAX_PAYLOAD_BYTES).isEqualTo(1 << 20);
        assertThatThrownBy(() -> Kp1MqttServer.builder(transport, router).maxPayloadBytes(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPayloadBytes");
    }

    @Test
    void maxPayloadBytes_100TimesMaxInFlightOversizedWhilePublishesHang_nothingHeld_ownRepliesBounded() throws Exception {
        int maxInFlight = 4;
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, router)
                .maxPayloadBytes(100).maxInFlight(maxInFlight));
        transport.holdPublishes(true);

        for (int i = 1; i <= 100 * maxInFlight; i++) {
            deliver(DCX + "/" + i, 101);
        }

        // Only maxInFlight of the server's own 413 replies wait for the transport; the rest are dropped.
        assertThat(server.inFlight()).isZero();
        assertThat(transport.published()).hasSize(maxInFlight);
        assertThat(server.counters().errors(413)).isEqualTo(100L * maxInFlight);
        assertThat(server.counters().replyFailures()).isEqualTo(100L * maxInFlight - maxInFlight);
        transport.releaseAll();
        assertThat(server.counters().replied()).isEqualTo(maxInFlight);
        assertThat(routed).hasValue(0);
    }

    @Test
    void maxInFlight_100TimesTheLimitWhileHandlersHang_503sAndInFlightStaysAtTheLimit() throws Exception {
        CompletableFuture<Reply> never = new CompletableFuture<>();
        Router hanging = Router.builder().on("dcx", "/json", req -> never).build();
        int maxInFlight = 4;
        Kp1MqttServer server = started(Kp1MqttServer.builder(transport, hanging).maxInFlight(maxInFlight));

        for (int i = 1; i <= 100 * maxInFlight; i++) {
            deliver(DCX + "/" + i, 2);
        }

        assertThat(server.inFlight()).isEqualTo(maxInFlight);
        assertThat(server.counters().rejectedForLoad()).isEqualTo(100L * maxInFlight - maxInFlight);
        assertThat(server.counters().errors(503)).isEqualTo(100L * maxInFlight - maxInFlight);
        never.complete(Reply.ok());
        assertThat(server.inFlight()).isZero();
    }

    @Test
    void extensionLimits_overMqtt_dcpRequestPastMaxBytes_400NamingTheLimit_2DCP() throws Exception {
        Router dcx = DataCollection.routes((req, samples) -> CompletableFuture.completedFuture(null),
                new PayloadLimits(8, 64, 50)).addTo(Router.builder()).build();
        started(Kp1MqttServer.builder(transport, dcx));

        transport.deliver(DCX + "/3", "[" + "1,".repeat(30) + "1]", MqttQos.AT_LEAST_ONCE);

        ErrorResponse e = ErrorResponse.fromJson(transport.lastPublished().payload());
        assertThat(transport.lastPublished().topic()).isEqualTo(DCX + "/3/error");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.reasonPhrase()).isEqualTo("Invalid 2/DCP request: payload of 63 bytes is over the limit of 50 (2/DCP)");
    }
}
