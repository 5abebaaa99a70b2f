package io.kp1.client;

import io.kp1.Reply;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One endpoint's view of a 1/KP client connection: the handle a gateway or device program uses
 * to talk to extension instances, whichever transport carries it. The MQTT binding's gateway
 * client and the HTTP binding's client both hand out {@code Endpoint}s, so code written against
 * this interface (such as the typed extension facades) runs over either.
 *
 * <pre>{@code
 * Endpoint kettle = client.endpoint("smart_kettle_v1", "JTjdbENzHh");
 * kettle.send("dcx", "/json", "[{\"temperature\":97}]");                 // fire and forget (K6)
 * Reply r = kettle.request("epmx", "/get/keys", new byte[0]).join();      // a reply or an error reply
 * if (kettle.supportsObserve()) {
 *     Observation o = kettle.observe("cmx", "/config/json", "{\"observe\":true}".getBytes(UTF_8),
 *             reply -> apply(reply));                                     // K11, MQTT only
 * }
 * }</pre>
 *
 * <p>Futures complete normally with the {@link Reply}, success or error (K7); they complete
 * exceptionally only when no reply came: a timeout, a lost connection, a transport failure or a
 * cancellation (D14). Arguments are checked at once and bad ones throw
 * {@link IllegalArgumentException} naming the rule, before anything is sent. Implementations are
 * thread-safe.
 */
public interface Endpoint {
    /** The application version name (K1). */
    String appVersion();

    /** The endpoint token; a secret-like value, never logged whole (D16). */
    String endpointToken();

    /**
     * Sends a request and completes with its reply. Over MQTT a request ID is allocated (K4) and the
     * reply is matched on {@code /status} or {@code /error} (K5, D12); over HTTP the response is the
     * reply (K12).
     *
     * @param extension the extension instance name, e.g. {@code "dcx"}
     * @param resource  the resource relative to the extension, e.g. {@code "/json"} (K14)
     * @param payload   the request payload (K9); not copied, do not modify it afterwards
     */
    CompletableFuture<Reply> request(String extension, String resource, byte[] payload);

    /** {@link #request(String, String, byte[])} with a UTF-8 text payload. */
    default CompletableFuture<Reply> request(String extension, String resource, String payload) {
        return request(extension, resource, payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends a fire-and-forget request: no request ID, no success reply (K6). Completes when the
     * transport has taken the message (MQTT: the publish completed at its QoS; HTTP: the response
     * arrived, and an error status completes it exceptionally).
     */
    CompletableFuture<Void> send(String extension, String resource, byte[] payload);

    /** {@link #send(String, String, byte[])} with a UTF-8 text payload. */
    default CompletableFuture<Void> send(String extension, String resource, String payload) {
        return send(extension, resource, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@link #observe} and {@link #onPush} work on this transport (MQTT yes, HTTP no: K12). */
    boolean supportsObserve();

    /**
     * Sends a request whose resource may answer many times (K11: 7/CMP configuration, 11/CEP
     * commands) and hands every reply to {@code listener} until the observation ends: on an
     * {@code /error} reply, on {@link Observation#cancel()}, or on connection loss (D13).
     *
     * @throws UnsupportedOperationException on a transport without server push (HTTP, K12)
     */
    Observation observe(String extension, String resource, byte[] payload, Consumer<? super Reply> listener);

    /**
     * Listens for server pushes on {@code <resource topic>/status} and {@code /error} that answer no
     * request (K11), e.g. 11/CEP commands pushed on {@code .../command/reboot/status}.
     *
     * @throws UnsupportedOperationException on a transport without server push (HTTP, K12)
     */
    Observation onPush(String extension, String resource, Consumer<? super Reply> listener);
}
