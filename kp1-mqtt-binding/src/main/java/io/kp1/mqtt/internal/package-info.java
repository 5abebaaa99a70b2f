/**
 * Implementation details of kp1-mqtt-binding shared by its adapters, client and server (the
 * client's subscription table and deadline timer among them). Not exported by the module
 * and not an API: nothing here is stable, and code outside kp1-java must not use it.
 */
package io.kp1.mqtt.internal;
