package io.kp1.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import io.kp1.http.internal.HttpServerCore;
import io.kp1.http.internal.HttpServerCore.Base;
import io.kp1.http.internal.HttpServerCore.Response;
import io.kp1.server.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Serves 1/KP over the JDK's built-in HTTP server ({@code com.sun.net.httpserver}): mount it
 * under any context path, and {@code POST <context>/kp1/<appVersion>/<extension>/<token>/<path>}
 * is routed by the {@link Router} (K12). Paths are decoded per D9 and statuses mapped per D10;
 * see {@link HttpServerOptions} for the body limit and authentication (K13).
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok()))
 *         .build();
 * HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 8080), 0);
 * server.setExecutor(Executors.newFixedThreadPool(8));   // see "Threads" below
 * server.createContext("/kpc", Kp1HttpHandler.of(router));
 * server.start();
 * // curl -X POST http://127.0.0.1:8080/kpc/kp1/kettle_v1/dcx/JTjdbENzHh/json -d '[{"t":97}]'
 * }</pre>
 *
 * <h2>Status codes (D10)</h2>
 * 200 with the reply payload for a success; the reply's status with the K7 body for an error;
 * 404 outside {@code <context>/kp1/}; 405 with {@code Allow: POST} for other methods; 400 for an
 * invalid path; 401 or 403 from the authenticator; 413 past the body limit; 500 when a handler
 * fails (without its details). The JDK server itself answers 400, with its own body, to request
 * lines that {@link java.net.URI} cannot parse (such as a {@code %} not followed by two hex
 * digits) before any handler runs.
 *
 * <h2>Threads</h2>
 * The handler reads the request body on the thread the server runs it on, routes, and returns
 * at once when the handler's stage is not complete yet: the response is written when the stage
 * completes, on the server's executor when it has one. So a slow handler never holds a server
 * thread. Without {@link com.sun.net.httpserver.HttpServer#setExecutor} the JDK server runs
 * handlers on its single dispatcher thread, where a client that sends its body slowly stalls
 * every other connection: give the server an executor (a fixed pool of a few threads per core,
 * or {@code Executors.newVirtualThreadPerTaskExecutor()} on Java 21).
 */
public final class Kp1HttpHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Kp1HttpHandler.class);

    private final HttpServerCore core;
    /** The last context path seen and its base: a handler is nearly always mounted once. */
    private volatile Base lastBase = Base.of("/");

    private Kp1HttpHandler(HttpServerCore core) {
        this.core = core;
    }

    /** A handler with {@link HttpServerOptions#defaults()}. */
    public static Kp1HttpHandler of(Router router) {
        return of(router, HttpServerOptions.defaults());
    }

    /** A handler with these options. */
    public static Kp1HttpHandler of(Router router, HttpServerOptions options) {
        return new Kp1HttpHandler(new HttpServerCore(router, options));
    }

    /** The options this handler uses. */
    public HttpServerOptions options() {
        return core.options();
    }

    @Override
    public void handle(HttpExchange exchange) {
        CompletableFuture<Response> response = core.handle(new JdkExchange(exchange), base(exchange))
                .toCompletableFuture();
        if (response.isDone()) {
            write(exchange, response.join());
            return;
        }
        Executor executor = exchange.getHttpContext().getServer().getExecutor();
        response.whenComplete((r, failure) -> {
            Response out = r != null ? r : Response.internalError();
            if (executor == null) {
                write(exchange, out);
                return;
            }
            try {
                executor.execute(() -> write(exchange, out));
            } catch (RejectedExecutionException e) {
                write(exchange, out); // the server is stopping: answer here rather than never
            }
        });
    }

    private Base base(HttpExchange exchange) {
        String context = exchange.getHttpContext().getPath();
        Base b = lastBase;
        if (!b.text().equals(context)) {
            b = Base.of(context);
            lastBase = b;
        }
        return b;
    }

    private static void write(HttpExchange exchange, Response response) {
        try (exchange) {
            Headers headers = exchange.getResponseHeaders();
            String[] extra = response.headers();
            for (int i = 0; i < extra.length; i += 2) {
                headers.set(extra[i], extra[i + 1]);
            }
            byte[] body = response.body();
            if (response.contentType() != null) {
                headers.set("Content-Type", response.contentType());
            }
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away; nothing is left to tell it.
            LOG.debug("Could not write a {} response: {}", response.status(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "Kp1HttpHandler[" + core.options() + "]";
    }

    /** {@link HttpExchange} as the core's {@link HttpServerCore.Exchange}. */
    private static final class JdkExchange implements HttpServerCore.Exchange {
        private final HttpExchange exchange;

        JdkExchange(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public String method() {
            return exchange.getRequestMethod();
        }

        @Override
        public String rawPath() {
            String path = exchange.getRequestURI().getRawPath();
            return path == null ? "" : path;
        }

        @Override
        public String header(String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }

        @Override
        public long contentLength() {
            String value = exchange.getRequestHeaders().getFirst("Content-Length");
            if (value == null) {
                return -1;
            }
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                return -1; // the JDK server refuses such requests before handlers run
            }
        }

        @Override
        public InputStream body() {
            return exchange.getRequestBody();
        }

        @Override
        public List<X509Certificate> peerCertificates() {
            if (!(exchange instanceof HttpsExchange)) {
                return List.of();
            }
            SSLSession session = ((HttpsExchange) exchange).getSSLSession();
            try {
                List<X509Certificate> out = new ArrayList<>(2);
                for (Certificate c : session.getPeerCertificates()) {
                    if (c instanceof X509Certificate) {
                        out.add((X509Certificate) c);
                    }
                }
                return out;
            } catch (SSLPeerUnverifiedException e) {
                return List.of(); // no client certificate
            }
        }
    }
}
