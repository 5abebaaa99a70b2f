package io.kp1.extension.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kp1.InvalidPayloadException;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.client.Observation;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.extension.PayloadLimits;
import io.kp1.server.internal.RedactedThrowable;
import org.slf4j.Logger;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Client side: what every typed facade holds (an extension instance of an endpoint, the payload
 * limits, the mapper for caller objects) and how it talks to it: requests whose error replies
 * become {@link Kp1ErrorException} (K7), and observations joined with a push subscription (K11).
 * Immutable; the {@code with...} methods return copies.
 *
 * <pre>{@code
 * ExtensionClient client = ExtensionClient.of(endpoint, "epmx").withLimits(limits);
 * client.request("/get/keys", new byte[0], r -> read(r.payloadBytes()));   // error reply: Kp1ErrorException
 * client.requestIgnoringPayload("/update", payload);                      // 10/EPMP: empty success
 * }</pre>
 */
public final class ExtensionClient {
    private final Endpoint endpoint;
    private final String instance;
    private final ObjectMapper mapper;
    private final PayloadLimits limits;

    private ExtensionClient(Endpoint endpoint, String instance, ObjectMapper mapper, PayloadLimits limits) {
        this.endpoint = endpoint;
        this.instance = instance;
        this.mapper = mapper;
        this.limits = limits;
    }

    /**
     * The instance of this endpoint, with the default limits and mapper.
     *
     * @throws IllegalArgumentException if {@code instance} is not a valid topic level (K1, D3, D4)
     */
    public static ExtensionClient of(Endpoint endpoint, String instance) {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        return new ExtensionClient(endpoint, Names.checkInstance(instance), StrictJson.defaultMapper(),
                PayloadLimits.DEFAULTS);
    }

    /** This client converting caller objects with {@code mapper}. */
    public ExtensionClient withMapper(ObjectMapper mapper) {
        return new ExtensionClient(endpoint, instance, Objects.requireNonNull(mapper, "mapper must not be null"),
                limits);
    }

    /** This client under {@code limits}. */
    public ExtensionClient withLimits(PayloadLimits limits) {
        return new ExtensionClient(endpoint, instance, mapper,
                Objects.requireNonNull(limits, "limits must not be null"));
    }

    /**
     * {@code t}, or a copy with this endpoint's token redacted in every message, for logging a
     * failure of the caller's own code (a listener, a handler) without leaking the token (D16).
     */
    public Throwable redacted(Throwable t) {
        return RedactedThrowable.of(t, endpoint.endpointToken());
    }

    /** The extension instance name. */
    public String instance() {
        return instance;
    }

    /** The limits payloads are read and written under. */
    public PayloadLimits limits() {
        return limits;
    }

    /**
     * A caller's value as a tree: a {@link JsonNode} as it is, anything else through the mapper.
     *
     * @param pointer where the value sits in the payload {@code what}, for the message
     * @throws InvalidPayloadException if the mapper cannot convert it
     */
    public JsonNode toTree(Object value, String what, String pointer, String rule) {
        if (value instanceof JsonNode) {
            return (JsonNode) value;
        }
        try {
            return mapper.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidPayloadException(what, pointer, "cannot convert a " + value.getClass().getName()
                    + " to JSON: " + e.getMessage(), rule, e);
        }
    }

    /** The reply as it comes, success or error. */
    public CompletableFuture<Reply> rawRequest(String resource, byte[] payload) {
        return endpoint.request(instance, resource, payload);
    }

    /**
     * Completes with {@code onSuccess} applied to a success reply; exceptionally with a
     * {@link Kp1ErrorException} for an error reply (K7), and with the {@link InvalidPayloadException}
     * that {@code onSuccess} throws for a payload that breaks the schema.
     */
    public <T> CompletableFuture<T> request(String resource, byte[] payload, Function<Reply, T> onSuccess) {
        return rawRequest(resource, payload).thenApply(r -> {
            if (!r.isSuccess()) {
                throw error(r, resource);
            }
            return onSuccess.apply(r);
        });
    }

    /** {@link #request} for a reply whose success payload is ignored (2/DCP, 10/EPMP updates, 7/CMP applied). */
    public CompletableFuture<Void> requestIgnoringPayload(String resource, byte[] payload) {
        return request(resource, payload, r -> null);
    }

    /** Sends without a request ID: no success reply (K6); see {@link Endpoint#send}. */
    public CompletableFuture<Void> send(String resource, byte[] payload) {
        return endpoint.send(instance, resource, payload);
    }

    /** The error of a reply as an exception naming this instance and {@code resource}. */
    public Kp1ErrorException error(Reply reply, String resource) {
        return new Kp1ErrorException(reply.error(), instance, resource);
    }

    /**
     * Checks that the endpoint can observe before anything is sent.
     *
     * @throws UnsupportedOperationException with {@code message} over a transport without push (K12)
     */
    public void requireObserve(String message) {
        if (!endpoint.supportsObserve()) {
            throw new UnsupportedOperationException(message);
        }
    }

    /**
     * Observes a resource (K11): sends {@code payload} as an observe request and listens both for
     * its replies and for pushes without request ID on {@code <resource>/status}. Each success
     * reply is read with {@code read} and handed to {@code onValue} on the delivery thread; one
     * that breaks its schema is logged at WARN on {@code log} and dropped; an error reply or
     * push ends the observation, whose {@code ended()} then fails with {@link Kp1ErrorException}
     * (D13). Call {@link #requireObserve} first.
     *
     * @param what what a delivery is, for the log: {@code "a 7/CMP configuration"}
     */
    public <T> Observation observe(String resource, byte[] payload, Function<Reply, T> read,
            Consumer<? super T> onValue, Logger log, String what) {
        JoinedObservation joined = new JoinedObservation();
        Consumer<Reply> onReply = reply -> {
            if (joined.isEnded()) {
                return;
            }
            if (!reply.isSuccess()) {
                joined.fail(error(reply, resource)); // D13, and pushed errors (KP1.md)
                return;
            }
            T value;
            try {
                value = read.apply(reply);
            } catch (InvalidPayloadException e) {
                log.warn("Dropped {} from {} {}: {}", what, instance, resource, e.getMessage());
                return;
            }
            onValue.accept(value);
        };
        try {
            joined.attach(endpoint.onPush(instance, resource, onReply));
            joined.attach(endpoint.observe(instance, resource, payload, onReply));
        } catch (RuntimeException e) {
            joined.cancel();
            throw e;
        }
        return joined;
    }
}
