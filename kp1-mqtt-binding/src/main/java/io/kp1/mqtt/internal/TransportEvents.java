package io.kp1.mqtt.internal;

import io.kp1.mqtt.InboundMessage;
import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.SessionPresence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener slot of an adapter and the connection state it reports from: adapters feed it what
 * their client says, and it calls the current listener, catching whatever that throws so that
 * nothing reaches the client's thread.
 *
 * <p>Clients report more than the SPI promises (the HiveMQ client calls its disconnected listener
 * for every failed reconnect attempt too), so a loss is reported only while connected, and
 * {@code reconnect} is true for every connection after the first one this object saw.
 *
 * <pre>{@code
 * TransportEvents events = new TransportEvents(client.isConnected());
 * // in the client's callbacks:
 * events.message(new InboundMessage(topic, payload, qos, retained, dup));
 * events.connectionLost(cause);
 * events.connected(SessionPresence.UNKNOWN);
 * }</pre>
 */
public final class TransportEvents {
    private static final Logger LOG = LoggerFactory.getLogger(TransportEvents.class);

    private volatile MqttTransport.Listener listener;
    private boolean everConnected;
    private boolean connected;

    /** @param connectedNow whether the client is connected already when the transport is made */
    public TransportEvents(boolean connectedNow) {
        this.everConnected = connectedNow;
        this.connected = connectedNow;
    }

    /** Replaces the listener; null drops events. */
    public void setListener(MqttTransport.Listener listener) {
        this.listener = listener;
    }

    /** Hands a message to the listener; never throws. */
    public void message(InboundMessage message) {
        MqttTransport.Listener l = listener;
        if (l == null) {
            LOG.debug("No listener: dropped {}", message);
            return;
        }
        try {
            l.onMessage(message);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            LOG.warn("MqttTransport listener threw on {}; the message is lost to it", message, t);
        }
    }

    /** The client connected; {@code reconnect} is worked out here. Never throws. */
    public void connected(SessionPresence session) {
        boolean reconnect;
        synchronized (this) {
            reconnect = everConnected;
            everConnected = true;
            connected = true;
        }
        MqttTransport.Listener l = listener;
        if (l == null) {
            return;
        }
        try {
            l.onConnected(reconnect, session);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            LOG.warn("MqttTransport listener threw on onConnected(reconnect={}, {})", reconnect, session, t);
        }
    }

    /** The connection broke; reported once per connection. Never throws. */
    public void connectionLost(Throwable cause) {
        synchronized (this) {
            if (!connected) {
                return;
            }
            connected = false;
        }
        MqttTransport.Listener l = listener;
        if (l == null) {
            return;
        }
        try {
            l.onConnectionLost(cause);
        } catch (Throwable t) {
            rethrowIfFatal(t);
            LOG.warn("MqttTransport listener threw on onConnectionLost", t);
        }
    }

    /** Whether the last event was a connection (and no loss or disconnection since). */
    public synchronized boolean isConnected() {
        return connected;
    }

    /** The host closed the connection on purpose: not a loss, but the next connection is a reconnect. */
    public synchronized void disconnected() {
        connected = false;
    }

    private static void rethrowIfFatal(Throwable t) {
        // Out of memory and the like: nothing sensible goes on after these.
        if (t instanceof VirtualMachineError e) {
            throw e;
        }
    }
}
