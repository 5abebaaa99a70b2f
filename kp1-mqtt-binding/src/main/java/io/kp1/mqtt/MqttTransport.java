package io.kp1.mqtt;

import io.kp1.mqtt.internal.TransportResults;

import java.util.concurrent.CompletableFuture;

/**
 * What the 1/KP binding needs from an MQTT client: the SPI a host adapts its client to.
 *
 * <p>The host creates, configures and connects the client (server URI, TLS, credentials, session
 * and reconnect settings are its business); the transport only uses it. Adapters ship for Eclipse
 * Paho ({@code io.kp1.mqtt.paho.PahoTransport}) and the HiveMQ MQTT Client
 * ({@code io.kp1.mqtt.hivemq.HiveMqTransport}); another client needs one short class that passes
 * {@code io.kp1.mqtt.MqttTransportContract} from this module's tests jar.
 *
 * <pre>{@code
 * MqttAsyncClient paho = new MqttAsyncClient("ssl://broker:8883", "gateway-1", new MemoryPersistence());
 * MqttTransport transport = PahoTransport.of(paho);       // before connect: no event is missed
 * transport.setListener(new MqttTransport.Listener() {
 *     public void onMessage(InboundMessage m) { inbox.add(m); }
 *     public void onConnected(boolean reconnect, SessionPresence s) { if (reconnect) resubscribe(); }
 * });
 * paho.connect(options).waitForCompletion();
 * MqttQos granted = transport.subscribe("kp1/demo_v1/dcx/JTjdbENzHh/json/+/status", MqttQos.AT_LEAST_ONCE).join();
 * transport.publish("kp1/demo_v1/dcx/JTjdbENzHh/json/1", payload, MqttQos.AT_LEAST_ONCE);
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Completions.</b> Each operation returns at once with a future that completes when the
 *       broker acknowledged it: {@code publish} after PUBACK (QoS 1), PUBCOMP (QoS 2) or when the
 *       packet was handed to the network (QoS 0); {@code subscribe} after SUBACK, with the QoS the
 *       broker granted, or exceptionally with {@link MqttSubscriptionRefusedException} if it
 *       refused; {@code unsubscribe} after UNSUBACK. A failure (not connected, connection lost,
 *       client limits such as too many messages in flight) completes the future exceptionally; it
 *       is never thrown. Only bad arguments throw: {@code NullPointerException} for null,
 *       {@code IllegalArgumentException} for a topic or filter that MQTT forbids (a wildcard in a
 *       topic name, {@code a/#/b} as a filter).</li>
 *   <li><b>Threads.</b> Futures may complete, and listeners are called, on the client's own
 *       threads. Code there must not block: never {@code join()} a transport future inside a
 *       listener or a dependent stage (Paho, for one, would deadlock); hand work to an executor.</li>
 *   <li><b>Listener.</b> One listener at a time; set it before subscribing, or messages that arrive
 *       in between are dropped. Messages for every subscription of the client go to it. A listener
 *       must never be able to throw into the client's thread (that would drop the message and, in
 *       Paho, the connection): the 1/KP binding wraps its listeners so that they catch and log,
 *       and the shipped adapters guard every call as well. A host adapter should do the same.</li>
 *   <li><b>Payloads.</b> Arrays are not copied: {@code publish} must not change the array, and the
 *       caller must not change it until the future completes.</li>
 * </ul>
 */
public interface MqttTransport {

    /**
     * Publishes {@code payload} to {@code topic} (not retained).
     *
     * @return completes when the publish is acknowledged as described for its QoS
     * @throws IllegalArgumentException if {@code topic} is not a valid MQTT topic name
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, MqttQos qos);

    /**
     * Subscribes to {@code topicFilter} (wildcards {@code +} and {@code #} allowed) with a maximum
     * QoS of {@code qos}.
     *
     * @return completes after SUBACK with the QoS the broker granted (at most {@code qos}), or
     *     exceptionally with {@link MqttSubscriptionRefusedException} if the broker refused
     * @throws IllegalArgumentException if {@code topicFilter} is not a valid MQTT topic filter
     */
    CompletableFuture<MqttQos> subscribe(String topicFilter, MqttQos qos);

    /**
     * Subscribes as {@link #subscribe} does, and asks the broker not to send this connection its
     * own publishes on the filter: MQTT 5's No Local option (MQTT 5.0, 3.8.3.1). A 1/KP server
     * subscribed to {@code kp1/#} otherwise receives every reply it publishes. Transports whose
     * client cannot ask for it (MQTT 3.1.1) subscribe without it, and {@link #supportsNoLocal()}
     * says so: a caller must still expect its own messages back from them.
     *
     * <pre>{@code
     * transport.subscribeNoLocal("kp1/+/dcx/#", MqttQos.AT_LEAST_ONCE);   // no echo of our replies on MQTT 5
     * }</pre>
     *
     * @return as {@link #subscribe}
     * @throws IllegalArgumentException if {@code topicFilter} is not a valid MQTT topic filter, or
     *     is a shared subscription ({@code $share/...}), where MQTT 5 forbids No Local (3.8.3.1)
     */
    default CompletableFuture<MqttQos> subscribeNoLocal(String topicFilter, MqttQos qos) {
        TransportResults.checkNoLocal(topicFilter, qos);
        return subscribe(topicFilter, qos);
    }

    /**
     * Whether {@link #subscribeNoLocal} keeps this connection's own publishes away (MQTT 5); false
     * for clients that speak MQTT 3.1.1, whose {@code subscribeNoLocal} is a plain subscribe.
     */
    default boolean supportsNoLocal() {
        return false;
    }

    /**
     * Removes the subscription to {@code topicFilter}, written exactly as when subscribing.
     *
     * @return completes after UNSUBACK; from then on no message arrives for that filter alone
     * @throws IllegalArgumentException if {@code topicFilter} is not a valid MQTT topic filter
     */
    CompletableFuture<Void> unsubscribe(String topicFilter);

    /**
     * Sets the listener for messages and connection events, replacing the previous one;
     * {@code null} removes it (events are then dropped).
     */
    void setListener(Listener listener);

    /** Whether the client is connected right now. */
    boolean isConnected();

    /**
     * Receives what a {@link MqttTransport} reports. Only {@link #onMessage} is required.
     *
     * <pre>{@code
     * transport.setListener(m -> queue.offer(m));   // messages only
     * }</pre>
     *
     * <p>Calls come on the client's threads, one at a time per client for messages. They must be
     * quick and must not block (see the transport's contract) and should not throw: what they throw
     * is caught and logged, and the message is lost to this listener.
     */
    @FunctionalInterface
    interface Listener {
        /** A message arrived for one of the client's subscriptions. */
        void onMessage(InboundMessage message);

        /**
         * The connection broke (network error, broker gone, keep-alive timeout): not called when
         * the host disconnects on purpose. Futures of operations in flight may fail; a client set
         * to reconnect automatically then reports {@link #onConnected} with {@code reconnect} true.
         *
         * @param cause the client's reason, never null
         */
        default void onConnectionLost(Throwable cause) {
        }

        /**
         * The client connected: for the first time since the transport was created
         * ({@code reconnect} false), or again after a loss ({@code reconnect} true).
         *
         * @param session whether the broker kept the session; on {@link SessionPresence#PRESENT}
         *     the subscriptions are still in place, otherwise subscribe again
         */
        default void onConnected(boolean reconnect, SessionPresence session) {
        }
    }
}
