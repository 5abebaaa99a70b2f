package io.kp1.http.internal;

import io.kp1.InvalidTopicException;
import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.TopicParser;
import io.kp1.http.HttpAuthenticator;
import io.kp1.http.HttpServerOptions;
import io.kp1.server.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared server logic at the unit seam: an in-memory {@link HttpServerCore.Exchange}. The
 * real servers' behaviour is in {@code ServerContract}; here are the rows no container lets
 * through (malformed escapes, raw non-ASCII) and the helpers' edges.
 */
class HttpServerCoreTest {
    private static final Router ROUTER = Router.builder()
            .on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok(req.path().asString())))
            .build();
    private static final HttpServerCore CORE = new HttpServerCore(ROUTER, HttpServerOptions.defaults());

    /** A request as a container that lets everything through would hand it over. */
    private record FakeExchange(String method, String rawPath, byte[] bytes) implements HttpServerCore.Exchange {
        @Override
        public String header(String name) {
            return null;
        }

        @Override
        public long contentLength() {
            return bytes.length;
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public List<X509Certificate> peerCertificates() {
            return List.of();
        }
    }

    private static HttpServerCore.Response serve(String rawPath) {
        return CORE.handle(new FakeExchange("POST", rawPath, new byte[0]), HttpServerCore.Base.of("/"))
                .toCompletableFuture().join();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/kp1/app/dcx/JTjdbENzHh/%ZZ | 23 | '%' must be followed by two hex digits",
        "/kp1/app/dcx/JTjdbENzHh/a% | 24 | '%' must be followed by two hex digits",
        "/kp1/app/dcx/JTjdbENzHh/%C3%28 | 23 | the escaped bytes are not UTF-8",
        "/kp1/app/dcx/JTjdbENzHh/a b | 24 | character U+0020 must be percent-encoded",
        "/kp1/app/dcx/JTjdbENzHh/\u00e9 | 23 | character U+00E9 must be percent-encoded",
    })
    void handle_badSegment_400BadPercentEncoding_D9(String raw, int index, String detail) {
        HttpServerCore.Response r = serve(raw);
        assertThat(r.status()).isEqualTo(400);
        String quoted = raw.substring(1).replace("JTjdbENzHh", "JT******Hh");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"statusCode\":400,\"reasonPhrase\":"
                + "\"Invalid HTTP path \\\"" + quoted + "\\\": bad percent-encoding at index " + index + ", " + detail
                + " (D9)\"}");
    }

    @Test
    void handle_d9ChecksBeforeTopicRules_firstD9ProblemReported() {
        // An empty level (D3) comes first in the text, but the URL-level problem is reported.
        HttpServerCore.Response r = serve("/kp1/app/dcx/JTjdbENzHh//a%2Fb");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("segment decodes to contain '/'");
    }

    @Test
    void handle_validPath_routedWithDecodedPath() {
        HttpServerCore.Response r = serve("/kp1/app/dcx/JTjdbENzHh/json/7");
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("kp1/app/dcx/JTjdbENzHh/json");
    }

    @Test
    void resolve_acceptRequestIdZeroParser_idZeroIgnored_D1b() {
        HttpServerCore core = new HttpServerCore(ROUTER, HttpServerOptions.builder()
                .topicParser(TopicParser.builder().acceptRequestIdZero(true).build()).build());
        Object resolved = core.resolve("/kp1/app/dcx/tok/json/0", 1);
        assertThat(resolved).isEqualTo(ResourcePath.of("app", "dcx", "tok", "/json"));
    }

    @Test
    void resolve_tooLongPath_400TooLong_D4() {
        Object resolved = CORE.resolve("/kp1/app/dcx/tok/" + "a".repeat(70_000), 1);
        assertThat(resolved).isInstanceOf(InvalidTopicException.class);
        assertThat(((InvalidTopicException) resolved).reason()).isEqualTo(InvalidTopicException.Reason.TOO_LONG);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/kpc/kp1/a | /kpc | 5",
        "/%6Bpc/kp1/a | /kpc | 7",
        "/kpc/%6bp1/a | /kpc | 5",
        "/kp1/a | / | 1",
        "/a/b/kp1/x | /a/b/ | 5",
        "/kpcx/kp1/a | /kpc | -1",
        "/kpc/kp1 | /kpc | -1",
        "/kpc | /kpc | -1",
        "/kpc/kp2/a | /kpc | -1",
        "/kpc%2Fkp1/a | /kpc | -1",
        "/kpc/%ZZ/a | /kpc | -1",
        "* | / | -1",
    })
    void matchBase_segmentBySegment_D10(String raw, String base, int kp1Start) {
        assertThat(HttpServerCore.matchBase(raw, HttpServerCore.Base.of(base))).isEqualTo(kp1Start);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Z2F0ZXdheS03OnMzY3JldDrDvA== | gateway-7 | s3cret:\u00fc",
        "OnBhc3M= | '' | pass",
        "dXNlcjo= | user | ''",
    })
    void parseBasic_valid_splitAtFirstColon_K13(String token, String user, String password) {
        assertThat(HttpServerCore.parseBasic(token)).isEqualTo(new HttpAuthenticator.BasicCredentials(user, password));
    }

    @ParameterizedTest
    @CsvSource({"!!!", "bm9jb2xvbg==", "/w=="})
    void parseBasic_malformed_null_K13(String token) {
        assertThat(HttpServerCore.parseBasic(token)).isNull();
    }

    @Test
    void readBody_declaredLength_readExactly() throws IOException {
        assertThat(HttpServerCore.readBody(new ByteArrayInputStream(new byte[5]), 5, 10)).hasSize(5);
        assertThat(HttpServerCore.readBody(new ByteArrayInputStream(new byte[0]), 0, 10)).isEmpty();
    }

    @Test
    void readBody_streamLongerThanDeclared_null() throws IOException {
        assertThat(HttpServerCore.readBody(new ByteArrayInputStream(new byte[6]), 5, 10)).isNull();
    }

    @Test
    void readBody_streamShorterThanDeclared_throws() {
        assertThatThrownBy(() -> HttpServerCore.readBody(new ByteArrayInputStream(new byte[3]), 5, 10))
                .isInstanceOf(IOException.class).hasMessageContaining("3 of 5");
    }

    @Test
    void readBody_unknownLength_countedToLimitPlusOne() throws IOException {
        assertThat(HttpServerCore.readBody(new ByteArrayInputStream(new byte[10]), -1, 10)).hasSize(10);
        CountingStream eleven = new CountingStream(1_000_000);
        assertThat(HttpServerCore.readBody(eleven, -1, 10)).isNull();
        assertThat(eleven.read).as("bytes read past the limit").isLessThanOrEqualTo(8192 + 11);
    }

    /** An endless stream that counts what was read from it. */
    private static final class CountingStream extends InputStream {
        private final int size;
        int read;

        CountingStream(int size) {
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
            int n = Math.min(len, size - read);
            if (n <= 0) {
                return -1;
            }
            read += n;
            return n;
        }
    }
}
