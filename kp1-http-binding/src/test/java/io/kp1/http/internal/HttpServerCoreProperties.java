package io.kp1.http.internal;

import io.kp1.Reply;
import io.kp1.http.HttpServerOptions;
import io.kp1.server.Router;
import io.kp1.testkit.Kp1Arbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Properties of the shared server logic over generated wire input (D9, D10, D16). */
class HttpServerCoreProperties {
    private static final HttpServerCore CORE = new HttpServerCore(Router.builder()
            .on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok()))
            .build(), HttpServerOptions.defaults());

    private record Exchange(String rawPath) implements HttpServerCore.Exchange {
        @Override
        public String method() {
            return "POST";
        }

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

    private static HttpServerCore.Response serve(String raw) {
        return CORE.handle(new Exchange(raw), HttpServerCore.Base.of("/kpc")).toCompletableFuture().join();
    }

    /** A broken path after a real token: the error body quotes it redacted, never whole (D16). */
    @Property(tries = 500)
    void brokenPath_errorBodyNeverHoldsTheWholeToken_D16(@ForAll("tokens") String token, @ForAll("breaks") String broken) {
        HttpServerCore.Response r = serve("/kpc/kp1/app/dcx/" + token + broken);
        assertThat(r.status()).isIn(400, 404);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain(token);
    }

    /** Whatever the path, the core answers with a status, never an exception (wire input). */
    @Property(tries = 1000)
    void anyPath_answeredNeverThrown(@ForAll("rawPaths") String raw) {
        HttpServerCore.Response r = serve(raw);
        assertThat(r.status()).isBetween(200, 599);
    }

    @Provide
    Arbitrary<String> tokens() {
        // With a letter, so that a token cannot hide inside a generated request ID.
        return Kp1Arbitraries.endpointTokens().filter(t -> t.chars().anyMatch(Character::isLetter));
    }

    @Provide
    Arbitrary<String> breaks() {
        return Arbitraries.of("/a%2Fb", "/.", "/..", "/%2e", "/%C3%28", "/%ZZ", "/a b", "//json", "/json/",
                "/a+b", "/%23", "/%00", "/json/0", "/json/99999999999", "%2F/json", "%FF/json", "/\u00e9");
    }

    @Provide
    Arbitrary<String> rawPaths() {
        Arbitrary<String> noise = Arbitraries.strings()
                .withChars("/%.kp1cabdefABCDEF0123456789+#\u0000 \u00e9\uD83D\uDE00:;?")
                .ofMaxLength(40);
        return Arbitraries.oneOf(noise, noise.map(s -> "/kpc/kp1/" + s), noise.map(s -> "/kpc/kp1/app/dcx/tok/" + s),
                Kp1Arbitraries.anyStrings().map(s -> "/kpc/" + s));
    }
}
