package io.kp1.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InboundMessageTest {

    @Test
    void toString_showsRedactedTopicAndPayloadSizeOnly_D16() {
        InboundMessage m = new InboundMessage("kp1/demo_v1/cmx/JTjdbENzHh/config/json/status",
                "{\"secret\":1}".getBytes(StandardCharsets.UTF_8), MqttQos.AT_LEAST_ONCE, true, true);

        assertThat(m.toString())
                .isEqualTo("InboundMessage[topic=\"kp1/demo_v1/cmx/JT******Hh/config/json/status\", payload=12 bytes, qos=1, retained, dup]")
                .doesNotContain("JTjdbENzHh")
                .doesNotContain("secret");
    }

    @Test
    void equals_comparesPayloadContent() {
        InboundMessage a = new InboundMessage("t", new byte[] {1, 2}, MqttQos.AT_MOST_ONCE, false, false);
        InboundMessage b = new InboundMessage("t", new byte[] {1, 2}, MqttQos.AT_MOST_ONCE, false, false);
        InboundMessage c = new InboundMessage("t", new byte[] {1, 3}, MqttQos.AT_MOST_ONCE, false, false);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
    }

    @Test
    void constructor_nullComponent_throwsNamingIt() {
        assertThatThrownBy(() -> new InboundMessage(null, new byte[0], MqttQos.AT_MOST_ONCE, false, false))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("topic");
        assertThatThrownBy(() -> new InboundMessage("t", null, MqttQos.AT_MOST_ONCE, false, false))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("payload");
        assertThatThrownBy(() -> new InboundMessage("t", new byte[0], null, false, false))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("qos");
    }
}
