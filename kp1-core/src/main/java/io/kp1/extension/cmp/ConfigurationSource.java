package io.kp1.extension.cmp;

import io.kp1.server.Request;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The server side of 7/CMP: the current configuration of each endpoint, and the reports of
 * applied or rejected configurations. Plug it into a router with
 * {@link Configuration#routes(ConfigurationSource)}.
 *
 * <pre>{@code
 * ConfigurationSource source = (request, name, body) ->
 *         configs.current(request.appVersion(), request.endpointToken(), name)   // CompletionStage<ConfigResponse>
 *                .thenApply(c -> c == null ? ConfigResponse.absent() : ConfigResponse.of(c.id(), c.body()));
 * Configuration.routes(source).addTo(routerBuilder);   // /config/json[/<name>], /applied/json[/<name>] under "cmx"
 * }</pre>
 *
 * <p>The source only says what the configuration is; the routes compare it with the request's
 * {@code configId} and answer {@code {}} ("unchanged") when they are equal, over MQTT and HTTP
 * alike. The routes answer each request once: pushing later changes to observers (K11) is not
 * theirs to do; a service that wants to can publish {@link ConfigResponse#toJson()} on the reply
 * topic itself.
 *
 * <p>Methods may throw, or fail their stage with, {@link io.kp1.extension.Kp1ErrorException}
 * to answer that error; any other failure, a null stage or a null value answers 500.
 */
@FunctionalInterface
public interface ConfigurationSource {
    /**
     * The configuration currently assigned to the endpoint: {@link ConfigResponse#of},
     * {@link ConfigResponse#absent()} when there is none, or {@link ConfigResponse#unchanged()}
     * if the source decides itself.
     *
     * @param name the configuration name: {@code ""} for the default configuration
     *             ({@code /config/json}), else the name from {@code /config/json/<name>},
     *             which matches {@code ^[a-zA-Z0-9_-]+$}
     * @param body the request: the endpoint's {@code configId} and {@code observe} flag; a source
     *             may treat a {@code configId} as applied (7/CMP "implicit configuration application")
     */
    CompletionStage<ConfigResponse> current(Request request, String name, ConfigRequest body) throws Exception;

    /**
     * A report of an applied or rejected configuration; by default ignored.
     *
     * @param name as for {@link #current}
     */
    default CompletionStage<Void> applied(Request request, String name, AppliedReport report) throws Exception {
        return CompletableFuture.completedFuture(null);
    }
}
