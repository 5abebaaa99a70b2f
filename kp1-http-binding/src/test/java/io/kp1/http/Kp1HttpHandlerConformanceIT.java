package io.kp1.http;

import io.kp1.http.testing.TestServers;
import io.kp1.server.Router;

/** {@link Kp1HttpHandler} on the JDK HTTP server passes the black-box HTTP server contract. */
class Kp1HttpHandlerConformanceIT extends OurServerHttpConformance {
    @Override
    TestServers.Running start(Router router) throws Exception {
        return TestServers.jdk(router, false);
    }
}
