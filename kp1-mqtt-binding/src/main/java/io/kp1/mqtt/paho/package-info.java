/**
 * The {@link io.kp1.mqtt.MqttTransport} adapter for Eclipse Paho 1.2.x
 * ({@code org.eclipse.paho:org.eclipse.paho.client.mqttv3}, an optional dependency: the host
 * brings it).
 *
 * <pre>{@code
 * MqttTransport transport = PahoTransport.of(pahoAsyncClient);
 * }</pre>
 */
package io.kp1.mqtt.paho;
