package io.kp1.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kp1.ErrorResponse;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Kp1HttpClient} against a real JDK HTTP server whose hand-written handler records each
 * request and answers what the test path asks for: what goes on the wire (K12, D9) and how
 * responses become replies (D10).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Kp1HttpClientIT {
    private static final String TOKEN = "JTjdbENzHh";

    /** What the server saw: method, raw path, content type, body. */
    private record Seen(String method, String rawPath, String contentType, String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<HttpExchange> held = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ExecutorService executor;
    private final ExecutorService clientPool = Executors.newCachedThreadPool();
    private HttpClient http;
    private Endpoint kettle;

    @BeforeAll
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/kpc", this::answer);
        server.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        kettle = Kp1HttpClient.builder(http, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/kpc"))
                .requestTimeout(Duration.ofSeconds(5)).build().endpoint("kettle_v1", TOKEN);
    }

    @AfterAll
    void stop() {
        held.forEach(HttpExchange::close);
        server.stop(0);
        executor.shutdownNow();
        clientPool.shutdownNow();
    }

    /** The resource's first level says what to answer: ok, k7, html, empty, hang. */
    private void answer(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String raw = ex.getRequestURI().getRawPath();
        seen.add(new Seen(ex.getRequestMethod(), raw, ex.getRequestHeaders().getFirst("Content-Type"),
                new String(body, StandardCharsets.UTF_8)));
        String[] parts = raw.split("/");
        String mode = parts.length > 6 ? parts[6] : "ok";
        int status = parts.length > 7 && parts[7].matches("[0-9]{3}") ? Integer.parseInt(parts[7]) : 200;
        switch (mode) {
            case "hang":
                held.add(ex); // never answered: the client's timeout must fire
                return;
            case "k7":
                send(ex, status, ErrorResponse.of(status, "Unknown resource /x").toJson());
                return;
            case "html":
                send(ex, status, "<html>Bad gateway</html>".getBytes(StandardCharsets.UTF_8));
                return;
            case "empty":
                send(ex, status, new byte[0]);
                return;
            default:
                send(ex, status, ("echo:" + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void request_postsToEncodedUrlWithJsonAndNoRequestId_K12_D9() {
        seen.clear();
        Reply r = kettle.request("dcx", "/ok/\u00e9t\u00e9 x", "[{\"t\":97}]").join();
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.payloadAsString()).isEqualTo("echo:[{\"t\":97}]");
        assertThat(seen).containsExactly(new Seen("POST", "/kpc/kp1/kettle_v1/dcx/" + TOKEN + "/ok/%C3%A9t%C3%A9%20x",
                "application/json", "[{\"t\":97}]"));
    }

    @Test
    void request_customContentTypeAndEmptyPayload_sentAsGiven() {
        seen.clear();
        Kp1HttpClient kp = Kp1HttpClient.builder(http, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/kpc"))
                .contentType("application/octet-stream").build();
        Reply r = kp.endpoint("kettle_v1", TOKEN).request("dcx", "/ok", new byte[0]).join();
        assertThat(r.isSuccess()).isTrue();
        assertThat(seen.get(0).contentType()).isEqualTo("application/octet-stream");
        assertThat(seen.get(0).body()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"200", "201", "204", "299"})
    void request_2xx_successWithBody_D10(int status) {
        Reply r = kettle.request("dcx", "/empty/" + status + "/json", "").join();
        assertThat(r.isSuccess()).isTrue();
        assertThat(r.payloadBytes()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"400", "404", "500"})
    void request_errorStatusWithK7Body_errorReplyDecoded_K7_D10(int status) {
        Reply r = kettle.request("dcx", "/k7/" + status + "/json", "").join();
        assertThat(r.isSuccess()).isFalse();
        assertThat(r.error()).isEqualTo(ErrorResponse.of(status, "Unknown resource /x"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"502 | html | Bad Gateway", "503 | empty | Service Unavailable",
        "304 | empty | Not Modified", "418 | html | HTTP status 418"})
    void request_errorStatusWithoutK7Body_fallsBackToStatusLine_D10(int status, String mode, String reason) {
        Reply r = kettle.request("dcx", "/" + mode + "/" + status + "/json", "").join();
        assertThat(r.error()).isEqualTo(ErrorResponse.of(status, reason));
    }

    @Test
    void send_errorStatus_completesExceptionallyWithTheReply() {
        CompletableFuture<Void> f = kettle.send("dcx", "/k7/404/json", "[]");
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ErrorReplyException.class)
                .hasMessage("Error reply 404: Unknown resource /x");
        assertThat(kettle.send("dcx", "/ok/json", "[]").join()).isNull();
    }

    @Test
    void request_noResponseWithinTimeout_completesExceptionallyWithHttpTimeout() {
        Kp1HttpClient kp = Kp1HttpClient.builder(http, URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/kpc"))
                .requestTimeout(Duration.ofMillis(300)).build();
        CompletableFuture<Reply> f = kp.endpoint("kettle_v1", TOKEN).request("dcx", "/hang/json", "");
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void request_connectionRefused_completesExceptionallyWithConnectException() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Kp1HttpClient kp = Kp1HttpClient.builder(http, URI.create("http://127.0.0.1:" + closedPort)).build();
        CompletableFuture<Reply> f = kp.endpoint("kettle_v1", TOKEN).request("dcx", "/json", "");
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(ConnectException.class);
    }

    // ------------------------------------------------------------------ Builder.executor: blocking sends

    private Kp1HttpClient onExecutor(int port, Duration timeout) {
        return Kp1HttpClient.builder(http, URI.create("http://127.0.0.1:" + port + "/kpc")).requestTimeout(timeout)
                .executor(clientPool).build();
    }

    @Test
    void executor_requestsAndRepliesAsWithSendAsync_D10() {
        seen.clear();
        Endpoint e = onExecutor(server.getAddress().getPort(), Duration.ofSeconds(5)).endpoint("kettle_v1", TOKEN);
        assertThat(e.request("dcx", "/ok/json", "[1]").join().payloadAsString()).isEqualTo("echo:[1]");
        assertThat(e.request("dcx", "/k7/404/json", "").join().error())
                .isEqualTo(ErrorResponse.of(404, "Unknown resource /x"));
        assertThat(seen.get(0)).isEqualTo(new Seen("POST", "/kpc/kp1/kettle_v1/dcx/" + TOKEN + "/ok/json",
                "application/json", "[1]"));
    }

    @Test
    void executor_noResponseWithinTimeout_completesExceptionallyWithHttpTimeout() {
        CompletableFuture<Reply> f = onExecutor(server.getAddress().getPort(), Duration.ofMillis(300))
                .endpoint("kettle_v1", TOKEN).request("dcx", "/hang/json", "");
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void executor_rejectsTask_completesExceptionally() {
        Kp1HttpClient kp = Kp1HttpClient.builder(http, URI.create("http://127.0.0.1:1/kpc"))
                .executor(task -> {
                    throw new java.util.concurrent.RejectedExecutionException("full");
                }).build();
        CompletableFuture<Reply> f = kp.endpoint("kettle_v1", TOKEN).request("dcx", "/json", "");
        assertThatThrownBy(f::join).cause().isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }
}
