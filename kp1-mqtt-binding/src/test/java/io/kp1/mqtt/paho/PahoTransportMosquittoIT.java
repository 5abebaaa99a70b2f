package io.kp1.mqtt.paho;

import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.MqttTransportContract;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;

/** The {@link MqttTransportContract} for PahoTransport (Eclipse Paho 1.2.5, MQTT 3.1.1) against Mosquitto. */
class PahoTransportMosquittoIT extends MqttTransportContract {
    @Override
    protected MqttTestBroker startBroker() {
        return MosquittoBroker.launch();
    }

    @Override
    protected TestClients.Connected connect(TestClients.Options options, MqttTransport.Listener listener) throws Exception {
        return TestClients.connect(TestClients.Kind.PAHO, options, listener);
    }

    @Override
    protected boolean reportsSessionPresence() {
        return false; // Paho 1.2.5 keeps the CONNACK flag of automatic reconnects to itself
    }
}
