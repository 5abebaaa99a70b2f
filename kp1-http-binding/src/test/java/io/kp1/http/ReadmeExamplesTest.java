package io.kp1.http;

import com.sun.net.httpserver.HttpServer;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.http.servlet.Kp1Servlet;
import io.kp1.server.Router;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's HTTP snippets, compiled and run: keep the two in step. Each block between
 * {@code // README:} markers is the text the README shows.
 */
class ReadmeExamplesTest {
    @Test
    void readme_serverAndClientSnippets_work() throws Exception {
        List<String> stored = new CopyOnWriteArrayList<>();
        // README: server
        Router router = Router.builder()
                .on("dcx", "/json", req -> {
                    stored.add(req.payloadAsString());                 // 2/DCP samples
                    return CompletableFuture.completedFuture(Reply.ok());
                })
                .on("epmx", "/get/keys", req -> CompletableFuture.completedFuture(Reply.ok("[\"name\"]")))
                .build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);     // don't run handlers on the dispatcher
        server.setExecutor(pool);
        server.createContext("/kpc", Kp1HttpHandler.of(router,
                HttpServerOptions.builder().maxBodyBytes(64 * 1024).build()));
        server.start();
        // README: end
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/kpc");
            // README: client
            HttpClient http = HttpClient.newHttpClient();               // the host's TLS, proxy, auth settings
            Kp1HttpClient kp = Kp1HttpClient.builder(http, base)        // e.g. https://host/kpc
                    .requestTimeout(Duration.ofSeconds(10))
                    .build();
            Endpoint kettle = kp.endpoint("smart_kettle_v1", "JTjdbENzHh");
            Reply sent = kettle.request("dcx", "/json", "[{\"temperature\":97}]").join();
            Reply keys = kettle.request("epmx", "/get/keys", new byte[0]).join();
            keys.payloadAsString();                                     // ["name"]
            Reply missing = kettle.request("epmx", "/get/nothing", new byte[0]).join();
            missing.error().statusCode();                               // 404, decoded from the K7 body
            // README: end
            assertThat(sent.isSuccess()).isTrue();
            assertThat(stored).containsExactly("[{\"temperature\":97}]");
            assertThat(keys.payloadAsString()).isEqualTo("[\"name\"]");
            assertThat(missing.error().statusCode()).isEqualTo(404);
        } finally {
            server.stop(0);
            pool.shutdownNow();
        }
    }

    @Test
    void readme_servletSnippet_works() throws Exception {
        Router router = Router.builder()
                .on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok()))
                .build();
        Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        // README: servlet
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(new Kp1Servlet(router));
        holder.setAsyncSupported(true);                                  // handlers may answer later
        context.addServlet(holder, "/kpc/*");                           // POST /kpc/kp1/...
        // README: end
        jetty.setHandler(context);
        jetty.start();
        try {
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            Kp1HttpClient kp = Kp1HttpClient.builder(HttpClient.newHttpClient(),
                    URI.create("http://127.0.0.1:" + port + "/kpc")).build();
            assertThat(kp.endpoint("app", "JTjdbENzHh").request("dcx", "/json", "[]").join().isSuccess()).isTrue();
        } finally {
            jetty.stop();
        }
    }
}
