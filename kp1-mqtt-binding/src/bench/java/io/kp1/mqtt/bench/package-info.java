/** JMH benchmarks of kp1-mqtt-binding, compiled and run only in the {@code bench} profile. */
package io.kp1.mqtt.bench;
