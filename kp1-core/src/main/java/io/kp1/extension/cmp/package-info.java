/**
 * 7/CMP configuration management: endpoints fetch and observe their configuration under a
 * {@code cmx} instance, and report it applied or rejected.
 *
 * <table>
 *   <caption>Resources (after the endpoint token)</caption>
 *   <tr><th>resource</th><th>request</th><th>success reply</th></tr>
 *   <tr><td>{@code /config/json[/<name>]}</td><td>{@link io.kp1.extension.cmp.ConfigRequest}
 *       {@code {"configId"?, "observe"?}}</td><td>{@link io.kp1.extension.cmp.ConfigResponse}
 *       {@code {"configId","config"}}, or {@code {}} when unchanged; observable (K11)</td></tr>
 *   <tr><td>{@code /applied/json[/<name>]}</td><td>{@link io.kp1.extension.cmp.AppliedReport}
 *       {@code {"configId","statusCode"?,"reasonPhrase"?}}</td><td>empty</td></tr>
 * </table>
 *
 * <p>Named configurations ({@code /config/json/<name>}, names {@code ^[a-zA-Z0-9_-]+$}) sit
 * beside the default one. No configuration assigned is {@code {"configId":"","config":null}}.
 *
 * <pre>{@code
 * // Client
 * Configuration.on(endpoint).observe(c -> apply(c.config()));
 * // Server
 * Configuration.routes((req, name, body) -> store.current(req.endpointToken(), name)).addTo(routerBuilder);
 * }</pre>
 */
package io.kp1.extension.cmp;
