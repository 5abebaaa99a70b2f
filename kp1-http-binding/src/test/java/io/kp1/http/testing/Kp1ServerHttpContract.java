package io.kp1.http.testing;

import io.kp1.testkit.Kp1ServerFacts;
import io.kp1.testkit.Kp1Arbitraries;
import io.kp1.testkit.Kp1Arbitraries.InvalidHttpPath;
import io.kp1.testkit.SchemaAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A black-box contract for any 1/KP server reachable over HTTP (K12): the JDK's
 * {@link HttpClient} (not this library's client, so that it judges fairly) posts requests and
 * checks the answers against KP1.md's rules: 200 for served requests, 404 with a K7 body for an
 * unknown extension, resource or a path not under {@code <base>/kp1/} (D10), a 4xx K7 body for a
 * malformed payload, 405 with {@code Allow: POST} for other methods, and 400 for paths that try
 * traversal ({@code ..}, {@code %2e%2e}), encoded slashes ({@code %2F}), U+0000, wildcards or
 * escapes that are not UTF-8 (D9, D4); a double-encoded dot or slash is decoded once only, so it
 * never reaches a served resource. Every error body is a K7 object valid against the RFC schema.
 *
 * <p>The host supplies only wire facts: the base URL, the application version, a valid endpoint
 * token, a few requests it serves, and one it refuses as malformed.
 *
 * <pre>{@code
 * class MyServerConformsIT extends Kp1ServerHttpContract {
 *     protected void startServer() { myServer.start(); }      // optional, before the first request
 *     protected URI baseUri() { return URI.create("http://127.0.0.1:8080/kpc"); }
 *     protected String appVersion() { return "kettle_v1"; }
 *     protected String endpointToken() { return "JTjdbENzHh"; }
 *     protected List<KnownRequest> knownRequests() {
 *         return List.of(new KnownRequest("dcx", "/json", "[{\"temperature\":23}]"));
 *     }
 *     protected KnownRequest malformedRequest() { return new KnownRequest("dcx", "/json", "[1] [2]"); }
 * }
 * }</pre>
 *
 * <p>Our own handler's exact messages and options (body limits, authentication) are tested by
 * the module's {@code ServerContract}; this suite checks only what any server must do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class Kp1ServerHttpContract extends Kp1ServerFacts {
    /** How many generated invalid paths {@link #labelledInvalidPath_refusedWithItsStatus} sends. */
    private static final int GENERATED_PATHS = 60;

    private HttpClient client;

    /** For subclasses. */
    protected Kp1ServerHttpContract() {
    }

    // ---------------------------------------------------------------- what the host supplies

    /** The base URL: 1/KP paths go to {@code <base>/kp1/...}, e.g. {@code http://127.0.0.1:8080/kpc}. */
    protected abstract URI baseUri();

    /** The client: HTTP/1.1, 10 s connect timeout; override for TLS (its {@code sslContext}) or a proxy. */
    protected HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    // ---------------------------------------------------------------- lifecycle

    @BeforeAll
    final void startClient() throws Exception {
        startServer();
        client = newHttpClient();
    }

    @AfterAll
    final void stopAll() throws Exception {
        stopServer();
    }

    // ---------------------------------------------------------------- 200, K12, D10

    List<KnownRequest> knownRequestsSource() {
        return knownRequests();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("knownRequestsSource")
    void knownRequest_post_200_K12_D10(KnownRequest k) throws Exception {
        HttpResponse<byte[]> r = httpPost(path(k), k.payload());
        assertThat(r.statusCode()).as("POST %s", path(k)).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH"})
    void otherMethod_405WithAllowPost_K12_D10(String method) throws Exception {
        KnownRequest k = knownRequests().get(0);
        HttpResponse<byte[]> r = send(path(k), method, k.payload());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).as("Allow header").hasValueSatisfying(v -> assertThat(v).contains("POST"));
    }

    // ---------------------------------------------------------------- 404, 4xx, K7

    @Test
    void unservedResource_404WithK7Body_D10() throws Exception {
        assertRule(httpPost(path(unservedResource()), unservedResource().payload()), 404, 404);
    }

    @Test
    void unservedExtension_404WithK7Body_D10() throws Exception {
        KnownRequest k = knownRequests().get(0);
        assertRule(httpPost(path(new KnownRequest(unservedExtension(), k.resource(), k.payload())), k.payload()), 404, 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kp2", "KP1", "kp", "kp10"})
    void notUnderBaseKp1_404WithK7Body_D10(String version) throws Exception {
        KnownRequest k = knownRequests().get(0);
        String p = "/" + version + "/" + appVersion() + "/" + k.extension() + "/" + endpointToken() + k.resource();
        assertRule(httpPost(p, k.payload()), 404, 404);
    }

    @Test
    void malformedPayload_4xxWithK7Body() throws Exception {
        assertRule(httpPost(path(malformedRequest()), malformedRequest().payload()), 400, 499);
    }

    // ---------------------------------------------------------------- D9: traversal, encoded slashes, NUL

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/.", "/%2e%2e", "/%2E%2E", "/.%2e", "/%2e.", "/%2e"})
    void dotSegment_beforeResource_400_noTraversal_D9(String dots) throws Exception {
        KnownRequest k = knownRequests().get(0);
        // .../<token>/../json would resolve to .../json (or past the token) if the server normalised it.
        assertRule(httpPost(tokenPath(k.extension()) + "/x" + dots + k.resource(), k.payload()), 400, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/%2e%2e", "/%2E%2e"})
    void dotSegment_rightAfterKp1_400_noTraversalOutOfKp1_D9(String dots) throws Exception {
        KnownRequest k = knownRequests().get(0);
        assertRule(httpPost("/kp1" + dots + path(k), k.payload()), 400, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%2F", "%2f"})
    void encodedSlash_400_D9(String slash) throws Exception {
        KnownRequest k = knownRequests().get(0);
        // dcx%2F<token>: one level that decodes to contain '/', never two levels.
        String p = "/kp1/" + appVersion() + "/" + k.extension() + slash + endpointToken() + k.resource();
        assertRule(httpPost(p, k.payload()), 400, 400);
        assertRule(httpPost(tokenPath(k.extension()) + "/a" + slash + "b", k.payload()), 400, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%00", "a%00", "%00b"})
    void nul_400_D4(String level) throws Exception {
        KnownRequest k = knownRequests().get(0);
        assertRule(httpPost(tokenPath(k.extension()) + "/" + level + k.resource(), k.payload()), 400, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%252e%252e", "%252E%252E", "%252F", "%252f", "%2525%32%65"})
    void doubleEncoding_decodedOnce_neverReachesAServedResource_D9(String level) throws Exception {
        KnownRequest k = knownRequests().get(0);
        // Decoded once, %252e%252e is the level "%2e%2e": a plain name, so an unknown resource.
        HttpResponse<byte[]> r = httpPost(tokenPath(k.extension()) + "/" + level + k.resource(), k.payload());
        assertRule(r, 400, 404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"%C3%28", "%FF", "%C0%AF", "%ED%A0%80", "%E6%B8"})
    void escapesNotUtf8_400_D9(String level) throws Exception {
        KnownRequest k = knownRequests().get(0);
        assertRule(httpPost(tokenPath(k.extension()) + "/" + level + k.resource(), k.payload()), 400, 400);
    }

    Stream<InvalidHttpPath> labelledInvalidPaths() {
        // Sampled from the conformance kit, keeping those java.net.URI can carry ("%4" cannot).
        return Kp1Arbitraries.invalidHttpPaths().sampleStream().filter(this::isUri).limit(GENERATED_PATHS);
    }

    @ParameterizedTest
    @MethodSource("labelledInvalidPaths")
    void labelledInvalidPath_refusedWithItsStatus(InvalidHttpPath bad) throws Exception {
        Assumptions.assumeTrue(isUri(bad));
        assertRule(httpPost(bad.path(), "[]"), bad.rule().status(), bad.rule().status());
    }

    // ---------------------------------------------------------------- helpers

    private String tokenPath(String extension) {
        return "/kp1/" + appVersion() + "/" + extension + "/" + endpointToken();
    }

    private String path(KnownRequest k) {
        return tokenPath(k.extension()) + k.resource();
    }

    private boolean isUri(InvalidHttpPath p) {
        try {
            new URI(baseUri() + p.path());
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** POSTs {@code payload} to {@code <base><path>}; the path is sent as written (no normalisation). */
    protected HttpResponse<byte[]> httpPost(String path, String payload) throws IOException, InterruptedException {
        return send(path, "POST", payload);
    }

    private HttpResponse<byte[]> send(String path, String method, String payload) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(baseUri() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8))
                .build();
        return client.send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A status in range with a K7 body ({@code application/json}, valid against the RFC schema, same status code). */
    private static void assertRule(HttpResponse<byte[]> r, int lowest, int highest) {
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as("status of %s: %s", r.uri().getRawPath(), body).isBetween(lowest, highest);
        assertThat(r.headers().firstValue("Content-Type")).as("content type of %s", r.uri().getRawPath())
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, r.body());
        assertThat(body.replaceAll("(?s).*\"statusCode\"\\s*:\\s*(-?\\d+).*", "$1"))
                .as("K7 statusCode of %s matches the HTTP status", body).isEqualTo(String.valueOf(r.statusCode()));
    }
}
