/** kp1-mqtt-binding: 1/KP over MQTT. */
module io.kp1.mqtt {
    requires transitive io.kp1.core;

    // exports io.kp1.mqtt; (added with the first public type)
}
