/**
 * Implementation details of kp1-http-binding: URL path segment encoding and decoding (D9) and
 * the transport-free server logic both adapters share (D10, K13). Not exported by the module and
 * not an API: nothing here is stable, and code outside kp1-java must not use it.
 *
 * <pre>{@code
 * HttpServerCore core = new HttpServerCore(router, HttpServerOptions.defaults());
 * core.handle(exchange, HttpServerCore.Base.of("/kpc")).thenAccept(adapter::write);
 * }</pre>
 */
package io.kp1.http.internal;
