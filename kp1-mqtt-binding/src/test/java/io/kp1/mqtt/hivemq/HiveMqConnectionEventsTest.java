package io.kp1.mqtt.hivemq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.kp1.mqtt.MqttTransport;
import org.junit.jupiter.api.Test;

class HiveMqConnectionEventsTest {

    @Test
    void of_sameEventsForTwoClients_throwsIllegalState() {
        HiveMqConnectionEvents events = new HiveMqConnectionEvents();
        Mqtt5AsyncClient first = events.addTo(Mqtt5Client.builder().serverHost("127.0.0.1")).buildAsync();
        Mqtt5AsyncClient second = Mqtt5Client.builder().serverHost("127.0.0.1").buildAsync();

        MqttTransport transport = HiveMqTransport.of(first, events);

        assertThat(transport.isConnected()).isFalse();
        assertThatThrownBy(() -> HiveMqTransport.of(second, events))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one per client");
    }
}
