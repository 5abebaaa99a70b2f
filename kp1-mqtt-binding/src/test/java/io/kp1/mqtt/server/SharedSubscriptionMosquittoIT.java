package io.kp1.mqtt.server;

import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;

/** {@link SharedSubscriptionContract} on Mosquitto 2. */
class SharedSubscriptionMosquittoIT extends SharedSubscriptionContract {
    @Override
    protected MqttTestBroker startBroker() {
        return MosquittoBroker.launch();
    }
}
