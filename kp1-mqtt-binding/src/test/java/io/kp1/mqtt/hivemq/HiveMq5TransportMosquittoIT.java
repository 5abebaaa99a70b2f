package io.kp1.mqtt.hivemq;

import io.kp1.mqtt.MqttTransport;
import io.kp1.mqtt.MqttTransportContract;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;

/** The {@link MqttTransportContract} for HiveMqTransport over the MQTT 5 HiveMQ client against Mosquitto. */
class HiveMq5TransportMosquittoIT extends MqttTransportContract {
    @Override
    protected MqttTestBroker startBroker() {
        return MosquittoBroker.launch();
    }

    @Override
    protected TestClients.Connected connect(TestClients.Options options, MqttTransport.Listener listener) throws Exception {
        return TestClients.connect(TestClients.Kind.HIVEMQ_5, options, listener);
    }

    @Override
    protected boolean expectsNoLocal() {
        return true;
    }
}
