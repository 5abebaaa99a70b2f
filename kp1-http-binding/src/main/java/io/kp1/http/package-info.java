/**
 * 1/KP over HTTP (K12): the client {@link io.kp1.http.Kp1HttpClient} over the JDK
 * {@code java.net.http.HttpClient}, and the server {@link io.kp1.http.Kp1HttpHandler} for the
 * JDK's {@code com.sun.net.httpserver} (the servlet adapter is in {@code io.kp1.http.servlet}).
 * Both follow D9 (URL path segments, percent-encoded as UTF-8, no request ID) and D10 (status
 * codes, K7 error bodies); authentication hooks are {@link io.kp1.http.HttpAuthenticator} (K13).
 *
 * <p>Arguments are never null unless a method says so.
 *
 * <pre>{@code
 * // Server
 * server.createContext("/kpc", Kp1HttpHandler.of(router));
 * // Client
 * Endpoint e = Kp1HttpClient.builder(httpClient, URI.create("http://127.0.0.1:8080/kpc")).build()
 *         .endpoint("kettle_v1", "JTjdbENzHh");
 * Reply r = e.request("dcx", "/json", "[{\"t\":97}]").join();
 * }</pre>
 */
package io.kp1.http;
