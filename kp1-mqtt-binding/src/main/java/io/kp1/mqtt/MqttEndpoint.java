package io.kp1.mqtt;

import io.kp1.Reply;
import io.kp1.client.Endpoint;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One endpoint of a {@link Kp1MqttClient}: the transport-neutral {@link Endpoint} with the MQTT
 * choices a call can make, QoS (K8) and timeout, as views that share the endpoint's limits.
 *
 * <pre>{@code
 * MqttEndpoint kettle = client.endpoint("smart_kettle_v1", "JTjdbENzHh");
 * kettle.send("dcx", "/json", "[{\"temperature\":97}]");                     // QoS of the client
 * kettle.withQos(MqttQos.AT_MOST_ONCE).send("dcx", "/json", samples);         // this call at QoS 0
 * Reply keys = kettle.withRequestTimeout(Duration.ofSeconds(2))
 *         .request("epmx", "/get/keys", new byte[0]).join();                  // at most ~2 s
 * }</pre>
 *
 * <p>Every future ends (D14): with the reply, or exceptionally with a
 * {@link io.kp1.correlation.CorrelationException} (timeout, connection loss, the client's limit
 * of pending requests) or a {@link Kp1MqttClientException} (closed, endpoint queue full,
 * subscription refused, publish failed). So {@code join()} returns within about the request
 * timeout; call it from your own threads, never from a transport or future callback thread.
 * Futures complete, and listeners run, on the transport's thread: keep them short.
 */
public interface MqttEndpoint extends Endpoint {
    /** The QoS requests, sends and observe requests go out with (K8: replies come back with it). */
    MqttQos qos();

    /** How long a request waits for its reply, queueing included; for observations, the first reply. */
    Duration requestTimeout();

    /** A view of this endpoint whose calls use {@code qos}; same endpoint, same limits. */
    MqttEndpoint withQos(MqttQos qos);

    /**
     * A view of this endpoint whose requests wait {@code timeout} for their reply; same endpoint,
     * same limits.
     *
     * @throws IllegalArgumentException unless {@code timeout} is positive
     */
    MqttEndpoint withRequestTimeout(Duration timeout);

    /** MQTT carries server push: true. */
    @Override
    default boolean supportsObserve() {
        return true;
    }

    /**
     * {@inheritDoc}
     *
     * <p>The listener hears the first reply and every later one on the request's reply topics
     * (K11). The observation ends on an {@code /error} reply (its {@code ended()} fails with an
     * {@link io.kp1.extension.Kp1ErrorException}), on {@code cancel()}, when no first reply came
     * within the request timeout, or on connection loss unless the client keeps observations
     * (D13). It holds one of the endpoint's in-flight slots until its first reply.
     */
    @Override
    MqttObservation observe(String extension, String resource, byte[] payload, Consumer<? super Reply> listener);

    /**
     * {@inheritDoc}
     *
     * <p>Both {@code /status} and {@code /error} pushes are delivered; an {@code /error} push
     * (such as a fire-and-forget request's error reply, D11) ends the listener after delivering it.
     * It also ends on {@code cancel()}, and on connection loss unless the client keeps observations.
     */
    @Override
    MqttObservation onPush(String extension, String resource, Consumer<? super Reply> listener);
}
