package io.kp1.mqtt.server;

import io.kp1.mqtt.testing.HiveMqCeBroker;
import io.kp1.mqtt.testing.MqttTestBroker;

/** {@link SharedSubscriptionContract} on HiveMQ Community Edition (embedded). */
class SharedSubscriptionHiveMqCeIT extends SharedSubscriptionContract {
    @Override
    protected MqttTestBroker startBroker() {
        return HiveMqCeBroker.launch();
    }
}
