package io.kp1.http;

import com.sun.net.httpserver.HttpServer;
import io.kp1.http.testing.TestRouter;
import io.kp1.http.testing.TestServers;
import io.kp1.server.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static io.kp1.http.testing.TestRouter.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interop with a client this project did not write: curl (the Debian package {@code curl}, which
 * {@code .ci/run} installs when it is missing) against the JDK server mounted at the root, with
 * the URL shapes of Kaa's HTTP documentation ({@code POST /kp1/<app_version>/dcx/<token>/json}
 * with a JSON array, 10/EPMP {@code /get} and {@code /update/keys}), and against the servlet on
 * Jetty under a base path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CurlInteropIT {
    private static final String APP = "demo_application_v1";

    private final TestRouter routes = new TestRouter();
    private HttpServer server;
    private ExecutorService executor;
    private TestServers.Running jetty;
    private String base;

    /** What curl printed: the response (headers too with -i) and, on the last line, the status code. */
    private record Curl(int exitCode, String out, int status) {
    }

    @BeforeAll
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor = Executors.newFixedThreadPool(2);
        server.setExecutor(executor);
        server.createContext("/", Kp1HttpHandler.of(routes.router()));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        jetty = TestServers.jetty(routes.router(), false);
    }

    @AfterAll
    void stop() {
        server.stop(0);
        executor.shutdownNow();
        jetty.close();
    }

    private static Curl curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}"));
        cmd.addAll(Arrays.asList(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("curl is needed for this test: apt-get install curl (.ci/run does it)", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int nl = out.lastIndexOf('\n');
        return new Curl(p.exitValue(), out.substring(0, Math.max(nl, 0)), Integer.parseInt(out.substring(nl + 1).trim()));
    }

    @Test
    void curl_dcxJsonArray_200AndHandlerGetsTheSamples_K12() throws Exception {
        Curl c = curl("--location", "--request", "POST", base + "/kp1/" + APP + "/dcx/" + TOKEN + "/json",
                "--header", "Content-Type: application/json",
                "--data-raw", "[{\"temperature\":23,\"humidity\":48},{\"temperature\":24,\"humidity\":47}]");
        assertThat(c.exitCode()).isZero();
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.out()).isEmpty();
        Request seen = routes.lastRequest();
        assertThat(seen.path().asString()).isEqualTo("kp1/" + APP + "/dcx/" + TOKEN + "/json");
        assertThat(seen.payloadAsString()).isEqualTo("[{\"temperature\":23,\"humidity\":48},{\"temperature\":24,\"humidity\":47}]");
    }

    @Test
    void curl_epmxGet_200WithMetadata() throws Exception {
        Curl c = curl("--request", "POST", base + "/kp1/" + APP + "/epmx/" + TOKEN + "/get");
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.out()).isEqualTo("{\"name\":\"Kettle\",\"location\":\"kitchen\"}");
        assertThat(routes.lastRequest().payload()).isEmpty();
    }

    @Test
    void curl_epmxUpdateKeys_200AndHandlerGetsTheObject() throws Exception {
        Curl c = curl("--request", "POST", base + "/kp1/" + APP + "/epmx/" + TOKEN + "/update/keys",
                "--data-raw", "{\"name\":\"Kettle\",\"location\":\"kitchen\"}");
        assertThat(c.status()).isEqualTo(200);
        assertThat(routes.lastRequest().resource()).isEqualTo("/update/keys");
        assertThat(routes.lastRequest().payloadAsString()).isEqualTo("{\"name\":\"Kettle\",\"location\":\"kitchen\"}");
    }

    @Test
    void curl_get_405WithAllowPost_K12_D10() throws Exception {
        Curl c = curl("-i", base + "/kp1/" + APP + "/dcx/" + TOKEN + "/json");
        assertThat(c.status()).isEqualTo(405);
        assertThat(c.out()).containsIgnoringCase("\nAllow: POST\r\n")
                .endsWith("{\"statusCode\":405,\"reasonPhrase\":\"Method GET not allowed: 1/KP over HTTP uses only POST (K12)\"}");
    }

    @Test
    void curl_dotSegmentAsIs_400_D9() throws Exception {
        Curl c = curl("--path-as-is", "--request", "POST", base + "/kp1/" + APP + "/dcx/" + TOKEN + "/../json");
        assertThat(c.status()).isEqualTo(400);
        assertThat(c.out()).isEqualTo("{\"statusCode\":400,\"reasonPhrase\":\"Invalid HTTP path \\\"kp1/" + APP
                + "/dcx/JT******Hh/../json\\\": dot segment at index " + ("kp1/" + APP + "/dcx/" + TOKEN + "/").length()
                + " (D9)\"}");
    }

    @Test
    void curl_chunkedBodyOverLimitToServlet_413_D10() throws Exception {
        // The plain mount's limit is 1 KiB; curl sends a chunked body when told so.
        Curl c = curl("--request", "POST", jetty.uri("/kpc/kp1/" + APP + "/dcx/" + TOKEN + "/json").toString(),
                "--header", "Transfer-Encoding: chunked", "--data-raw", "[" + "1,".repeat(600) + "1]");
        assertThat(c.status()).isEqualTo(413);
        assertThat(c.out()).isEqualTo("{\"statusCode\":413,\"reasonPhrase\":\"Request body is over the limit of 1024 bytes (D10)\"}");
    }

    @Test
    void curl_dcxToServletUnderBasePath_200() throws Exception {
        Curl c = curl("--request", "POST", jetty.uri("/kpc/kp1/" + APP + "/dcx/" + TOKEN + "/json").toString(),
                "--data-raw", "[{\"temperature\":23}]");
        assertThat(c.status()).isEqualTo(200);
        assertThat(routes.lastRequest().payloadAsString()).isEqualTo("[{\"temperature\":23}]");
    }
}
