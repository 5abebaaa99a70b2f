package io.kp1.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.SessionPresence;
import io.kp1.mqtt.testing.RecordingListener;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TransportEventsTest {
    private static final InboundMessage MESSAGE = new InboundMessage("kp1/a", new byte[] {1}, MqttQos.AT_LEAST_ONCE, false, false);

    @Test
    void connected_firstThenAgainAfterLoss_secondIsReconnect() {
        TransportEvents events = new TransportEvents(false);
        RecordingListener listener = new RecordingListener();
        events.setListener(listener);

        events.connected(SessionPresence.ABSENT);
        events.connectionLost(new IOException("reset"));
        events.connected(SessionPresence.PRESENT);

        assertThat(listener.pendingConnections()).containsExactly(
                new RecordingListener.Connected(false, SessionPresence.ABSENT),
                new RecordingListener.Connected(true, SessionPresence.PRESENT));
        assertThat(listener.pendingLosses()).hasSize(1);
    }

    @Test
    void connected_transportMadeForConnectedClient_firstEventIsReconnect() {
        TransportEvents events = new TransportEvents(true);
        RecordingListener listener = new RecordingListener();
        events.setListener(listener);

        events.connectionLost(new IOException("reset"));
        events.connected(SessionPresence.UNKNOWN);

        assertThat(listener.pendingLosses()).hasSize(1);
        assertThat(listener.pendingConnections()).containsExactly(new RecordingListener.Connected(true, SessionPresence.UNKNOWN));
    }

    @Test
    void connectionLost_repeatedWhileDisconnected_reportedOnce() {
        // The HiveMQ client calls its disconnected listener for each failed reconnect attempt.
        TransportEvents events = new TransportEvents(true);
        RecordingListener listener = new RecordingListener();
        events.setListener(listener);

        events.connectionLost(new IOException("reset"));
        events.connectionLost(new IOException("refused"));
        events.connectionLost(new IOException("refused"));

        assertThat(listener.pendingLosses()).hasSize(1);
        assertThat(events.isConnected()).isFalse();
    }

    @Test
    void disconnected_byHost_notALoss_nextConnectionIsReconnect() {
        TransportEvents events = new TransportEvents(true);
        RecordingListener listener = new RecordingListener();
        events.setListener(listener);

        events.disconnected();
        events.connectionLost(new IOException("late"));
        events.connected(SessionPresence.ABSENT);

        assertThat(listener.pendingLosses()).isEmpty();
        assertThat(listener.pendingConnections()).containsExactly(new RecordingListener.Connected(true, SessionPresence.ABSENT));
    }

    @Test
    void listenerThrowsRuntimeExceptionOrError_callerSeesNothing() {
        TransportEvents events = new TransportEvents(false);
        events.setListener(new MqttTransport.Listener() {
            @Override
            public void onMessage(InboundMessage message) {
                throw new IllegalStateException("listener bug (expected by the test)");
            }

            @Override
            public void onConnectionLost(Throwable cause) {
                throw new AssertionError("listener error (expected by the test)");
            }

            @Override
            public void onConnected(boolean reconnect, SessionPresence session) {
                throw new IllegalArgumentException("listener bug (expected by the test)");
            }
        });

        assertThatCode(() -> {
            events.connected(SessionPresence.ABSENT);
            events.message(MESSAGE);
            events.connectionLost(new IOException("reset"));
        }).doesNotThrowAnyException();
    }

    @Test
    void listenerThrowsVirtualMachineError_propagates() {
        TransportEvents events = new TransportEvents(false);
        events.setListener(m -> {
            throw new OutOfMemoryError("simulated (expected by the test)");
        });

        assertThatThrownBy(() -> events.message(MESSAGE)).isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void noListener_eventsDroppedWithoutError() {
        TransportEvents events = new TransportEvents(false);

        assertThatCode(() -> {
            events.message(MESSAGE);
            events.connected(SessionPresence.ABSENT);
            events.connectionLost(new IOException("reset"));
        }).doesNotThrowAnyException();
        assertThat(events.isConnected()).isFalse();
    }
}
