package io.kp1.extension;

import io.kp1.server.Router;

import java.util.Map;
import java.util.Objects;

/**
 * The routes of one typed extension protocol, ready to add to a {@link Router.Builder}: what
 * {@code DataCollection.routes(sink)}, {@code Metadata.routes(store)},
 * {@code Configuration.routes(source)} and {@code Commands.routes(queue)} return.
 *
 * <pre>{@code
 * Router.Builder b = Router.builder();
 * Metadata.routes(store).addTo(b);                    // under "epmx"
 * Commands.routes(queue).addTo(b, "cex2");            // under another instance name
 * ExtensionRoutes dcp = DataCollection.routes(sink);  // or one application version only:
 * dcp.handlers().forEach((pattern, h) -> b.onAppVersion("kettle_v2", "dcx", pattern, h));
 * Router router = b.build();
 * }</pre>
 */
public interface ExtensionRoutes {
    /** The usual extension instance name: {@code dcx}, {@code epmx}, {@code cmx} or {@code cex}. */
    String defaultInstance();

    /** The handlers by resource pattern (see {@link Router}), in declaration order. */
    Map<String, Router.Handler> handlers();

    /** Adds the routes under {@link #defaultInstance()}; returns the builder. */
    default Router.Builder addTo(Router.Builder builder) {
        return addTo(builder, defaultInstance());
    }

    /**
     * Adds the routes under {@code instance}; returns the builder.
     *
     * @throws IllegalArgumentException for an invalid instance name, or a route the builder
     *                                  already has
     */
    default Router.Builder addTo(Router.Builder builder, String instance) {
        Objects.requireNonNull(builder, "builder must not be null");
        handlers().forEach((pattern, handler) -> builder.on(instance, pattern, handler));
        return builder;
    }
}
