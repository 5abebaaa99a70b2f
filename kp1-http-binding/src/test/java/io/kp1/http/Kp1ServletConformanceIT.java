package io.kp1.http;

import io.kp1.http.testing.TestServers;
import io.kp1.server.Router;

/** The servlet on Jetty 12 passes the black-box HTTP server contract. */
class Kp1ServletConformanceIT extends OurServerHttpConformance {
    @Override
    TestServers.Running start(Router router) throws Exception {
        return TestServers.jetty(router, false);
    }
}
