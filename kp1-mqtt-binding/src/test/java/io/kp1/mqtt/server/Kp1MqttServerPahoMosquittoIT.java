package io.kp1.mqtt.server;

import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;

/** {@link ServerEndToEndContract}: the server on Eclipse Paho (MQTT 3.1.1), the device on the HiveMQ client (MQTT 5), Mosquitto. */
class Kp1MqttServerPahoMosquittoIT extends ServerEndToEndContract {
    @Override
    protected MqttTestBroker startBroker() {
        return MosquittoBroker.launch();
    }

    @Override
    protected TestClients.Kind serverKind() {
        return TestClients.Kind.PAHO;
    }

    @Override
    protected TestClients.Kind deviceKind() {
        return TestClients.Kind.HIVEMQ_5;
    }
}
