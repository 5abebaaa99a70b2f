package io.kp1.http;

import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.http.testing.TestRouter;
import io.kp1.http.testing.TestServers;
import io.kp1.testkit.Kp1Arbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.http.HttpClient;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any resource path that can travel over HTTP (all but a digits-only last level, D8, and
 * {@code .} or {@code ..} levels, D9) survives the client's encoding, the server's decoding and
 * routing unchanged, non-ASCII and reserved characters included, on both server adapters. The
 * echo routes of {@link TestRouter} answer with the path the handler saw.
 */
class RoundTripProperties {
    private static TestServers.Running jdk;
    private static TestServers.Running jetty;
    private static Kp1HttpClient viaJdk;
    private static Kp1HttpClient viaJetty;

    @BeforeContainer
    static void start() throws Exception {
        TestRouter routes = new TestRouter();
        jdk = TestServers.jdk(routes.router(), false);
        jetty = TestServers.jetty(routes.router(), false);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        viaJdk = Kp1HttpClient.builder(http, jdk.uri("/kpc")).requestTimeout(Duration.ofSeconds(10)).build();
        viaJetty = Kp1HttpClient.builder(http, jetty.uri("/kpc")).requestTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterContainer
    static void stop() {
        if (jdk != null) {
            jdk.close();
        }
        if (jetty != null) {
            jetty.close();
        }
    }

    @Property(tries = 300)
    void anyPath_throughJdkServer_routedUnchanged_D9(@ForAll("httpPaths") ResourcePath path, @ForAll("payloads") String payload) {
        assertRoundTrip(viaJdk, path, payload);
    }

    @Property(tries = 300)
    void anyPath_throughServletOnJetty_routedUnchanged_D9(@ForAll("httpPaths") ResourcePath path,
            @ForAll("payloads") String payload) {
        assertRoundTrip(viaJetty, path, payload);
    }

    private static void assertRoundTrip(Kp1HttpClient client, ResourcePath path, String payload) {
        Reply r = client.request(path, payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)).join();
        assertThat(r.isSuccess()).as("%s -> %s", client.uriOf(path), r).isTrue();
        assertThat(r.payloadAsString()).isEqualTo(path.asString() + "\n" + payload);
    }

    /** Endpoint-aware paths over the echo extensions and endpoint-unaware ones (D7), levels from the conformance kit. */
    @Provide
    Arbitrary<ResourcePath> httpPaths() {
        Arbitrary<ResourcePath> aware = Combinators.combine(Kp1Arbitraries.levels(),
                        Arbitraries.of(TestRouter.ECHO_EXTENSIONS), Kp1Arbitraries.levels(),
                        Kp1Arbitraries.levels().list().ofMaxSize(4))
                .as((app, ext, token, segments) -> {
                    ResourcePath.Builder b = ResourcePath.builder(app, ext).endpointToken(token);
                    segments.forEach(b::addSegment);
                    return b.build();
                });
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, aware),
                        net.jqwik.api.Tuple.of(1, Kp1Arbitraries.endpointUnawarePaths()))
                .filter(p -> !p.endsWithDigitsLevel() && !hasDotLevel(p));
    }

    @Provide
    Arbitrary<String> payloads() {
        return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().ofMaxLength(64)
                .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)));
    }

    private static boolean hasDotLevel(ResourcePath p) {
        for (String level : p.asString().split("/")) {
            if (level.equals(".") || level.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
