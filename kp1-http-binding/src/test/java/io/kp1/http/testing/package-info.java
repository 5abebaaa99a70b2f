/**
 * Test fixtures of kp1-http-binding: real servers on loopback ({@link io.kp1.http.testing.TestServers}),
 * the router they mount ({@link io.kp1.http.testing.TestRouter}), TLS material made at test time
 * ({@link io.kp1.http.testing.TestTls}) and a bare socket client ({@link io.kp1.http.testing.RawHttp}).
 *
 * <pre>{@code
 * try (TestServers.Running s = TestServers.jdk(new TestRouter().router(), false)) {
 *     RawHttp.send(s.port(), RawHttp.request("GET", "/kpc/kp1/app/dcx/tok/json", ""));
 * }
 * }</pre>
 */
package io.kp1.http.testing;
