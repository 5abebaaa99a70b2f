package io.kp1.mqtt.testing;

/** {@link BrokerListenersContract} against {@link MosquittoBroker}: every client kind on every listener. */
class MosquittoListenersIT extends BrokerListenersContract {
    @Override
    protected MqttTestBroker startBroker() {
        return MosquittoBroker.launch();
    }
}
