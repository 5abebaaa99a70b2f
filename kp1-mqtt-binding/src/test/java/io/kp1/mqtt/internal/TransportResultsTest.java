package io.kp1.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class TransportResultsTest {
    @Test
    void completeGranted_codes0to2_completeWithThatQos() {
        for (MqttQos qos : MqttQos.values()) {
            CompletableFuture<MqttQos> result = new CompletableFuture<>();
            TransportResults.completeGranted(result, "kp1/+/cmx/#", qos.code());
            assertThat(result).isCompletedWithValue(qos);
        }
    }

    @Test
    void completeGranted_code0x80_failsWithRefusalNamingFilterAndCode() {
        CompletableFuture<MqttQos> result = new CompletableFuture<>();
        TransportResults.completeGranted(result, "kp1/+/cmx/#", TransportResults.REFUSED);
        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(MqttSubscriptionRefusedException.class, e -> {
                    assertThat(e.topicFilter()).isEqualTo("kp1/+/cmx/#");
                    assertThat(e.reasonCode()).isEqualTo(0x80);
                });
    }

    @Test
    void completingVoid_wrappedFailure_failsWithTheCause() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        IOException cause = new IOException("reset");
        TransportResults.<String>completingVoid(result).accept(null, new CompletionException(cause));
        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause().isSameAs(cause);
    }

    @Test
    void completingVoid_success_completesWithNull() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        TransportResults.<String>completingVoid(result).accept("ack", null);
        assertThat(result).isCompletedWithValue(null);
    }

    @Test
    void checkPublish_nullPayload_namesTheArgument() {
        assertThatThrownBy(() -> TransportResults.checkPublish("kp1/a", null, MqttQos.AT_LEAST_ONCE))
                .isInstanceOf(NullPointerException.class).hasMessage("payload must not be null");
    }

    @Test
    void completingSubscribe_refusedFailure_failsWithTheRefusal() {
        CompletableFuture<MqttQos> result = new CompletableFuture<>();
        MqttSubscriptionRefusedException refusal = new MqttSubscriptionRefusedException("kp1/a", 0x87, null);
        TransportResults.<Integer>completingSubscribe(result, "kp1/a", code -> code,
                cause -> cause instanceof IllegalStateException ? refusal : null)
                .accept(null, new CompletionException(new IllegalStateException("SUBACK 0x87")));
        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause().isSameAs(refusal);
    }

    @Test
    void completingSubscribe_otherFailure_failsWithTheCause() {
        CompletableFuture<MqttQos> result = new CompletableFuture<>();
        IOException cause = new IOException("reset");
        TransportResults.<Integer>completingSubscribe(result, "kp1/a", code -> code, c -> null)
                .accept(null, new CompletionException(cause));
        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause().isSameAs(cause);
    }

    @Test
    void completingSubscribe_subAck_completesWithItsCode() {
        CompletableFuture<MqttQos> result = new CompletableFuture<>();
        TransportResults.<Integer>completingSubscribe(result, "kp1/a", code -> code, c -> null).accept(1, null);
        assertThat(result).isCompletedWithValue(MqttQos.AT_LEAST_ONCE);
    }
}
