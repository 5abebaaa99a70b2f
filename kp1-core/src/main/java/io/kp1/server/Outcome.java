package io.kp1.server;

import io.kp1.Reply;
import io.kp1.Topic;

import java.util.Optional;

/**
 * What a transport binding sends back for one routed {@link Request}: the router has already
 * applied the 1/KP reply rules, so a binding only moves bytes.
 *
 * <table>
 *   <caption>Outcomes (MQTT: K5, K6, K8, D2, D11; HTTP: D10)</caption>
 *   <tr><th>request</th><th>reply</th><th>{@code replyTopic()}</th><th>{@code httpStatus()}</th>
 *       <th>{@code payload()}</th></tr>
 *   <tr><td>MQTT {@code .../json/42}</td><td>success</td><td>{@code .../json/42/status}</td><td>200</td>
 *       <td>reply payload</td></tr>
 *   <tr><td>MQTT {@code .../json/042}</td><td>error 404</td><td>{@code .../json/042/error} (D2)</td><td>404</td>
 *       <td>K7 JSON</td></tr>
 *   <tr><td>MQTT {@code .../json} (no ID)</td><td>success</td><td>empty: nothing to publish (K6)</td><td>200</td>
 *       <td>reply payload</td></tr>
 *   <tr><td>MQTT {@code .../json} (no ID)</td><td>error</td><td>{@code .../json/error}, or empty when the
 *       router is built with {@code errorRepliesWithoutRequestId(false)} (D11)</td><td>the error's</td><td>K7 JSON</td></tr>
 *   <tr><td>HTTP</td><td>success</td><td>empty</td><td>200</td><td>reply payload, maybe empty</td></tr>
 *   <tr><td>HTTP</td><td>error</td><td>empty</td><td>the error's</td><td>K7 JSON</td></tr>
 * </table>
 *
 * <pre>{@code
 * // MQTT binding
 * router.route(Request.fromMqtt(topic, payload, qos)).thenAccept(out ->
 *         out.replyTopic().ifPresent(t -> transport.publish(t.name(), out.payload(), out.qos())));
 *
 * // HTTP binding (JDK HttpServer)
 * router.route(Request.fromHttp(path, body)).thenAccept(out -> {
 *     exchange.sendResponseHeaders(out.httpStatus(), out.payload().length == 0 ? -1 : out.payload().length);
 *     ...
 * });
 * }</pre>
 */
public final class Outcome {
    private final Reply reply;
    private final Topic replyTopic;
    private final int qos;
    private final byte[] payload;

    Outcome(Reply reply, Topic replyTopic, int qos) {
        this.reply = reply;
        this.replyTopic = replyTopic;
        this.qos = qos;
        // A reply relayed from elsewhere (Reply.received) may carry a payload that is not K7: re-encode it.
        this.payload = reply.isSuccess() || reply.topic().isEmpty() ? reply.payloadBytes() : reply.error().toJson();
    }

    /** The reply the handler gave, or the one the router made for a 404 or 500. */
    public Reply reply() {
        return reply;
    }

    /** Whether the reply is a success. */
    public boolean isSuccess() {
        return reply.isSuccess();
    }

    /**
     * MQTT: the topic to publish {@link #payload()} on, with {@link #qos()}: the request topic's
     * name as received plus {@code /status} or {@code /error} (K5, D2). Empty when nothing is to
     * be published: a success without request ID (K6), an error without request ID when the
     * router does not send those (D11), and every HTTP request.
     */
    public Optional<Topic> replyTopic() {
        return Optional.ofNullable(replyTopic);
    }

    /** MQTT: the QoS to publish the reply with, that of the request (K8); 0 for an HTTP request. */
    public int qos() {
        return qos;
    }

    /**
     * The bytes to send, over either transport: the success payload (possibly empty), or the K7
     * JSON error body. The array is not a copy: do not modify it.
     */
    public byte[] payload() {
        return payload;
    }

    /** HTTP: 200 for a success, the error's status code otherwise (D10). */
    public int httpStatus() {
        return reply.statusCode();
    }

    @Override
    public String toString() {
        return "Outcome[" + reply + ", " + (replyTopic == null ? "no publish" : "publish on " + replyTopic
                + " QoS " + qos) + "]";
    }
}
