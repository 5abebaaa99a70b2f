package io.kp1.examples.box;

/** Publishes a server push (K11) on the box's MQTT connection; through the fault wrapper. */
@FunctionalInterface
interface Pusher {
    void push(String topic, byte[] payload);
}
