/**
 * 10/EPMP endpoint metadata: key-value pairs about an endpoint, under an {@code epmx} instance.
 *
 * <table>
 *   <caption>Resources (after the endpoint token), client method, server method</caption>
 *   <tr><th>resource</th><th>request</th><th>success reply</th><th>{@link io.kp1.extension.epmp.Metadata}</th>
 *       <th>{@link io.kp1.extension.epmp.MetadataStore}</th></tr>
 *   <tr><td>{@code /get/keys}</td><td>empty</td><td>array of keys</td><td>{@code keys()}</td><td>{@code keys}</td></tr>
 *   <tr><td>{@code /get}</td><td>{@code {}} or {@code {"keys":[...]}} (or empty)</td><td>object</td>
 *       <td>{@code getAll()}, {@code get(keys...)}</td><td>{@code getAll}, {@code get}</td></tr>
 *   <tr><td>{@code /update}</td><td>object, at least one key</td><td>empty</td><td>{@code fullUpdate(m)}</td>
 *       <td>{@code fullUpdate}</td></tr>
 *   <tr><td>{@code /update/keys}</td><td>object, at least one key</td><td>empty</td><td>{@code partialUpdate(m)}</td>
 *       <td>{@code partialUpdate}</td></tr>
 *   <tr><td>{@code /delete/keys}</td><td>array of keys, at least one</td><td>empty</td><td>{@code delete(keys...)}</td>
 *       <td>{@code delete}</td></tr>
 * </table>
 *
 * <p>Keys match {@code ^[a-zA-Z0-9_]+$} (the schemas in the RFC repository; the RFC text
 * shows the pattern without {@code _}); values are any JSON value.
 *
 * <pre>{@code
 * Metadata md = Metadata.on(endpoint);
 * List<String> keys = md.keys().join();                          // ["name","location"]
 * ObjectNode some = md.get("name", "location").join();            // {"name":"Sensor 1",...}
 * md.partialUpdate(Map.of("firmwareVersion", "2.0.1")).join();
 * }</pre>
 */
package io.kp1.extension.epmp;
