package io.kp1.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class MqttQosTest {

    @ParameterizedTest
    @EnumSource(MqttQos.class)
    void of_code_roundTrips(MqttQos qos) {
        assertThat(MqttQos.of(qos.code())).isSameAs(qos);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 3, 128})
    void of_outOfRange_throwsNamingTheCode(int code) {
        assertThatThrownBy(() -> MqttQos.of(code))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MQTT QoS must be 0, 1 or 2, got " + code);
    }

    @Test
    void min_isTheLowerLevel() {
        assertThat(MqttQos.EXACTLY_ONCE.min(MqttQos.AT_MOST_ONCE)).isEqualTo(MqttQos.AT_MOST_ONCE);
        assertThat(MqttQos.AT_LEAST_ONCE.min(MqttQos.EXACTLY_ONCE)).isEqualTo(MqttQos.AT_LEAST_ONCE);
    }

    @Test
    void sessionPresence_ofFlag() {
        assertThat(SessionPresence.of(true)).isEqualTo(SessionPresence.PRESENT);
        assertThat(SessionPresence.of(false)).isEqualTo(SessionPresence.ABSENT);
    }

    @Test
    void subscriptionRefused_messageRedactsTokenAndShowsCode_D16() {
        MqttSubscriptionRefusedException e = new MqttSubscriptionRefusedException("kp1/app/dcx/JTjdbENzHh/json/+/status", 0x87, null);

        assertThat(e.getMessage())
                .isEqualTo("The broker refused the subscription to \"kp1/app/dcx/JT******Hh/json/+/status\" with SUBACK code 0x87");
        assertThat(e.topicFilter()).isEqualTo("kp1/app/dcx/JTjdbENzHh/json/+/status");
        assertThat(e.reasonCode()).isEqualTo(0x87);
    }
}
