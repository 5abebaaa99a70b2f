/**
 * Typed 1/KP extension protocols: what they share. Each protocol has a package with a client
 * facade over an {@link io.kp1.client.Endpoint} and a server-side handler interface that plugs
 * into an {@link io.kp1.server.Router}:
 *
 * <table>
 *   <caption>Protocols</caption>
 *   <tr><th>protocol</th><th>instance</th><th>client</th><th>server</th></tr>
 *   <tr><td>2/DCP data collection</td><td>{@code dcx}</td><td>{@link io.kp1.extension.dcp.DataCollection}</td>
 *       <td>{@link io.kp1.extension.dcp.DataCollectionSink}</td></tr>
 *   <tr><td>10/EPMP metadata</td><td>{@code epmx}</td><td>{@link io.kp1.extension.epmp.Metadata}</td>
 *       <td>{@link io.kp1.extension.epmp.MetadataStore}</td></tr>
 *   <tr><td>7/CMP configuration</td><td>{@code cmx}</td><td>{@link io.kp1.extension.cmp.Configuration}</td>
 *       <td>{@link io.kp1.extension.cmp.ConfigurationSource}</td></tr>
 *   <tr><td>11/CEP commands</td><td>{@code cex}</td><td>{@link io.kp1.extension.cep.Commands}</td>
 *       <td>{@link io.kp1.extension.cep.CommandQueue}</td></tr>
 * </table>
 *
 * <h2>Conventions shared by all four</h2>
 * <ul>
 *   <li><b>JSON values are Jackson {@code JsonNode}s.</b> Readers hand out trees; writers take a
 *       {@code JsonNode} or, on the client side, any object, converted with the facade's
 *       {@code ObjectMapper} ({@code withMapper(...)}); records and beans work with the default one.</li>
 *   <li><b>Error replies</b> (K7) complete a facade's future exceptionally with
 *       {@link io.kp1.extension.Kp1ErrorException}; a reply payload that breaks the RFC schema with
 *       {@link io.kp1.InvalidPayloadException}; no reply at all with whatever the
 *       {@link io.kp1.client.Endpoint} reports (a timeout, a lost connection).</li>
 *   <li><b>Bad arguments throw at once</b> ({@link java.lang.IllegalArgumentException} naming the
 *       rule), before anything is sent: metadata keys {@code ^[a-zA-Z0-9_]+$}, configuration names
 *       and command types {@code ^[a-zA-Z0-9_-]+$}.</li>
 *   <li><b>Servers answer a malformed request with 400</b> and the {@link io.kp1.InvalidPayloadException}
 *       message, which names the field by JSON Pointer: {@code Invalid 10/EPMP delete keys request at /1:
 *       "area id" is not a metadata key (^[a-zA-Z0-9_]+$) (10/EPMP)}. A handler that throws
 *       {@link io.kp1.extension.Kp1ErrorException} answers with that error; any other failure is a 500.</li>
 *   <li><b>Readers are bounded</b> by {@link io.kp1.extension.PayloadLimits} (depth, string length, size).</li>
 * </ul>
 */
package io.kp1.extension;
