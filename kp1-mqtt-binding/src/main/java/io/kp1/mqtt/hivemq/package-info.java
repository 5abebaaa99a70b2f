/**
 * The {@link io.kp1.mqtt.MqttTransport} adapters for the HiveMQ MQTT Client
 * ({@code com.hivemq:hivemq-mqtt-client}, an optional dependency: the host brings it), MQTT 5 and
 * MQTT 3.1.1.
 *
 * <pre>{@code
 * HiveMqConnectionEvents events = new HiveMqConnectionEvents();
 * Mqtt5AsyncClient client = events.addTo(Mqtt5Client.builder().serverHost("broker")).buildAsync();
 * MqttTransport transport = HiveMqTransport.of(client, events);
 * }</pre>
 */
package io.kp1.mqtt.hivemq;
