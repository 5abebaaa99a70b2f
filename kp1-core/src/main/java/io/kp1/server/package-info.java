/**
 * The server side of 1/KP without a transport: a {@link io.kp1.server.Router} from extension
 * instance and resource pattern to handlers, the {@link io.kp1.server.Request} handlers see, and
 * the {@link io.kp1.server.Outcome} that tells a binding what to send back over MQTT (reply
 * topic and QoS: K5, K6, K8, D2, D11) or HTTP (status code and body: D10).
 *
 * <p>Arguments are never null unless a method says so.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok()))
 *         .on("cex", "/command/{type}", req -> commands(req.pathVariable("type")))
 *         .build();
 * Outcome out = router.route(Request.fromMqtt(Topic.parseRequest("kp1/app/dcx/tok/json/42"), body, 1))
 *         .toCompletableFuture().join();
 * out.replyTopic().get().name();   // kp1/app/dcx/tok/json/42/status
 * }</pre>
 */
package io.kp1.server;
