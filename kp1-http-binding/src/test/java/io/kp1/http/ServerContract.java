package io.kp1.http;

import io.kp1.ErrorResponse;
import io.kp1.http.testing.Kp1ServerHttpContract;
import io.kp1.http.testing.RawHttp;
import io.kp1.http.testing.TestRouter;
import io.kp1.http.testing.TestServers;
import io.kp1.http.testing.TestTls;
import io.kp1.server.Request;
import io.kp1.testkit.SchemaAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static io.kp1.http.testing.TestRouter.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The D9/D10/K12/K13 behaviour every server adapter must show, over real sockets: each row of
 * the status table with its exact K7 body. Subclasses start a real server (the JDK HTTP server,
 * Jetty with the servlet) with {@link TestRouter}'s mounts {@code /kpc} and {@code /secure}.
 *
 * <p>It extends the black-box {@link Kp1ServerHttpContract}, so that both servers pass it; the
 * tests here add the exact K7 reasons, the options (body limit, authentication) and what only a
 * white box sees (the request the handler got).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServerContract extends Kp1ServerHttpContract {
    /** The request path prefix up to the token under the plain mount. */
    static final String P = "/kpc/kp1/app/dcx/" + TOKEN;
    /** {@code kp1/app/dcx/<redacted token>}: how messages quote that prefix (D16). */
    static final String Q = "kp1/app/dcx/JT******Hh";

    TestRouter routes;
    TestServers.Running server;

    /** Starts the server under test, with HTTPS. */
    abstract TestServers.Running start(TestRouter routes) throws Exception;

    @Override
    protected void startServer() throws Exception {
        routes = new TestRouter();
        server = start(routes);
    }

    @Override
    protected void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    // ---- the wire facts of the black-box contract (Kp1ServerHttpContract), which runs here too ----

    @Override
    protected URI baseUri() {
        return server.uri("/kpc");
    }

    @Override
    protected String appVersion() {
        return "app";
    }

    @Override
    protected String endpointToken() {
        return TOKEN;
    }

    @Override
    protected List<KnownRequest> knownRequests() {
        return List.of(new KnownRequest("dcx", "/json", "[{\"temperature\":23}]"),
                new KnownRequest("epmx", "/get/keys", ""),
                new KnownRequest("dcp", "/json", "[{\"temperature\":23}]"));
    }

    @Override
    protected KnownRequest malformedRequest() {
        return new KnownRequest("dcp", "/json", "[1] [2]");
    }

    RawHttp.Response post(String path, String body) throws IOException {
        return RawHttp.send(server.port(), RawHttp.request("POST", path, body));
    }

    /** The response is {@code status} with exactly the K7 body {@code reason}, valid per the schema, token-free (D16). */
    static void assertK7(RawHttp.Response r, int status, String reason) {
        assertThat(r.status()).as("status of %s", r).isEqualTo(status);
        assertThat(r.header("Content-Type")).as("content type of %s", r).isEqualTo("application/json");
        assertThat(r.bodyText()).isEqualTo(new String(ErrorResponse.of(status, reason).toJson(), StandardCharsets.UTF_8));
        SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, r.body());
        assertThat(r.bodyText()).as("D16: no whole token in %s", r).doesNotContain(TOKEN);
    }

    // ------------------------------------------------------------------ 200 (D10)

    @Test
    void post_dcxJson_200EmptyBodyAndHandlerSeesPath_D10() throws IOException {
        RawHttp.Response r = post(P + "/json", "[{\"temperature\":23}]");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(r.header("Content-Type")).isNull();
        Request seen = routes.lastRequest();
        assertThat(seen.appVersion()).isEqualTo("app");
        assertThat(seen.endpointToken()).isEqualTo(TOKEN);
        assertThat(seen.resource()).isEqualTo("/json");
        assertThat(seen.payloadAsString()).isEqualTo("[{\"temperature\":23}]");
        assertThat(seen.hasRequestId()).isFalse();
        assertThat(seen.isMqtt()).isFalse();
        assertThat(seen.principal()).isEmpty();
    }

    @Test
    void post_epmxGetKeys_200WithPayloadAsJson_D10() throws IOException {
        RawHttp.Response r = post("/kpc/kp1/app/epmx/" + TOKEN + "/get/keys", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
        assertThat(r.bodyText()).isEqualTo("[\"name\",\"location\"]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/json/42", "/json/042", "/json/2147483647"})
    void post_trailingRequestId_validatedThenIgnored_D9_D1(String resource) throws IOException {
        RawHttp.Response r = post(P + resource, "[]");
        assertThat(r.status()).isEqualTo(200);
        assertThat(routes.lastRequest().resource()).isEqualTo("/json");
        assertThat(routes.lastRequest().hasRequestId()).isFalse();
    }

    @Test
    void post_segmentsPercentEncoded_decodedEachOnItsOwn_D9() throws IOException {
        // Base, kp1, extension and resource levels all encoded; %2B and %25 decode to plain characters.
        RawHttp.Response r = post("/%6Bpc/%6bp1/app/ext%C3%A9/" + TOKEN + "/%E6%B8%AC/a%20b/100%25/%F0%9F%98%80", "hi");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("kp1/app/ext\u00e9/" + TOKEN + "/\u6e2c/a b/100%/\uD83D\uDE00\nhi");
    }

    @Test
    void post_asyncHandler_answeredWhenItsStageCompletes() throws IOException {
        RawHttp.Response r = post("/kpc/kp1/app/later/" + TOKEN + "/json", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("\"late\"");
    }

    @Test
    void post_cmxConfigUnchanged_304WithoutBody_D10() throws IOException {
        RawHttp.Response r = post("/kpc/kp1/app/cmx/" + TOKEN + "/config/json", "{\"configId\":\"7\"}");
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
    }

    // ------------------------------------------------------------------ 404 (D10)

    @ParameterizedTest
    @ValueSource(strings = {"/kpc/kp2/app/dcx/" + TOKEN + "/json", "/kpc/foo", "/kpc/kp1", "/kpc/",
        "/kpc/KP1/app/dcx/" + TOKEN + "/json", "/kpc/kp1%2Fapp/dcx/" + TOKEN + "/json"})
    void post_notUnderBaseKp1_404_D10(String path) throws IOException {
        assertK7(post(path, ""), 404, "Not found: 1/KP requests go to /kpc/kp1/<appVersion>/<extension>/... (D10)");
    }

    @Test
    void post_unknownExtension_routers404_D10() throws IOException {
        assertK7(post("/kpc/kp1/app/nope/" + TOKEN + "/json", ""), 404, "Unknown extension instance \"nope\"");
    }

    @Test
    void post_unknownResource_routers404_D10() throws IOException {
        assertK7(post(P + "/protobuf/x", ""), 404,
                "Unknown resource \"/protobuf/x\" in extension instance \"dcx\"");
    }

    // ------------------------------------------------------------------ 405 (K12, D10)

    @ParameterizedTest
    @ValueSource(strings = {"GET", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void otherMethod_405WithExactK7AndAllowPost_K12_D10(String method) throws IOException {
        RawHttp.Response r = RawHttp.send(server.port(), RawHttp.request(method, P + "/json", ""));
        assertK7(r, 405, "Method " + method + " not allowed: 1/KP over HTTP uses only POST (K12)");
        assertThat(r.header("Allow")).isEqualTo("POST");
    }

    @Test
    void head_405WithAllowPostAndNoBody_K12_D10() throws IOException {
        RawHttp.Response r = RawHttp.send(server.port(), "HEAD " + P + "/json HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("POST");
    }

    // ------------------------------------------------------------------ 400 (D9, D1, D3, D4, D7)

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/a%2Fb/json | 24",
        "/a%2fb | 24",
        "/json/%2F | 28",
    })
    void post_segmentDecodingToSlash_400_D9(String rest, int index) throws IOException {
        assertK7(post(P + rest, ""), 400, "Invalid HTTP path \"" + Q + rest + "\": segment decodes to contain '/' at index "
                + index + " (D9)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/./json | 23",
        "/../json | 23",
        "/json/. | 28",
        "/%2E/json | 23",
        "/%2e%2E/json | 23",
        "/.%2e | 23",
    })
    void post_dotSegment_400_D9(String rest, int index) throws IOException {
        assertK7(post(P + rest, ""), 400, "Invalid HTTP path \"" + Q + rest + "\": dot segment at index " + index + " (D9)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/%C3%28 | 23",
        "/ok%FF | 25",
        "/%C0%AF | 23",
        "/%ED%A0%80 | 23",
        "/json/x%E6%B8 | 29",
    })
    void post_escapesNotUtf8_400_D9(String rest, int index) throws IOException {
        assertK7(post(P + rest, ""), 400, "Invalid HTTP path \"" + Q + rest + "\": bad percent-encoding at index " + index
                + ", the escaped bytes are not UTF-8 (D9)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "//json | 23 | empty level | D3",
        "/json/ | 28 | empty level | D3",
        "/a+b | 24 | wildcard character | D4",
        "/a%23b | 24 | wildcard character | D4",
    })
    void post_decodedPathNotATopic_400WithTopicRule(String rest, int index, String what, String rule) throws IOException {
        String decoded = Q + rest.replace("%23", "#");
        assertK7(post(P + rest, ""), 400, "Invalid 1/KP topic \"" + decoded + "\": " + what + " at index " + index
                + " (" + rule + ")");
    }

    @Test
    void post_requestIdZero_400_D1() throws IOException {
        assertK7(post(P + "/json/0", ""), 400, "Invalid 1/KP topic \"" + Q + "/json/0\": invalid request ID at index 28, "
                + "must be 1..2147483647 (D1)");
    }

    @Test
    void post_requestIdPastIntRange_400_D1() throws IOException {
        assertK7(post(P + "/json/2147483648", ""), 400, "Invalid 1/KP topic \"" + Q
                + "/json/2147483648\": invalid request ID at index 28, must be 1..2147483647 (D1)");
    }

    @Test
    void post_noEndpointToken_400_D7() throws IOException {
        assertK7(post("/kpc/kp1/app/dcx", ""), 400,
                "Invalid 1/KP topic \"kp1/app/dcx\": missing endpoint token level at index 11 (D7)");
    }

    @Test
    void post_endpointUnawareExtension_routedWithoutToken_D7() throws IOException {
        RawHttp.Response r = post("/kpc/kp1/app/registry/items", "x");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("kp1/app/registry/items\nx");
    }

    // ------------------------------------------------------------------ 413 (D10)

    @Test
    void post_contentLengthOverLimit_413BeforeAnyBodyIsSent_D10() throws IOException {
        // Only the headers are sent: the answer comes from Content-Length alone.
        RawHttp.Response r = RawHttp.send(server.port(), "POST " + P + "/json HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 1025\r\n\r\n");
        assertK7(r, 413, "Request body of 1025 bytes is over the limit of 1024 bytes (D10)");
    }

    @Test
    void post_chunkedOverLimit_413CountedWhileReading_D10() throws IOException {
        assertK7(RawHttp.postChunked(server.port(), P + "/json", 1025), 413,
                "Request body is over the limit of 1024 bytes (D10)");
    }

    @Test
    void post_bodiesAtTheLimit_200_D10() throws IOException {
        String body = "x".repeat(TestRouter.MAX_BODY);
        assertThat(post(P + "/json", body).status()).isEqualTo(200);
        assertThat(routes.lastRequest().payload()).hasSize(TestRouter.MAX_BODY);
        assertThat(RawHttp.postChunked(server.port(), P + "/json", TestRouter.MAX_BODY).status()).isEqualTo(200);
        assertThat(routes.lastRequest().payload()).hasSize(TestRouter.MAX_BODY);
    }

    // ------------------------------------------------------------------ persistent connections (D10)

    /** The next request on a reused connection: a served POST that asks to close. */
    static final String SERVED_NEXT = "POST " + P + "/json HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
            + "Connection: close\r\n\r\n[]";

    /** Refusals that may come before the body is read: method, path, body, status. */
    static Stream<Arguments> refusedBeforeTheBody() {
        List<Arguments> cases = List.of(
                Arguments.of("POST", P + "/a+b", "[]", 400),                                   // D4
                Arguments.of("POST", P + "/a%00b", "[]", 400),                                 // D4: Jetty refuses it itself
                Arguments.of("POST", P + "/x/../json", "[]", 400),                             // D9
                Arguments.of("POST", "/kpc/kp2/app/dcx/" + TOKEN + "/json", "[]", 404),         // D10
                Arguments.of("PUT", P + "/json", "[]", 405),                                   // K12
                Arguments.of("POST", "/secure/kp1/app/whoami/" + TOKEN + "/json", "[]", 401),  // K13
                Arguments.of("POST", P + "/json", "x".repeat(TestRouter.MAX_BODY + 1), 413));  // D10
        return Stream.of(true, false).flatMap(late -> cases.stream().map(c -> {
            Object[] a = c.get();
            return Arguments.of(a[0], a[1], a[2], a[3], late);
        }));
    }

    /**
     * A server may refuse a request before reading its body; it must then say
     * {@code Connection: close} and close, or read the body and keep the connection. Closing a
     * connection it said it kept loses the client's next request: a pooling client (the JDK's
     * {@code HttpClient}) reuses the connection for its next POST, gets no answer ("header
     * parser received no bytes") and does not retry a POST on its own. {@code late}: the body is
     * sent only once the answer has come, as a client that writes headers and body apart may.
     */
    @ParameterizedTest(name = "{0} {1} -> {3}, body after the answer: {4}")
    @MethodSource("refusedBeforeTheBody")
    void refusedBeforeTheBodyIsRead_closeAnnouncedOrConnectionKept_D10(String method, String path, String body,
            int status, boolean late) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n";
        RawHttp.Reused r = RawHttp.reuse(server.port(), head, body, late, SERVED_NEXT);
        assertThat(r.first().status()).as("%s", r.first()).isEqualTo(status);
        SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, r.first().body());
        if ("close".equalsIgnoreCase(r.first().header("Connection"))) {
            assertThat(r.second()).as("the server closes the connection after %s", r.first()).isNull();
        } else {
            assertThat(r.second()).as("%s promised to keep the connection: the next request is answered", r.first())
                    .isNotNull();
            assertThat(r.second().status()).isEqualTo(200);
        }
    }

    @Test
    void served_connectionKeptForTheNextRequest_D10() throws IOException {
        RawHttp.Reused r = RawHttp.reuse(server.port(), "POST " + P + "/json HTTP/1.1\r\nHost: x\r\n"
                + "Content-Length: 2\r\n\r\n", "[]", false, SERVED_NEXT);
        assertThat(r.first().status()).isEqualTo(200);
        assertThat(r.first().header("Connection")).as("%s", r.first()).isNull();
        assertThat(r.second()).isNotNull();
        assertThat(r.second().status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ 500

    @Test
    void post_handlerThrows_500WithoutInternals() throws IOException {
        RawHttp.Response r = post("/kpc/kp1/app/boom/" + TOKEN + "/fail", "");
        assertK7(r, 500, "Internal server error");
        assertThat(r.bodyText()).doesNotContain("database");
    }

    // ------------------------------------------------------------------ 401, 403 (K13)

    String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    RawHttp.Response postSecure(String authorization) throws IOException {
        return RawHttp.send(server.port(), "POST /secure/kp1/app/whoami/" + TOKEN + "/json HTTP/1.1\r\nHost: x\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\nConnection: close\r\n\r\n");
    }

    @Test
    void basicAuth_knownUser_routedWithPrincipal_K13() throws IOException {
        RawHttp.Response r = postSecure(basic(TestRouter.GATEWAY.username(), TestRouter.GATEWAY.password()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.bodyText()).isEqualTo("\"gateway-7\"");
    }

    @Test
    void basicAuth_wrongPassword_401WithChallenge_K13() throws IOException {
        RawHttp.Response r = postSecure(basic("gateway-7", "guess"));
        assertK7(r, 401, "Unknown user or wrong password");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"kp1\", charset=\"UTF-8\"");
    }

    @Test
    void basicAuth_none_401WithChallenge_K13() throws IOException {
        RawHttp.Response r = postSecure(null);
        assertK7(r, 401, "Credentials required (K13)");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"kp1\", charset=\"UTF-8\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic !!!", "Basic bm9jb2xvbg==", "basic /w=="})
    void basicAuth_malformed_401_K13(String authorization) throws IOException {
        // "bm9jb2xvbg==" is "nocolon"; "/w==" is the byte 0xFF, not UTF-8.
        RawHttp.Response r = postSecure(authorization);
        assertK7(r, 401, "Malformed HTTP Basic credentials (K13)");
    }

    @Test
    void basicAuth_knownButForbidden_403WithoutChallenge_K13() throws IOException {
        RawHttp.Response r = postSecure(basic("banned", "x"));
        assertK7(r, 403, "User banned may not send requests");
        assertThat(r.header("WWW-Authenticate")).isNull();
    }

    // ------------------------------------------------------------------ HTTPS, client certificates (K13)

    HttpResponse<String> postHttps(String path, KeyStore clientKeys) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TestTls.shared().clientContext(clientKeys)).connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.httpsUri(path).toString()))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("[]")).build();
        return client.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void https_withoutAuthentication_200() throws Exception {
        HttpResponse<String> r = postHttps("/kpc/kp1/app/echo/" + TOKEN + "/json", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("kp1/app/echo/" + TOKEN + "/json\n[]");
    }

    @Test
    void clientCertificate_fromTrustedCa_acceptedAsPrincipal_K13() throws Exception {
        HttpResponse<String> r = postHttps("/secure/kp1/app/whoami/" + TOKEN + "/json", TestTls.shared().deviceKeyStore());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("\"cert:CN=device-1\"");
    }

    @Test
    void clientCertificate_fromUnknownCa_403_K13() throws Exception {
        HttpResponse<String> r = postHttps("/secure/kp1/app/whoami/" + TOKEN + "/json", TestTls.shared().intruderKeyStore());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("{\"statusCode\":403,\"reasonPhrase\":\"Client certificate not issued by a trusted CA\"}");
    }

    @Test
    void clientCertificate_expiredFromTrustedCa_403_K13() throws Exception {
        HttpResponse<String> r = postHttps("/secure/kp1/app/whoami/" + TOKEN + "/json", TestTls.shared().expiredDeviceKeyStore());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).isEqualTo("{\"statusCode\":403,\"reasonPhrase\":\"Client certificate expired or not yet valid\"}");
    }

    @Test
    void clientCertificate_none_401_K13() throws Exception {
        HttpResponse<String> r = postHttps("/secure/kp1/app/whoami/" + TOKEN + "/json", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("{\"statusCode\":401,\"reasonPhrase\":\"Credentials required (K13)\"}");
    }
}
