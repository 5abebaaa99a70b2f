/**
 * The 1/KP model: resource paths, MQTT topics, replies and the error payload.
 *
 * <p>Everything here is immutable and free of I/O. Arguments are never null unless a method
 * says so. Rules cited as K1..K14 and D1..D16 are those of the project's {@code KP1.md}
 * (the Kaa RFCs 1/KP and friends, with this library's decisions where they leave gaps).
 *
 * <pre>{@code
 * Topic t = Topic.parseRequest("kp1/demo_v1/dcx/JTjdbENzHh/json/42");
 * t.statusTopic().name();   // kp1/demo_v1/dcx/JTjdbENzHh/json/42/status
 * }</pre>
 */
package io.kp1;
