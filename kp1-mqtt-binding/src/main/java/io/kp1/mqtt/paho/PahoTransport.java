package io.kp1.mqtt.paho;

import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.SessionPresence;
import io.kp1.mqtt.internal.TransportEvents;
import io.kp1.mqtt.internal.TransportResults;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttAsyncClient;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/**
 * {@link MqttTransport} over an Eclipse Paho 1.2.x asynchronous client
 * ({@code org.eclipse.paho.client.mqttv3.MqttAsyncClient}).
 *
 * <pre>{@code
 * MqttAsyncClient paho = new MqttAsyncClient("tcp://127.0.0.1:1883", "gateway-1", new MemoryPersistence());
 * MqttTransport transport = PahoTransport.of(paho);   // takes the client's callback slot
 * MqttConnectOptions options = new MqttConnectOptions();
 * options.setAutomaticReconnect(true);
 * options.setMaxInflight(1000);                        // Paho's default of 10 is low for a gateway
 * paho.connect(options).waitForCompletion();
 * }</pre>
 *
 * <p>Caveats:
 * <ul>
 *   <li>The adapter installs itself with {@code setCallback} (an {@link MqttCallbackExtended}); the
 *       host must not set another callback afterwards. Create it before {@code connect} so that
 *       messages queued in a persistent session are not dropped.</li>
 *   <li>Paho 1.2.5 does not tell the session-present flag of an automatic reconnect, so
 *       {@code onConnected} always reports {@link SessionPresence#UNKNOWN}.</li>
 *   <li>Paho runs its callback and its completions on one thread: a listener that waits for a
 *       transport future there deadlocks the client.</li>
 *   <li>Publishing more than {@code maxInflight} QoS 1/2 messages at once fails the future
 *       (Paho reason code 32202), as does publishing while disconnected unless the host enabled
 *       Paho's offline buffer.</li>
 * </ul>
 */
public final class PahoTransport implements MqttTransport {
    private final IMqttAsyncClient client;
    private final TransportEvents events;

    private PahoTransport(IMqttAsyncClient client) {
        this.client = client;
        this.events = new TransportEvents(client.isConnected());
    }

    /**
     * Wraps {@code client}, connected or not, and sets the adapter as its callback.
     */
    public static PahoTransport of(IMqttAsyncClient client) {
        Objects.requireNonNull(client, "client must not be null");
        PahoTransport transport = new PahoTransport(client);
        client.setCallback(transport.new Callback());
        return transport;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos) {
        TransportResults.checkPublish(topic, payload, qos);
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            // Paho checks the topic (IllegalArgumentException) before anything else.
            client.publish(topic, payload, qos.code(), false, null, completing(result, token -> null));
        } catch (MqttException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos) {
        TransportResults.checkSubscribe(topicFilter, qos);
        CompletableFuture<MqttQos> result = new CompletableFuture<>();
        try {
            client.subscribe(topicFilter, qos.code(), null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    // Paho reports a refused subscription (SUBACK 0x80) as a success.
                    int[] granted = token.getGrantedQos();
                    int code = granted != null && granted.length == 1 ? granted[0] : TransportResults.REFUSED;
                    TransportResults.completeGranted(result, topicFilter, code);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable exception) {
                    result.completeExceptionally(exception);
                }
            });
        } catch (MqttException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String topicFilter) {
        Objects.requireNonNull(topicFilter, "topicFilter must not be null");
        CompletableFuture<Void> result = new CompletableFuture<>();
        try {
            client.unsubscribe(topicFilter, null, completing(result, token -> null));
        } catch (MqttException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    @Override
    public void setListener(Listener listener) {
        events.setListener(listener);
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public String toString() {
        return "PahoTransport[" + client.getClientId() + "]";
    }

    private static <T> IMqttActionListener completing(CompletableFuture<T> result, Function<IMqttToken, T> value) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                result.complete(value.apply(token));
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                result.completeExceptionally(exception);
            }
        };
    }

    /** Paho's single callback slot; every method returns normally, whatever the listener does. */
    private final class Callback implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            events.connected(SessionPresence.UNKNOWN);
        }

        @Override
        public void connectionLost(Throwable cause) {
            events.connectionLost(cause != null ? cause : new MqttException(MqttException.REASON_CODE_CONNECTION_LOST));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            events.message(new InboundMessage(topic, message.getPayload(), MqttQos.of(message.getQos()),
                    message.isRetained(), message.isDuplicate()));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // Completions go through each publish's own action listener.
        }
    }
}
