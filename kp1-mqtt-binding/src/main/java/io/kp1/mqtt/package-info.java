/**
 * 1/KP over MQTT. Work in progress: see the project's issues.
 */
package io.kp1.mqtt;
