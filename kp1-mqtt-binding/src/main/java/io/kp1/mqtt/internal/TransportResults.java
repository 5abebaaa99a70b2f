package io.kp1.mqtt.internal;

import io.kp1.mqtt.MqttQos;
import io.kp1.mqtt.MqttSubscriptionRefusedException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The argument checks and future completions every {@link io.kp1.mqtt.MqttTransport} adapter
 * shares, whatever its client library, so that all adapters check, grant and refuse alike.
 *
 * <pre>{@code
 * TransportResults.checkSubscribe(topicFilter, qos);
 * CompletableFuture<MqttQos> result = new CompletableFuture<>();
 * // when the client reports the SUBACK code:
 * TransportResults.completeGranted(result, topicFilter, code);
 * }</pre>
 */
public final class TransportResults {
    /** The SUBACK code taken when a client reports no single code: a refusal (MQTT 3.1.1 0x80). */
    public static final int REFUSED = 0x80;

    private TransportResults() {
    }

    /** The null checks of {@code MqttTransport.publish}. */
    public static void checkPublish(String topic, byte[] payload, MqttQos qos) {
        Objects.requireNonNull(topic, "topic must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        Objects.requireNonNull(qos, "qos must not be null");
    }

    /** The null checks of {@code MqttTransport.subscribe}. */
    public static void checkSubscribe(String topicFilter, MqttQos qos) {
        Objects.requireNonNull(topicFilter, "topicFilter must not be null");
        Objects.requireNonNull(qos, "qos must not be null");
    }

    /**
     * The checks of {@code MqttTransport.subscribeNoLocal}: those of {@link #checkSubscribe}, and no
     * shared subscription, on which MQTT 5 makes No Local a protocol error (3.8.3.1).
     */
    public static void checkNoLocal(String topicFilter, MqttQos qos) {
        checkSubscribe(topicFilter, qos);
        if (topicFilter.startsWith(ServerTopics.SHARE_PREFIX)) {
            throw new IllegalArgumentException("No Local on the shared subscription " + Topics.redact(topicFilter)
                    + ": MQTT 5 forbids it (3.8.3.1); subscribe without it");
        }
    }

    /**
     * Completes {@code result} with the granted QoS of a SUBACK code 0-2, or fails it with an
     * {@link MqttSubscriptionRefusedException} for any other code (clients report some refusals
     * as successes).
     */
    public static void completeGranted(CompletableFuture<MqttQos> result, String topicFilter, int code) {
        if (code >= 0 && code <= 2) {
            result.complete(MqttQos.of(code));
        } else {
            result.completeExceptionally(new MqttSubscriptionRefusedException(topicFilter, code, null));
        }
    }

    /**
     * A {@code whenComplete} action for a client's SUBACK future: a failure that {@code refusal}
     * turns into an {@link MqttSubscriptionRefusedException} (the client's own SUBACK exception)
     * fails {@code result} with that, any other failure fails it as it is (unwrapped), and a SUBACK
     * completes it as {@link #completeGranted} says with the code {@code code} reads.
     *
     * @param refusal the refusal for a failure, or null when the failure is not a refused SUBACK
     */
    public static <A> BiConsumer<A, Throwable> completingSubscribe(CompletableFuture<MqttQos> result, String topicFilter,
            ToIntFunction<A> code, Function<Throwable, MqttSubscriptionRefusedException> refusal) {
        return (subAck, e) -> {
            Throwable cause = e == null ? null : unwrap(e);
            MqttSubscriptionRefusedException refused = cause == null ? null : refusal.apply(cause);
            if (refused != null) {
                result.completeExceptionally(refused);
            } else if (cause != null) {
                result.completeExceptionally(cause);
            } else {
                completeGranted(result, topicFilter, code.applyAsInt(subAck));
            }
        };
    }

    /**
     * A {@code whenComplete} action that completes {@code result} with null, or fails it with the
     * failure, unwrapped.
     */
    public static <T> BiConsumer<T, Throwable> completingVoid(CompletableFuture<Void> result) {
        return (value, e) -> {
            if (e != null) {
                result.completeExceptionally(unwrap(e));
            } else {
                result.complete(null);
            }
        };
    }

    /** The cause of a {@link CompletionException}, or {@code e} itself. */
    public static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
