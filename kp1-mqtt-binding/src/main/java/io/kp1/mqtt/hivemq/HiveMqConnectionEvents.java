package io.kp1.mqtt.hivemq;

import com.hivemq.client.mqtt.MqttClientBuilderBase;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientConnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedListener;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.lifecycle.Mqtt3ClientConnectedContext;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientConnectedContext;
import io.kp1.mqtt.SessionPresence;
import io.kp1.mqtt.internal.TransportEvents;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HiveMQ client's connection events for one {@link HiveMqTransport}.
 *
 * <p>The HiveMQ MQTT Client takes its connected and disconnected listeners only in its builder,
 * before the client exists, while the transport needs a built client. So the host makes this
 * object first, adds it to the builder, and then hands both the client and this object to
 * {@link HiveMqTransport}:
 *
 * <pre>{@code
 * HiveMqConnectionEvents events = new HiveMqConnectionEvents();
 * Mqtt5AsyncClient client = events.addTo(Mqtt5Client.builder()
 *                 .identifier("gateway-1")
 *                 .serverHost("127.0.0.1").serverPort(1883)
 *                 .automaticReconnectWithDefaultConfig())
 *         .buildAsync();
 * MqttTransport transport = HiveMqTransport.of(client, events);
 * client.connect().join();
 * }</pre>
 *
 * <p>It reports a connection loss once (the client also calls its disconnected listener for each
 * failed reconnect attempt), reports nothing when the host disconnects on purpose, and reports
 * each connection with the CONNACK's session-present flag. One object serves one client.
 *
 * <p>Subscriptions after a session loss: {@code Kp1MqttClient} and {@code Kp1MqttServer} subscribe
 * again themselves to what they use, and only then publish what needs it. So these events turn
 * off the client's own restoring ({@code resubscribeIfSessionExpired(false)} on its reconnector):
 * left on, it made every subscription again, on top of the library's, so that each reconnection
 * without the session added one more entry per filter to the client's subscription tree (a heap
 * that grew for as long as the gateway ran), and brought back idle subscriptions the library had
 * let go. The client then ends its message callbacks with the session; the transport registers
 * its own again before the connection is reported.
 */
public final class HiveMqConnectionEvents implements MqttClientConnectedListener, MqttClientDisconnectedListener {
    // Made now, since the client may connect before the transport exists; it remembers the state.
    private final TransportEvents events = new TransportEvents(false);
    private final AtomicBoolean bound = new AtomicBoolean();
    private final AtomicBoolean connectedOnce = new AtomicBoolean();
    /** The transport's message callback registration, run again after a session ended. */
    private volatile Runnable listenAgain;

    /** An unbound set of events; add it to one client builder. */
    public HiveMqConnectionEvents() {
    }

    /**
     * Adds this object as connected and disconnected listener to {@code builder} (an
     * {@code Mqtt3ClientBuilder}, {@code Mqtt5ClientBuilder} or {@code MqttClientBuilder}).
     *
     * @return the builder, to go on building
     */
    public <B extends MqttClientBuilderBase<B>> B addTo(B builder) {
        return builder.addConnectedListener(this).addDisconnectedListener(this);
    }

    @Override
    public void onConnected(MqttClientConnectedContext context) {
        SessionPresence session = sessionPresence(context);
        Runnable listen = listenAgain;
        if (connectedOnce.getAndSet(true) && session != SessionPresence.PRESENT && listen != null) {
            // The session ended (the client cleared its flows, see onDisconnected): the callback is
            // registered on the event loop before anything the library subscribes from here on.
            listen.run();
        }
        events.connected(session);
    }

    @Override
    public void onDisconnected(MqttClientDisconnectedContext context) {
        // The library restores the subscriptions it uses (see the class comment).
        context.getReconnector().resubscribeIfSessionExpired(false);
        if (context.getSource() == MqttDisconnectSource.USER) {
            events.disconnected();
        } else {
            events.connectionLost(context.getCause());
        }
    }

    /** Sets what registers the transport's message callback again after the session ended. */
    void onSessionEnded(Runnable listenAgain) {
        this.listenAgain = listenAgain;
    }

    /** The state and listener slot for the transport; fails if another transport has it already. */
    TransportEvents bind() {
        if (!bound.compareAndSet(false, true)) {
            throw new IllegalStateException("These HiveMqConnectionEvents already serve a transport: make one per client");
        }
        return events;
    }

    private static SessionPresence sessionPresence(MqttClientConnectedContext context) {
        if (context instanceof Mqtt5ClientConnectedContext c5) {
            return SessionPresence.of(c5.getConnAck().isSessionPresent());
        }
        if (context instanceof Mqtt3ClientConnectedContext c3) {
            return SessionPresence.of(c3.getConnAck().isSessionPresent());
        }
        return SessionPresence.UNKNOWN;
    }
}
