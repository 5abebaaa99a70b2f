package io.kp1.http.internal;

import io.kp1.ErrorResponse;
import io.kp1.Reply;
import io.kp1.http.HttpServerOptions;
import io.kp1.server.Router;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resource limits of the HTTP server core (issue 7, "Bad input"), without a socket: the body
 * limit ({@link HttpServerOptions#maxBodyBytes}, 413, D10) whether the length is declared or
 * not, and the path length (400 {@code TOO_LONG}, D4). Floods of 100 over-limit requests read at
 * most the limit plus one byte each and never reach the router.
 */
class HttpLimitsTest {
    private static final int MAX = 1_000;
    private static final String PATH = "/kp1/demo_v1/dcx/JTjdbENzHh/json";

    private final AtomicInteger routed = new AtomicInteger();
    private final HttpServerCore core = new HttpServerCore(Router.builder()
            .on("dcx", "/json", req -> {
                routed.incrementAndGet();
                return CompletableFuture.completedFuture(Reply.ok());
            }).build(), HttpServerOptions.builder().maxBodyBytes(MAX).build());

    /** A body of {@code size} bytes that counts what the core reads of it. */
    private static final class Body extends InputStream {
        final long size;
        long read;

        Body(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (read >= size) {
                return -1;
            }
            read++;
            return 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - read);
            read += n;
            return n;
        }
    }

    private record Exchange(String rawPath, long contentLength, Body body) implements HttpServerCore.Exchange {
        @Override
        public String method() {
            return "POST";
        }

        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public List<X509Certificate> peerCertificates() {
            return List.of();
        }
    }

    private HttpServerCore.Response post(String path, long declared, Body body) {
        return core.handle(new Exchange(path, declared, body), HttpServerCore.Base.of("/")).toCompletableFuture().join();
    }

    @Test
    void handle_declaredLengthPastMaxBodyBytes_413BeforeReadingAByte_D10() {
        Body body = new Body(MAX + 1);

        HttpServerCore.Response r = post(PATH, MAX + 1, body);

        assertThat(r.status()).isEqualTo(413);
        assertThat(ErrorResponse.fromJson(r.body()).reasonPhrase())
                .isEqualTo("Request body of 1001 bytes is over the limit of 1000 bytes (D10)");
        assertThat(body.read).isZero();
        assertThat(routed).hasValue(0);
    }

    @Test
    void handle_100ChunkedBodiesOf100TimesTheLimit_each413_readingAtMostTheLimitPlusOne_D10() {
        for (int i = 0; i < 100; i++) {
            Body body = new Body(100L * MAX);

            HttpServerCore.Response r = post(PATH, -1, body);

            assertThat(r.status()).isEqualTo(413);
            assertThat(ErrorResponse.fromJson(r.body()).reasonPhrase())
                    .isEqualTo("Request body is over the limit of 1000 bytes (D10)");
            assertThat(body.read).isLessThanOrEqualTo(MAX + 1);
        }
        assertThat(routed).hasValue(0);
    }

    @Test
    void handle_bodyAtMaxBodyBytes_routed_D10() {
        assertThat(post(PATH, MAX, new Body(MAX)).status()).isEqualTo(200);
        assertThat(post(PATH, -1, new Body(MAX)).status()).isEqualTo(200);
        assertThat(routed).hasValue(2);
    }

    @Test
    void handle_pathPastTopicLength_400TooLongWithBoundedReason_D4() {
        String path = PATH + "/" + "a".repeat(65_536);

        HttpServerCore.Response r = post(path, 0, new Body(0));

        assertThat(r.status()).isEqualTo(400);
        String reason = ErrorResponse.fromJson(r.body()).reasonPhrase();
        assertThat(reason).contains("longer than 65535 UTF-8 bytes").endsWith("(D4)").hasSizeLessThan(500)
                .doesNotContain("JTjdbENzHh");
        assertThat(routed).hasValue(0);
    }
}
