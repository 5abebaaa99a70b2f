package io.kp1.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.ErrorResponse;
import io.kp1.Reply;
import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.MqttQos;
import io.kp1.server.Router;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of {@link Kp1MqttServer} over any topic the wire may bring (K5, K8, D2, D6): it never
 * throws into the transport's thread, publishes at most one reply per message, only on the message's
 * own topic plus {@code /status} or {@code /error}, with its QoS, never answers a reply topic, and so
 * never answers its own replies when the broker feeds them back ({@code kp1/#}).
 */
class Kp1MqttServerProperties {
    private static final List<String> LEVELS = List.of("kp1", "kp1", "kp1", "kp2", "", "demo_v1", "dcx", "epmx",
            "JTjdbENzHh", "tok", "json", "get", "keys", "0", "42", "042", "2147483648", "status", "error",
            "+", "#", "\u0000", "\uD800", "é", "\uD83D\uDE00");

    private static Kp1MqttServer server(FakeTransport transport) {
        Router router = Router.builder()
                .on("dcx", "/json", req -> CompletableFuture.completedFuture(
                        req.hasRequestId() ? Reply.ok() : Reply.error(400, "odd")))
                .on("epmx", "/get/keys", req -> CompletableFuture.completedFuture(Reply.ok("[]")))
                .build();
        Kp1MqttServer server = Kp1MqttServer.builder(transport, router).subscription(Kp1MqttServer.ALL_REQUESTS).build();
        server.start().join();
        return server;
    }

    @Provide
    Arbitrary<String> topics() {
        Arbitrary<String> fromLevels = Arbitraries.of(LEVELS).list().ofMinSize(1).ofMaxSize(9)
                .map(levels -> String.join("/", levels));
        Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(60);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, fromLevels),
                net.jqwik.api.Tuple.of(1, anyText));
    }

    @Property(tries = 2000)
    void anyTopic_atMostOneReply_onItsOwnTopicPlusSuffix_withItsQos_neverForAReply(
            @ForAll("topics") String topic, @ForAll MqttQos qos) {
        FakeTransport transport = new FakeTransport();
        Kp1MqttServer server = server(transport);

        transport.deliver(topic, "[]", qos);   // throws if the server lets anything escape

        List<FakeTransport.Published> out = transport.published();
        assertThat(out).hasSizeLessThanOrEqualTo(1);
        if (!out.isEmpty()) {
            FakeTransport.Published p = out.get(0);
            assertThat(topic).as("a reply topic is never answered").doesNotEndWith("/status").doesNotEndWith("/error");
            assertThat(p.topic()).isIn(topic + "/status", topic + "/error");
            assertThat(p.qos()).isEqualTo(qos);
            if (p.topic().endsWith("/error")) {
                assertThat(ErrorResponse.fromJson(p.payload()).statusCode()).isBetween(400, 599);
            }
        }
        Kp1MqttServer.Counters c = server.counters();
        assertThat(c.received()).isEqualTo(1);
        assertThat(c.echoesIgnored() + c.invalidTopics() + c.routed()).isEqualTo(1);
        assertThat(server.inFlight()).isZero();
    }

    @Property(tries = 500)
    void repliesFedBack_neverAnswered_noLoop(@ForAll("topics") String topic, @ForAll MqttQos qos) {
        FakeTransport transport = new FakeTransport();
        server(transport);
        transport.deliver(topic, "[]", qos);
        List<FakeTransport.Published> first = transport.published();

        for (FakeTransport.Published p : first) {
            transport.deliver(new InboundMessage(p.topic(), p.payload(), p.qos(), false, false));
        }

        assertThat(transport.published()).hasSameSizeAs(first);
    }

    @Property(tries = 200)
    void anyPayloadBytes_neverThrow(@ForAll byte[] payload, @ForAll MqttQos qos) {
        FakeTransport transport = new FakeTransport();
        server(transport);

        transport.deliver(new InboundMessage("kp1/demo_v1/dcx/JTjdbENzHh/json/1", payload, qos, false, false));

        assertThat(transport.lastPublished().topic()).isEqualTo("kp1/demo_v1/dcx/JTjdbENzHh/json/1/status");
        assertThat(new String(transport.lastPublished().payload(), StandardCharsets.UTF_8)).isEmpty();
    }
}
