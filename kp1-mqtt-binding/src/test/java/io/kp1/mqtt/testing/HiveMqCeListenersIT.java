package io.kp1.mqtt.testing;

/** {@link BrokerListenersContract} against {@link HiveMqCeBroker}: every client kind on every listener. */
class HiveMqCeListenersIT extends BrokerListenersContract {
    @Override
    protected MqttTestBroker startBroker() {
        return HiveMqCeBroker.launch();
    }
}
