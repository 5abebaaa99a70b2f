package io.kp1.http;

import io.kp1.http.testing.RawHttp;
import io.kp1.http.testing.TestRouter;
import io.kp1.http.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ServerContract} on the JDK HTTP server (and HTTPS server) with {@link Kp1HttpHandler}. */
class Kp1HttpHandlerIT extends ServerContract {
    @Override
    TestServers.Running start(TestRouter routes) throws IOException {
        return TestServers.jdk(routes.router(), true);
    }

    @Test
    void post_contextPrefixWithoutSegmentBoundary_404_D10() throws IOException {
        // The JDK server matches contexts by string prefix: /kpcx reaches the /kpc handler.
        assertK7(post("/kpcx/kp1/app/dcx/" + TestRouter.TOKEN + "/json", ""), 404,
                "Not found: 1/KP requests go to /kpc/kp1/<appVersion>/<extension>/... (D10)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%ZZ", "/%4", "/a%"})
    void post_malformedEscape_400ByTheJdkServerItself_D9(String rest) throws IOException {
        // java.net.URI refuses the request line, so the JDK server answers before any handler
        // (its own body); HttpPathsTest pins the decoder's answer for containers that pass it on.
        RawHttp.Response r = post(P + rest, "");
        assertThat(r.status()).isEqualTo(400);
    }

    @Test
    void post_encodedNul_400_D4() throws IOException {
        assertK7(post(P + "/a%00b", ""), 400, "Invalid 1/KP topic \"" + Q + "/a\\u0000b\": NUL character at index 24 (D4)");
    }
}
