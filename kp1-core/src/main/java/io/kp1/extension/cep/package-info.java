/**
 * 11/CEP command execution: endpoints receive commands of a type from a {@code cex} instance,
 * execute them, and report results.
 *
 * <table>
 *   <caption>Resources (after the endpoint token)</caption>
 *   <tr><th>resource</th><th>request</th><th>success reply</th></tr>
 *   <tr><td>{@code /command/<type>}</td><td>{@code {"observe"?}}</td><td>array of
 *       {@link io.kp1.extension.cep.Command} {@code {"id","payload"?}}; observable, and pushed on
 *       {@code .../command/<type>/status} (K11)</td></tr>
 *   <tr><td>{@code /result/<type>}</td><td>array of {@link io.kp1.extension.cep.CommandResult}
 *       {@code {"id","statusCode","reasonPhrase"?,"payload"?}}</td><td>K7 format</td></tr>
 * </table>
 *
 * <p>The RFC text makes a result request an array, its schema file a single object: readers
 * accept both, writers send arrays (KP1.md). Command types match {@code ^[a-zA-Z0-9_-]+$}.
 *
 * <pre>{@code
 * // Client
 * Commands.on(endpoint).observe("reboot", cmd -> { reboot(); return cmd.ok(); });
 * // Server
 * Commands.routes(queue).addTo(routerBuilder);
 * }</pre>
 */
package io.kp1.extension.cep;
