package io.kp1.extension.internal;

import io.kp1.extension.ExtensionRoutes;
import io.kp1.server.Router;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An {@link ExtensionRoutes} made of a fixed table. */
public final class SimpleRoutes implements ExtensionRoutes {
    private final String defaultInstance;
    private final Map<String, Router.Handler> handlers = new LinkedHashMap<>();

    public SimpleRoutes(String defaultInstance) {
        this.defaultInstance = defaultInstance;
    }

    /** Adds a route while building; returns this. */
    public SimpleRoutes on(String pattern, Router.Handler handler) {
        handlers.put(pattern, handler);
        return this;
    }

    @Override
    public String defaultInstance() {
        return defaultInstance;
    }

    @Override
    public Map<String, Router.Handler> handlers() {
        return Collections.unmodifiableMap(handlers);
    }

    @Override
    public String toString() {
        return "ExtensionRoutes[" + defaultInstance + " " + handlers.keySet() + "]";
    }
}
