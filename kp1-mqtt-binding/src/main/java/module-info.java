/**
 * kp1-mqtt-binding: 1/KP over MQTT.
 *
 * <p>{@code io.kp1.mqtt} is the transport SPI, the 1/KP gateway client ({@code Kp1MqttClient}) and
 * the 1/KP server ({@code Kp1MqttServer});
 * {@code io.kp1.mqtt.paho} and {@code io.kp1.mqtt.hivemq} adapt the two usual Java clients to it.
 * The clients are optional ({@code requires static}): a host needs only the one whose adapter it
 * uses.
 */
module io.kp1.mqtt {
    requires transitive io.kp1.core;
    requires org.slf4j;
    // Optional, and transitive: the adapters take and expose the clients' own types.
    requires static transitive org.eclipse.paho.client.mqttv3;
    requires static transitive com.hivemq.client.mqtt;

    exports io.kp1.mqtt;
    exports io.kp1.mqtt.paho;
    exports io.kp1.mqtt.hivemq;
}
