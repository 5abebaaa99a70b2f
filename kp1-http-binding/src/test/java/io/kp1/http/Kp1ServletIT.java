package io.kp1.http;

import io.kp1.http.servlet.Kp1Servlet;
import io.kp1.http.testing.RawHttp;
import io.kp1.http.testing.TestRouter;
import io.kp1.http.testing.TestServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ServerContract} on Jetty 12 (ee10) with {@link Kp1Servlet}, over HTTP and HTTPS. */
class Kp1ServletIT extends ServerContract {
    @Override
    TestServers.Running start(TestRouter routes) throws Exception {
        return TestServers.jetty(routes.router(), true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%ZZ", "/%4", "/a%", "/a%00b"})
    void post_malformedEscapeOrEncodedNul_400ByJettyItself_D9_D4(String rest) throws IOException {
        // Jetty refuses these URIs before any servlet runs, even with UriCompliance.UNSAFE (its
        // own body); HttpPathsTest and the JDK server's test pin this library's own answers.
        RawHttp.Response r = post(P + rest, "");
        assertThat(r.status()).isEqualTo(400);
    }
}
