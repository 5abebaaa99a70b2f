package io.kp1.http.testing;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.kp1.http.Kp1HttpHandler;
import io.kp1.http.servlet.Kp1Servlet;
import io.kp1.server.Router;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import io.kp1.ErrorResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * Real servers on loopback, each with the two mounts of {@link TestRouter}: {@code /kpc} (plain
 * options) and {@code /secure} (authentication), over HTTP and, when asked, HTTPS that wants a
 * client certificate.
 *
 * <pre>{@code
 * try (TestServers.Running s = TestServers.jdk(new TestRouter().router(), true)) {
 *     URI plain = s.uri("/kpc");          // http://127.0.0.1:<port>/kpc
 *     URI secure = s.httpsUri("/secure"); // https://127.0.0.1:<port>/secure
 * }
 * }</pre>
 */
public final class TestServers {
    private TestServers() {
    }

    /** A running server; {@link #close()} stops it. */
    public interface Running extends AutoCloseable {
        /** The HTTP port. */
        int port();

        /** The HTTPS port, or -1. */
        int httpsPort();

        /** {@code http://127.0.0.1:<port><path>}. */
        default java.net.URI uri(String path) {
            return java.net.URI.create("http://127.0.0.1:" + port() + path);
        }

        /** {@code https://127.0.0.1:<httpsPort><path>}. */
        default java.net.URI httpsUri(String path) {
            return java.net.URI.create("https://127.0.0.1:" + httpsPort() + path);
        }

        @Override
        void close();
    }

    /** The JDK HTTP server (and an HTTPS one when {@code https}), with an executor of 4 threads. */
    public static Running jdk(Router router, boolean https) throws IOException {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        mount(http, router);
        http.setExecutor(executor);
        http.start();
        HttpsServer tls = null;
        if (https) {
            tls = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            SSLContext ctx = TestTls.shared().serverContext();
            tls.setHttpsConfigurator(new HttpsConfigurator(ctx) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters p = ctx.getDefaultSSLParameters();
                    p.setWantClientAuth(true); // K13: the authenticator decides what a missing one means
                    params.setSSLParameters(p);
                }
            });
            mount(tls, router);
            tls.setExecutor(executor);
            tls.start();
        }
        HttpsServer tlsServer = tls;
        return new Running() {
            @Override
            public int port() {
                return http.getAddress().getPort();
            }

            @Override
            public int httpsPort() {
                return tlsServer == null ? -1 : tlsServer.getAddress().getPort();
            }

            @Override
            public void close() {
                http.stop(0);
                if (tlsServer != null) {
                    tlsServer.stop(0);
                }
                executor.shutdownNow();
            }
        };
    }

    /** Jetty's own error responses (those the servlet never sees) as K7 JSON bodies. */
    private static final class K7ErrorHandler extends ErrorHandler {
        @Override
        protected void generateResponse(org.eclipse.jetty.server.Request request, Response response, int code,
                String message, Throwable cause, Callback callback) {
            // Jetty's message may quote the path (and so a token, D16): the status's own phrase only.
            byte[] body = ErrorResponse.of(code, HttpStatus.getMessage(code) + " (refused by the servlet container)").toJson();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            if (!request.getConnectionMetaData().isPersistent()) {
                // A request Jetty's parser refuses (a decoded U+0000 in the path, D4) becomes a
                // pseudo HTTP/1.0 request, so Jetty answers it without "Connection: close" and
                // then closes the connection: an HTTP/1.1 client would reuse it for its next POST
                // and get no answer. Say what Jetty will do.
                response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
            }
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    private static void mount(HttpServer server, Router router) {
        server.createContext("/kpc", Kp1HttpHandler.of(router, TestRouter.plainOptions()));
        server.createContext("/secure", Kp1HttpHandler.of(router, TestRouter.secureOptions()));
    }

    /**
     * Jetty 12 (ee10) with {@link Kp1Servlet} at {@code /kpc/*} and {@code /secure/*}, async
     * supported, and {@link UriCompliance#UNSAFE} so that ambiguous paths ({@code %2F},
     * {@code ..}) reach the servlet's own D9 checks.
     */
    public static Running jetty(Router router, boolean https) throws Exception {
        Server server = new Server();
        HttpConfiguration config = new HttpConfiguration();
        config.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector http = new ServerConnector(server, new HttpConnectionFactory(config));
        http.setHost("127.0.0.1");
        http.setPort(0);
        server.addConnector(http);
        ServerConnector tls = null;
        if (https) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(TestTls.shared().serverContext());
            ssl.setWantClientAuth(true);
            HttpConfiguration httpsConfig = new HttpConfiguration(config);
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false);
            httpsConfig.addCustomizer(secure);
            tls = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(httpsConfig));
            tls.setHost("127.0.0.1");
            tls.setPort(0);
            server.addConnector(tls);
        }
        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        ServletHolder plain = new ServletHolder(new Kp1Servlet(router, TestRouter.plainOptions()));
        plain.setAsyncSupported(true);
        context.addServlet(plain, "/kpc/*");
        ServletHolder secured = new ServletHolder(new Kp1Servlet(router, TestRouter.secureOptions()));
        secured.setAsyncSupported(true);
        context.addServlet(secured, "/secure/*");
        server.setHandler(context);
        // Jetty refuses some paths itself (a decoded U+0000, D4) before the servlet sees them: a
        // host answers those with a K7 body too, as the README advises.
        K7ErrorHandler k7 = new K7ErrorHandler();
        server.setErrorHandler(k7);
        context.setErrorHandler(k7);
        server.start();
        ServerConnector tlsConnector = tls;
        return new Running() {
            @Override
            public int port() {
                return http.getLocalPort();
            }

            @Override
            public int httpsPort() {
                return tlsConnector == null ? -1 : tlsConnector.getLocalPort();
            }

            @Override
            public void close() {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
