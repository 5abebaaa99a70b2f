/**
 * Test fixtures of kp1-http-binding: real servers on loopback ({@link io.kp1.http.testing.TestServers}),
 * the router they mount ({@link io.kp1.http.testing.TestRouter}), TLS material made at test time
 * ({@link io.kp1.http.testing.TestTls}), a bare socket client ({@link io.kp1.http.testing.RawHttp}),
 * and the black-box contract for any 1/KP server over HTTP
 * ({@link io.kp1.http.testing.Kp1ServerHttpContract}, JDK {@code HttpClient}), shipped in the tests jar.
 *
 * <pre>{@code
 * try (TestServers.Running s = TestServers.jdk(new TestRouter().router(), false)) {
 *     RawHttp.send(s.port(), RawHttp.request("GET", "/kpc/kp1/app/dcx/tok/json", ""));
 * }
 * }</pre>
 */
package io.kp1.http.testing;
