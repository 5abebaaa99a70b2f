/**
 * Test fixtures for MQTT integration tests, shipped in kp1-mqtt-binding's tests jar: real brokers
 * on loopback that can be stopped and restarted on the same ports ({@link io.kp1.mqtt.testing.MosquittoBroker},
 * {@link io.kp1.mqtt.testing.HiveMqCeBroker}), certificates made at test time
 * ({@link io.kp1.mqtt.testing.TlsMaterial}), a relay that breaks connections on demand
 * ({@link io.kp1.mqtt.testing.TcpProxy}), connected clients of each supported kind
 * ({@link io.kp1.mqtt.testing.TestClients}) and a listener to wait on
 * ({@link io.kp1.mqtt.testing.RecordingListener}); and the black-box contract for any 1/KP server
 * over MQTT ({@link io.kp1.mqtt.testing.Kp1ServerMqttContract}, a raw Paho probe).
 *
 * <pre>{@code
 * try (MqttTestBroker broker = MosquittoBroker.launch();
 *      TestClients.Connected c = TestClients.connect(TestClients.Kind.PAHO,
 *              TestClients.options(broker, MqttTestBroker.Listener.TCP).automaticReconnect(true), events)) {
 *     broker.restart();
 *     events.awaitConnectionLost();
 *     events.awaitConnected();
 * }
 * }</pre>
 *
 * <p>A project using them adds the tests jar ({@code <type>test-jar</type>}) and, in test scope,
 * what they need: the client libraries, {@code bcpkix-jdk18on}, {@code hivemq-community-edition-embedded}
 * for HiveMQ CE, {@code netty-codec-http} for the HiveMQ client over WebSocket, and Mosquitto on the
 * machine for {@code MosquittoBroker}; {@code Kp1ServerMqttContract} needs Eclipse Paho and kp1-core's
 * tests jar (with {@code json-schema-validator}).
 */
package io.kp1.mqtt.testing;
