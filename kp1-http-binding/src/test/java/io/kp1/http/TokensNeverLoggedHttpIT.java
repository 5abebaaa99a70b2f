package io.kp1.http;

import ch.qos.logback.classic.Level;
import com.sun.net.httpserver.HttpServer;
import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.http.testing.RawHttp;
import io.kp1.http.testing.TestRouter;
import io.kp1.http.testing.TestServers;
import io.kp1.server.Router;
import io.kp1.testkit.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * D16 for kp1-http-binding over real servers: every log event of {@code io.kp1} at DEBUG and
 * above, captured whole, while requests with a distinctive token go through the paths that log
 * a path or a failure: a handler exception quoting the token (500), authentication refused (401,
 * 403) and an authenticator that throws quoting the token, invalid paths (D9, D1, D3), unknown
 * routes, a malformed payload and a body cut short. The token never appears whole.
 */
class TokensNeverLoggedHttpIT {
    /** The token of {@link TestRouter}, which its {@code boom} handler quotes in its exception. */
    private static final String TOKEN = TestRouter.TOKEN;

    private static List<String> paths() {
        String p = "/kpc/kp1/app/dcx/" + TOKEN;
        return List.of("/kpc/kp1/app/boom/" + TOKEN + "/fail", p + "/json/0", p + "//json", p + "/a%2Fb", p + "/..",
                p + "/%C3%28", p + "/nope", "/kpc/kp1/app/nope/" + TOKEN + "/json", p + "/json/2147483648",
                "/secure/kp1/app/whoami/" + TOKEN + "/json");
    }

    private static void exercise(int port) throws Exception {
        for (String path : paths()) {
            RawHttp.send(port, RawHttp.request("POST", path, "[1] [2]"));
        }
        String banned = Base64.getEncoder().encodeToString("banned:x".getBytes(StandardCharsets.UTF_8));
        String wrong = Base64.getEncoder().encodeToString("gateway-7:guess".getBytes(StandardCharsets.UTF_8));
        for (String auth : List.of(banned, wrong)) {
            RawHttp.send(port, "POST /secure/kp1/app/whoami/" + TOKEN + "/json HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                    + auth + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        }
        // A body announced but cut short (the client half-closes): the server cannot read it.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /kpc/kp1/app/dcx/" + TOKEN + "/json HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 100\r\nConnection: close\r\n\r\n[1,").getBytes(StandardCharsets.ISO_8859_1));
            socket.shutdownOutput();
            socket.getInputStream().readAllBytes(); // whatever the server answers, until it closes
        } catch (java.io.IOException expected) {
            // The server may reset the connection.
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "jetty"})
    void serverFailurePaths_tokenNeverWholeInLogsAtDebug_D16(String kind) throws Exception {
        TestRouter routes = new TestRouter();
        try (LogCapture logs = LogCapture.start("io.kp1", Level.DEBUG);
             TestServers.Running server = kind.equals("jdk") ? TestServers.jdk(routes.router(), false)
                     : TestServers.jetty(routes.router(), false)) {
            exercise(server.port());

            logs.assertNeverContains(TOKEN);
            assertThat(logs.anyMessageContains(ResourcePath.redactToken(TOKEN))).as("the redacted token was logged").isTrue();
            assertThat(logs.events()).as("the handler's failure was logged with its throwable")
                    .anyMatch(e -> e.getThrowableProxy() != null);
        }
    }

    @Test
    void authenticatorThrowsQuotingTheToken_500_tokenNeverWholeInLogs_D16() throws Exception {
        Router router = Router.builder().on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok())).build();
        HttpServerOptions options = HttpServerOptions.builder().authenticator(c -> {
            throw new IllegalStateException("user store down while checking " + c.path().endpointToken());
        }).build();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/kpc", Kp1HttpHandler.of(router, options));
        http.start();
        try (LogCapture logs = LogCapture.start("io.kp1", Level.DEBUG)) {
            RawHttp.Response r = RawHttp.send(http.getAddress().getPort(),
                    RawHttp.request("POST", "/kpc/kp1/app/dcx/" + TOKEN + "/json", "[]"));

            assertThat(r.status()).isEqualTo(500);
            logs.assertNeverContains(TOKEN);
            assertThat(logs.events()).anyMatch(e -> e.getThrowableProxy() != null);
        } finally {
            http.stop(0);
        }
    }
}
