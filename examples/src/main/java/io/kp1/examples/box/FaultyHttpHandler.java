package io.kp1.examples.box;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import io.kp1.ParseResult;
import io.kp1.ResourcePath;
import io.kp1.TopicParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the box's {@code Kp1HttpHandler}: the handler writes its response into a buffer, and when
 * it is done the {@link FaultInjector} decides whether the response is sent now, later, never, or
 * replaced by a closed connection.
 */
final class FaultyHttpHandler implements HttpHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultyHttpHandler.class);

    private final HttpHandler delegate;
    private final FaultInjector injector;
    private final TopicParser parser = TopicParser.defaults();
    /** Exchanges whose response was dropped: closed with the box, so no client hangs past it. */
    private final Set<HttpExchange> dropped = ConcurrentHashMap.newKeySet();

    FaultyHttpHandler(HttpHandler delegate, FaultInjector injector) {
        this.delegate = delegate;
        this.injector = injector;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        delegate.handle(new BufferedExchange(exchange));
    }

    /** Called once the delegate has written and closed its response. */
    private void finish(HttpExchange real, int status, byte[] body) {
        Fault fault = injector.decide(new OutgoingReply(OutgoingReply.Transport.HTTP, pathOf(real),
                OptionalInt.empty(), status, false));
        switch (fault.kind()) {
            case DROP:
                dropped.add(real);
                return;
            case DISCONNECT:
                real.close(); // before any header: the JDK server closes the connection
                return;
            case DELAY:
                injector.schedule(() -> write(real, status, body), fault.delay());
                return;
            default:
                write(real, status, body); // DUPLICATE and REORDER: one response per request (K12)
        }
    }

    private ResourcePath pathOf(HttpExchange exchange) {
        String context = exchange.getHttpContext().getPath();
        String path = exchange.getRequestURI().getPath();
        if (path == null || !path.startsWith(context)) {
            return null;
        }
        String rest = path.substring(context.length());
        while (rest.startsWith("/")) {
            rest = rest.substring(1);
        }
        ParseResult r = parser.tryParseRequest(rest);
        return r.isValid() ? r.topic().path() : null;
    }

    private static void write(HttpExchange real, int status, byte[] body) {
        try (real) {
            real.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = real.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("Could not write a {} response: {}", status, e.toString());
        }
    }

    @Override
    public void close() {
        for (HttpExchange e : dropped) {
            e.close();
        }
        dropped.clear();
    }

    /** An exchange whose response goes to a buffer; closing it hands the response to {@link #finish}. */
    private final class BufferedExchange extends HttpExchange {
        private final HttpExchange real;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private int status = -1;
        private boolean closed;

        BufferedExchange(HttpExchange real) {
            this.real = real;
        }

        @Override
        public Headers getRequestHeaders() {
            return real.getRequestHeaders();
        }

        @Override
        public Headers getResponseHeaders() {
            return real.getResponseHeaders();
        }

        @Override
        public URI getRequestURI() {
            return real.getRequestURI();
        }

        @Override
        public String getRequestMethod() {
            return real.getRequestMethod();
        }

        @Override
        public HttpContext getHttpContext() {
            return real.getHttpContext();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (status < 0) {
                real.close(); // the handler gave up without a response
                return;
            }
            finish(real, status, body.toByteArray());
        }

        @Override
        public InputStream getRequestBody() {
            return real.getRequestBody();
        }

        @Override
        public OutputStream getResponseBody() {
            return body;
        }

        @Override
        public synchronized void sendResponseHeaders(int rCode, long responseLength) {
            status = rCode;
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return real.getRemoteAddress();
        }

        @Override
        public int getResponseCode() {
            return status;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return real.getLocalAddress();
        }

        @Override
        public String getProtocol() {
            return real.getProtocol();
        }

        @Override
        public Object getAttribute(String name) {
            return real.getAttribute(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            real.setAttribute(name, value);
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            throw new UnsupportedOperationException("Kaa in a box buffers the response itself");
        }

        @Override
        public HttpPrincipal getPrincipal() {
            return real.getPrincipal();
        }
    }
}
