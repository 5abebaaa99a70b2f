package io.kp1.http.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kp1.ErrorResponse;
import io.kp1.Reply;
import io.kp1.http.HttpServerOptions;
import io.kp1.server.Router;
import io.kp1.testkit.FuzzText;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz test of HTTP path handling (D9, D10) without a socket: the fuzzer's text is the raw
 * path of a POST handed to {@link HttpServerCore}, under the root and under an encoded base path.
 * Corpus under {@code src/test/resources/io/kp1/http/internal/HttpPathFuzzTestInputs/servePath}.
 *
 * <p>Contract: never a 500 (the core turns any escaping exception into one); every error is 400,
 * 404 or 405 with a K7 payload whose status is the HTTP status; a 200 echoes a path that is a
 * valid 1/KP resource path; a token never appears whole in the reply (D16); and every segment
 * {@link HttpPaths#decodeSegment} accepts, {@link HttpPaths#appendEncoded} encodes back to
 * text that decodes to the same segment.
 */
class HttpPathFuzzTest {
    private static final String SECRET = "JTjdbENzHhSECRETtok";
    private static final String SECRET_CORE = SECRET.substring(2, SECRET.length() - 2);
    private static final Router ROUTER = Router.builder()
            .on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok(req.path().resource())))
            .build();
    private static final HttpServerCore CORE = new HttpServerCore(ROUTER, HttpServerOptions.defaults());
    private static final HttpServerCore.Base ROOT = HttpServerCore.Base.of("/");
    private static final HttpServerCore.Base API = HttpServerCore.Base.of("/api v1");

    private record FakeExchange(String method, String rawPath) implements HttpServerCore.Exchange {
        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public long contentLength() {
            return 0;
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public List<X509Certificate> peerCertificates() {
            return List.of();
        }
    }

    @FuzzTest(maxDuration = "10m")
    void servePath(byte[] bytes) {
        String raw = FuzzText.text(bytes);
        serve(raw, ROOT);
        serve("/api%20v1" + raw, API);
        String planted = serve("/kp1/demo_v1/dcx/" + SECRET + "/" + raw, ROOT);
        if (!raw.contains(SECRET_CORE)) {
            assertThat(planted).doesNotContain(SECRET);
        }
        // D9: each segment decodes strictly, and what decodes encodes back to the same segment.
        int[] errorAt = new int[1];
        String decoded = HttpPaths.decodeSegment(raw, 0, raw.length(), errorAt);
        if (decoded == null) {
            assertThat(errorAt[0]).isBetween(0, raw.length() - 1);
        } else {
            StringBuilder sb = new StringBuilder();
            HttpPaths.appendEncoded(sb, decoded);
            String encoded = sb.toString();
            assertThat(encoded).doesNotContain("/");
            assertThat(HttpPaths.decodeSegment(encoded, 0, encoded.length(), errorAt)).isEqualTo(decoded);
        }
    }

    /** Serves a POST to {@code raw}; returns the reply body as text. */
    private static String serve(String raw, HttpServerCore.Base base) {
        HttpServerCore.Response r = CORE.handle(new FakeExchange("POST", raw), base).toCompletableFuture().join();
        assertThat(r.status()).isIn(200, 400, 404);
        String body = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (r.status() != 200) {
            ErrorResponse e = ErrorResponse.fromJson(r.body());
            assertThat(e.statusCode()).isEqualTo(r.status());
        }
        return body;
    }
}
