package io.kp1.http.servlet;

import io.kp1.http.HttpServerOptions;
import io.kp1.http.internal.HttpServerCore;
import io.kp1.http.internal.HttpServerCore.Base;
import io.kp1.http.internal.HttpServerCore.Response;
import io.kp1.server.Router;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves 1/KP from a Jakarta Servlet 6 container: map it to a path such as {@code /kpc/*} (or
 * {@code /*}), and {@code POST <context>/kpc/kp1/<appVersion>/<extension>/<token>/<path>} is
 * routed by the {@link Router} (K12), with the same D9 path decoding, D10 statuses, body limit
 * and authentication (K13) as {@link io.kp1.http.Kp1HttpHandler}.
 *
 * <pre>{@code
 * // Jetty 12 (ee10), embedded:
 * ServletContextHandler context = new ServletContextHandler("/");
 * ServletHolder holder = new ServletHolder(new Kp1Servlet(router, options));
 * holder.setAsyncSupported(true);                        // handlers may answer later
 * context.addServlet(holder, "/kpc/*");
 * }</pre>
 *
 * <p>The base path is the context path plus, for a path mapping such as {@code /kpc/*}, the
 * servlet path; the raw request URI is decoded against it segment by segment (D9). TLS client
 * certificates come from the request attribute {@code jakarta.servlet.request.X509Certificate}.
 *
 * <p>When the handler's stage is not complete and the servlet is async-supported, the request is
 * put in asynchronous mode and the response is written when the stage completes; if the
 * container's async timeout passes first, the client gets 503 and the late reply is dropped.
 * Without async support the container thread waits for the stage.
 *
 * <p>A request refused before its body is read (404, 405, 400, 401, 403, 413) is answered with
 * {@code Connection: close} over HTTP/1.x, since the container will not keep a connection with
 * an unread body on it: a client never reuses a connection the server is about to close.
 *
 * <p>Containers check URLs before servlets run, and some answer 400 themselves (with their own
 * body) to ambiguous paths such as {@code %2F} or {@code ..} in their default settings; Jetty's
 * {@code UriCompliance.UNSAFE} lets them through to this servlet's own D9 checks.
 */
public class Kp1Servlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(Kp1Servlet.class);
    private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final transient HttpServerCore core;
    private transient volatile Base lastBase = Base.of("/");

    /** A servlet with {@link HttpServerOptions#defaults()}. */
    public Kp1Servlet(Router router) {
        this(router, HttpServerOptions.defaults());
    }

    /** A servlet with these options. */
    public Kp1Servlet(Router router, HttpServerOptions options) {
        this.core = new HttpServerCore(router, options);
    }

    /** The options this servlet uses. */
    public HttpServerOptions options() {
        return core.options();
    }

    /** Serves every method, so that methods other than POST get 405 with the K7 body (K12, D10). */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ServletExchange exchange = new ServletExchange(request);
        CompletableFuture<Response> future = core.handle(exchange, base(request)).toCompletableFuture();
        if (exchange.bodyLeftUnread()) {
            // Refused (404, 405, 400, 401, 403) before the body was read: this servlet writes the
            // whole response itself, so the container can no longer mark it "Connection: close"
            // when it finds the body unread, and it would close the connection silently after a
            // response that promised to keep it. A client that reused the connection for its next
            // POST would get no answer, and could not safely retry (found with Jetty 12).
            closeConnection(request, response);
        }
        if (future.isDone() || !request.isAsyncSupported()) {
            write(response, future.join());
            return;
        }
        AsyncContext async = request.startAsync();
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) throws IOException {
                if (answered.compareAndSet(false, true)) {
                    LOG.warn("Handler did not answer within the container's async timeout of {} ms; replying 503",
                            event.getAsyncContext().getTimeout());
                    write((HttpServletResponse) event.getAsyncContext().getResponse(), Response503.INSTANCE);
                    event.getAsyncContext().complete();
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onError(AsyncEvent event) {
                answered.set(true); // the connection failed: nobody to answer
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        future.whenComplete((r, failure) -> {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            try {
                write((HttpServletResponse) async.getResponse(), r != null ? r : Response.internalError());
            } catch (IOException | RuntimeException e) {
                LOG.debug("Could not write a response: {}", e.toString());
            } finally {
                async.complete();
            }
        });
    }

    private Base base(HttpServletRequest request) {
        String servletPath = request.getHttpServletMapping() != null
                && request.getHttpServletMapping().getMappingMatch() == MappingMatch.PATH ? request.getServletPath() : "";
        String context = request.getContextPath() + servletPath;
        Base b = lastBase;
        if (!b.text().equals(context)) {
            b = Base.of(context);
            lastBase = b;
        }
        return b;
    }

    private static void write(HttpServletResponse response, Response r) throws IOException {
        String[] extra = r.headers();
        response.setStatus(r.status());
        for (int i = 0; i < extra.length; i += 2) {
            response.setHeader(extra[i], extra[i + 1]);
        }
        byte[] body = r.body();
        if (r.contentType() != null) {
            response.setContentType(r.contentType());
        }
        response.setContentLength(body.length);
        if (body.length > 0) {
            response.getOutputStream().write(body);
        }
    }

    /** HTTP/1.x only: later protocols end the stream, not the connection, and forbid the header. */
    private static void closeConnection(HttpServletRequest request, HttpServletResponse response) {
        String protocol = request.getProtocol();
        if (protocol != null && protocol.startsWith("HTTP/1.")) {
            response.setHeader("Connection", "close");
        }
    }

    /** The 503 of an async timeout. */
    private static final class Response503 {
        static final Response INSTANCE = HttpServerCore.errorResponse(503,
                "Service unavailable: the handler did not answer in time");
    }

    /** {@link HttpServletRequest} as the core's {@link HttpServerCore.Exchange}. */
    private static final class ServletExchange implements HttpServerCore.Exchange {
        private final HttpServletRequest request;
        private boolean bodyOpened;

        ServletExchange(HttpServletRequest request) {
            this.request = request;
        }

        /**
         * Whether the request has a body that the core did not read to its end: it answered
         * before reading it, or stopped reading (413, a broken body).
         */
        boolean bodyLeftUnread() throws IOException {
            long length = request.getContentLengthLong();
            if (length == 0 || (length < 0 && request.getHeader("Transfer-Encoding") == null)) {
                return false; // no body (RFC 9112, 6.3)
            }
            return !bodyOpened || !request.getInputStream().isFinished();
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String rawPath() {
            String uri = request.getRequestURI();
            return uri == null ? "" : uri;
        }

        @Override
        public String header(String name) {
            return request.getHeader(name);
        }

        @Override
        public long contentLength() {
            return request.getContentLengthLong();
        }

        @Override
        public InputStream body() throws IOException {
            bodyOpened = true;
            return request.getInputStream();
        }

        @Override
        public List<X509Certificate> peerCertificates() {
            Object certs = request.getAttribute(CERTIFICATES);
            return certs instanceof X509Certificate[] ? List.of((X509Certificate[]) certs) : List.of();
        }
    }
}
