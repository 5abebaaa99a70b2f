package io.kp1.http.internal;

import io.kp1.ErrorResponse;
import io.kp1.ResourcePath;
import io.kp1.http.testing.TestRouter;
import io.kp1.testkit.Kp1Arbitraries;
import io.kp1.testkit.Kp1Arbitraries.InvalidHttpPath;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP path labels of the conformance kit hold for our server logic: every path of
 * {@link Kp1Arbitraries#httpPaths} reaches its handler with exactly its resource path, every
 * {@link InvalidHttpPath} gets the status and rule of its label (D9, D10, D1, D3, D4).
 */
class HttpPathConformanceProperties {
    private static final HttpServerCore CORE = new HttpServerCore(new TestRouter().router(), TestRouter.plainOptions());

    private record Post(String rawPath) implements HttpServerCore.Exchange {
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

    private static HttpServerCore.Response post(String path) {
        return CORE.handle(new Post("/kpc" + path), HttpServerCore.Base.of("/kpc")).toCompletableFuture().join();
    }

    @Property(tries = 500)
    void validHttpPath_reachesHandlerWithItsResourcePath_D9(@ForAll("echoPaths") ResourcePath path) {
        HttpServerCore.Response r = post(Kp1Arbitraries.httpPath(path));
        assertThat(r.status()).as("%s", path).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(path.asString() + "\n");
    }

    @Property(tries = 1000)
    void invalidHttpPath_refusedWithTheStatusAndRuleOfItsLabel(@ForAll("invalid") InvalidHttpPath bad) {
        Statistics.collect(bad.rule());
        HttpServerCore.Response r = post(bad.path());
        assertThat(r.status()).as("%s", bad).isEqualTo(bad.rule().status());
        assertThat(ErrorResponse.fromJson(r.body()).reasonPhrase()).as("%s", bad).endsWith("(" + bad.rule().rule() + ")");
    }

    @Provide
    Arbitrary<ResourcePath> echoPaths() {
        return Combinators.combine(Kp1Arbitraries.levels(), Arbitraries.of(TestRouter.ECHO_EXTENSIONS),
                        Kp1Arbitraries.endpointTokens(), Kp1Arbitraries.levels().list().ofMaxSize(4))
                .as((app, ext, token, segments) -> {
                    ResourcePath.Builder b = ResourcePath.builder(app, ext).endpointToken(token);
                    segments.forEach(b::addSegment);
                    return b.build();
                })
                .filter(Kp1Arbitraries::isHttpExpressible);
    }

    @Provide
    Arbitrary<InvalidHttpPath> invalid() {
        return Kp1Arbitraries.invalidHttpPaths();
    }
}
