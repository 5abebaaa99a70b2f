package io.kp1.http;

import io.kp1.http.servlet.Kp1Servlet;
import io.kp1.http.testing.RawHttp;
import io.kp1.http.testing.TestRouter;
import io.kp1.http.testing.TestServers;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
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

    @Test
    void jettyItself_refusesEncodedNulThenClosesWithoutSayingSo_D4() throws Exception {
        // Pins why TestServers' error handler adds "Connection: close": Jetty's parser refuses the
        // URI, answers an HTTP/1.1 client as if it spoke HTTP/1.0 (no "Connection: close"), then
        // closes. A pooling client reuses the connection for its next POST and gets no answer.
        // If this fails, Jetty says it itself now and the handler's line can go.
        Server jetty = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        jetty.start();
        try {
            RawHttp.Reused r = RawHttp.reuse(connector.getLocalPort(), "POST " + P + "/a%00b HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 2\r\n\r\n", "[]", false, SERVED_NEXT);
            assertThat(r.first().status()).isEqualTo(400);
            assertThat(r.first().header("Connection")).isNull();
            assertThat(r.second()).as("closed after its answer").isNull();
        } finally {
            jetty.stop();
        }
    }

    @Test
    void jettyItself_refusesEncodedNul_k7BodyAndConnectionClose_D4() throws IOException {
        RawHttp.Reused r = RawHttp.reuse(server.port(), "POST " + P + "/a%00b HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 2\r\n\r\n", "[]", false, SERVED_NEXT);
        assertK7(r.first(), 400, "Bad Request (refused by the servlet container)");
        assertThat(r.first().header("Connection")).isEqualTo("close");
        assertThat(r.second()).isNull();
    }
}
