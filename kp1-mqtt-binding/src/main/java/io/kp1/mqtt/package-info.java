/**
 * 1/KP over MQTT: the transport SPI that the 1/KP binding runs on.
 *
 * <p>{@link io.kp1.mqtt.MqttTransport} is what the binding needs from an MQTT client: publish,
 * subscribe and unsubscribe with completions, and one {@link io.kp1.mqtt.MqttTransport.Listener}
 * for messages and connection events. Adapters for Eclipse Paho and the HiveMQ MQTT Client ship in
 * {@code io.kp1.mqtt.paho} and {@code io.kp1.mqtt.hivemq}; a host with another client writes one
 * short class and checks it with the {@code MqttTransportContract} suite of this module's tests
 * jar. Arguments are never null unless a method says so.
 *
 * <p>{@link io.kp1.mqtt.Kp1MqttClient} is the device and gateway side: many endpoints on one
 * connection, each an {@link io.kp1.mqtt.MqttEndpoint} (an {@link io.kp1.client.Endpoint}) with
 * request, send, observe and push; it subscribes to reply topics before it publishes, following a
 * {@link io.kp1.mqtt.SubscriptionStrategy}, and ends every request (D14).
 *
 * <p>{@link io.kp1.mqtt.Kp1MqttServer} is the extension-service side of 1/KP on that SPI: it
 * subscribes (optionally as an MQTT 5 shared subscription), routes each request with an
 * {@link io.kp1.server.Router} and publishes the {@code /status} or {@code /error} reply.
 *
 * <pre>{@code
 * MqttTransport transport = PahoTransport.of(pahoClient);
 * transport.setListener(message -> handle(message.topic(), message.payload()));
 * transport.subscribe("kp1/demo_v1/dcx/JTjdbENzHh/json/#", MqttQos.AT_LEAST_ONCE).join();
 *
 * // or, for 1/KP requests from a gateway:
 * Kp1MqttClient gateway = Kp1MqttClient.builder(transport).build();
 * Reply keys = gateway.endpoint("demo_v1", "JTjdbENzHh").request("epmx", "/get/keys", new byte[0]).join();
 * }</pre>
 */
package io.kp1.mqtt;
