package io.kp1.http.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.http.Kp1HttpClient;
import io.kp1.http.Kp1HttpHandler;
import io.kp1.server.Router;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A 2/DCP request ({@code POST .../dcx/<token>/json} with a JSON array, empty 200 answer) over
 * loopback, one JVM, one JDK HTTP server, three ways in the same run:
 * <ul>
 *   <li>{@code binding}: {@link Kp1HttpClient} to {@link Kp1HttpHandler} (D9 decoding, routing, D10),
 *       with the client's default {@code sendAsync}, and {@code bindingOnExecutor} with
 *       {@link Kp1HttpClient.Builder#executor} (blocking sends on a cached pool);</li>
 *   <li>{@code handWrittenClient}: a hand-written {@link HttpClient} POST to the same {@link Kp1HttpHandler}
 *       (the client binding's cost);</li>
 *   <li>{@code handWritten}: a hand-written {@link HttpClient} POST to a hand-written handler on the same
 *       server that reads the body and answers 200 (the whole binding's cost), with the blocking
 *       {@code send} and with {@code sendAsync(...).join()} ({@code handWrittenAsync}).</li>
 * </ul>
 * Throughput with 4 client threads (requests per second) and latency with one (sampled).
 * The server runs with TCP_NODELAY ({@code sun.net.httpserver.nodelay}), as the README advises.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// TCP_NODELAY on the JDK server (see the README); the JDK client's own retry of a POST whose pooled
// connection the server closed at that moment, so that no variant fails a whole iteration on it.
@Fork(value = 1, jvmArgsAppend = {"-Dsun.net.httpserver.nodelay=true", "-Djdk.httpclient.enableAllMethodRetry=true",
    "-Xmx1g"})
public class HttpBindingBenchmark {
    private static final String TOKEN = "JTjdbENzHh";
    private static final byte[] SAMPLES = "[{\"temperature\":23,\"humidity\":48}]".getBytes(StandardCharsets.UTF_8);

    private HttpServer server;
    private ExecutorService serverThreads;
    private HttpClient http;
    private Endpoint endpoint;
    private Endpoint endpointOnExecutor;
    private ExecutorService clientThreads;
    private HttpRequest toBinding;
    private HttpRequest toHandWritten;

    @Setup
    public void start() throws IOException {
        Router router = Router.builder()
                .on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok()))
                .build();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(4);
        server.setExecutor(serverThreads);
        server.createContext("/kpc", Kp1HttpHandler.of(router));
        server.createContext("/raw", HttpBindingBenchmark::handWrittenHandler);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();

        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        endpoint = Kp1HttpClient.builder(http, URI.create(base + "/kpc")).requestTimeout(Duration.ofSeconds(10)).build()
                .endpoint("smart_kettle_v1", TOKEN);
        clientThreads = Executors.newCachedThreadPool();
        endpointOnExecutor = Kp1HttpClient.builder(http, URI.create(base + "/kpc")).requestTimeout(Duration.ofSeconds(10))
                .executor(clientThreads).build().endpoint("smart_kettle_v1", TOKEN);
        toBinding = post(URI.create(base + "/kpc/kp1/smart_kettle_v1/dcx/" + TOKEN + "/json"));
        toHandWritten = post(URI.create(base + "/raw/kp1/smart_kettle_v1/dcx/" + TOKEN + "/json"));
    }

    private static HttpRequest post(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SAMPLES)).build();
    }

    /** What one would write by hand: read the body, check the method, answer 200 without a body. */
    private static void handWrittenHandler(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            int status = "POST".equals(exchange.getRequestMethod()) && body.length > 0 ? 200 : 400;
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @TearDown
    public void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
        clientThreads.shutdownNow();
    }

    private static int check(int status) {
        if (status != 200) {
            throw new IllegalStateException("status " + status);
        }
        return status;
    }

    // ------------------------------------------------------------------ throughput, 4 client threads

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public int throughput_binding() {
        return check(endpoint.request("dcx", "/json", SAMPLES).join().statusCode());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public int throughput_bindingOnExecutor() {
        return check(endpointOnExecutor.request("dcx", "/json", SAMPLES).join().statusCode());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public int throughput_handWrittenClient() throws Exception {
        return check(http.send(toBinding, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public int throughput_handWritten() throws Exception {
        return check(http.send(toHandWritten, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public int throughput_handWrittenAsync() {
        return check(http.sendAsync(toHandWritten, HttpResponse.BodyHandlers.ofByteArray()).join().statusCode());
    }

    // ------------------------------------------------------------------ latency, 1 client thread

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public int latency_binding() {
        return check(endpoint.request("dcx", "/json", SAMPLES).join().statusCode());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public int latency_bindingOnExecutor() {
        return check(endpointOnExecutor.request("dcx", "/json", SAMPLES).join().statusCode());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public int latency_handWrittenClient() throws Exception {
        return check(http.send(toBinding, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public int latency_handWritten() throws Exception {
        return check(http.send(toHandWritten, HttpResponse.BodyHandlers.ofByteArray()).statusCode());
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Threads(1)
    public int latency_handWrittenAsync() {
        return check(http.sendAsync(toHandWritten, HttpResponse.BodyHandlers.ofByteArray()).join().statusCode());
    }
}
