package io.kp1.server;

import io.kp1.ResourcePath;
import io.kp1.Topic;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Request}: factories, accessors, attributes and a token-free {@code toString()}. */
class RequestTest {
    private static final String TOKEN = "JTjdbENzHh";
    private static final byte[] BODY = "[1,2]".getBytes(StandardCharsets.UTF_8);

    @Test
    void fromMqtt_requestTopic_exposesTopicFields_K4_K14() {
        Topic t = Topic.parseRequest("kp1/kettle_v1/cex/" + TOKEN + "/command/reboot/042");

        Request r = Request.fromMqtt(t, BODY, 2);

        assertThat(r.appVersion()).isEqualTo("kettle_v1");
        assertThat(r.extension()).isEqualTo("cex");
        assertThat(r.hasEndpointToken()).isTrue();
        assertThat(r.endpointToken()).isEqualTo(TOKEN);
        assertThat(r.resource()).isEqualTo("/command/reboot");
        assertThat(r.path()).isEqualTo(t.path());
        assertThat(r.topic()).contains(t);
        assertThat(r.isMqtt()).isTrue();
        assertThat(r.hasRequestId()).isTrue();
        assertThat(r.requestId()).hasValue(42);
        assertThat(r.qos()).hasValue(2);
        assertThat(r.payload()).isSameAs(BODY);
        assertThat(r.payloadAsString()).isEqualTo("[1,2]");
        assertThat(r.pathVariables()).isEmpty();
        assertThat(r.attributes()).isEmpty();
        assertThat(r.principal()).isEmpty();
    }

    @Test
    void fromMqtt_replyTopic_throwsNamingRule_D6() {
        Topic reply = Topic.parseReply("kp1/kettle_v1/dcx/" + TOKEN + "/json/1/status");

        assertThatThrownBy(() -> Request.fromMqtt(reply, BODY, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("D6").hasMessageContaining("STATUS").hasMessageNotContaining(TOKEN);
    }

    @Test
    void fromMqtt_qosOutOfRange_throws() {
        Topic t = Topic.parseRequest("kp1/kettle_v1/dcx/" + TOKEN + "/json");

        assertThatThrownBy(() -> Request.fromMqtt(t, BODY, 3)).hasMessageContaining("QoS 3");
        assertThatThrownBy(() -> Request.fromMqtt(t, BODY, -1)).hasMessageContaining("QoS -1");
    }

    @Test
    void fromHttp_path_noRequestIdNoQosNoTopic_K12() {
        Request r = Request.fromHttp(ResourcePath.of("kettle_v1", "dcx", TOKEN, "/json"), BODY);

        assertThat(r.isMqtt()).isFalse();
        assertThat(r.hasRequestId()).isFalse();
        assertThat(r.requestId()).isEmpty();
        assertThat(r.qos()).isEmpty();
        assertThat(r.topic()).isEmpty();
        assertThat(r.resource()).isEqualTo("/json");
    }

    @Test
    void toString_mqtt_tokenRedacted_D16() {
        Request r = Request.fromMqtt(Topic.parseRequest("kp1/kettle_v1/cex/" + TOKEN + "/command/reboot/42"), BODY, 1)
                .withVariables(new String[] {"type"}, new String[] {"reboot"})
                .withPrincipal("secret-principal");

        assertThat(r).hasToString("Request[kp1/kettle_v1/cex/JT******Hh/command/reboot/42, MQTT QoS 1, 5 bytes,"
                + " {type=reboot}, attributes [io.kp1.principal]]");
    }

    @Test
    void toString_http_tokenRedacted_D16() {
        Request r = Request.fromHttp(ResourcePath.of("kettle_v1", "dcx", TOKEN, "/json"), BODY);

        assertThat(r).hasToString("Request[kp1/kettle_v1/dcx/JT******Hh/json, HTTP, 5 bytes]");
    }

    @Test
    void withAttribute_returnsCopy_originalUnchanged_K13() {
        Request r = Request.fromHttp(ResourcePath.of("kettle_v1", "dcx", TOKEN, "/json"), BODY);

        Request withUser = r.withPrincipal("gateway-7").withAttribute("remote", 42);

        assertThat(r.attributes()).isEmpty();
        assertThat(withUser.principal()).contains("gateway-7");
        assertThat(withUser.attribute(Request.PRINCIPAL, String.class)).contains("gateway-7");
        assertThat(withUser.attribute("remote", String.class)).isEmpty();
        assertThat(withUser.attribute("remote", Integer.class)).contains(42);
        assertThat(withUser.attribute("absent")).isEmpty();
        assertThat(withUser.attributes()).containsOnlyKeys(Request.PRINCIPAL, "remote");
        assertThatThrownBy(() -> withUser.attributes().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.withAttribute("x", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void pathVariables_readOnlyInPatternOrder() {
        Request r = Request.fromHttp(ResourcePath.of("a", "x", TOKEN, "/p/q"), BODY)
                .withVariables(new String[] {"b", "a"}, new String[] {"p", "q"});

        assertThat(r.pathVariables()).containsExactly(java.util.Map.entry("b", "p"), java.util.Map.entry("a", "q"));
        assertThat(r.pathVariable("a")).isEqualTo("q");
        assertThatThrownBy(() -> r.pathVariables().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void payloadAsString_malformedUtf8_replacedNotThrown() {
        Request r = Request.fromHttp(ResourcePath.of("a", "dcx", TOKEN, "/json"), new byte[] {(byte) 0xC3});

        assertThat(r.payloadAsString()).isEqualTo("\uFFFD");
    }
}
