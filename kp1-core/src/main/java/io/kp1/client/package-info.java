/**
 * The transport-neutral client API: {@link io.kp1.client.Endpoint} handles that the MQTT and the
 * HTTP bindings hand out, so that device, gateway and typed-extension code runs over either.
 *
 * <pre>{@code
 * Endpoint e = client.endpoint("smart_kettle_v1", "JTjdbENzHh");
 * e.request("epmx", "/get/keys", new byte[0]).thenAccept(reply -> ...);
 * }</pre>
 */
package io.kp1.client;
