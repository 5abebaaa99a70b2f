/**
 * kp1-http-binding: 1/KP over HTTP (K12). {@code io.kp1.http} holds the client (over
 * {@code java.net.http}) and the JDK HTTP server handler; {@code io.kp1.http.servlet} the
 * Jakarta Servlet adapter, whose API is optional ({@code requires static}): a host needs it
 * only when it uses the servlet.
 */
module io.kp1.http {
    requires transitive io.kp1.core;
    requires transitive java.net.http;
    requires transitive jdk.httpserver;
    requires org.slf4j;
    // Optional, and transitive: Kp1Servlet extends the API's HttpServlet.
    requires static transitive jakarta.servlet;

    exports io.kp1.http;
    exports io.kp1.http.servlet;
}
