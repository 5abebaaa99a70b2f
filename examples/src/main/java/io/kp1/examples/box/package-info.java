/**
 * Kaa in a box: an in-process 1/KP server (2/DCP, 10/EPMP, 7/CMP, 11/CEP over in-memory stores)
 * on an embedded MQTT broker and the JDK HTTP server, with fault injection, for demos and as a
 * test fixture. Start with {@link io.kp1.examples.box.KaaInABox}.
 *
 * <pre>{@code
 * try (KaaInABox box = KaaInABox.builder().faults(Faults.builder().seed(1).drop(0.1).build()).start()) {
 *     // point the code under test at box.httpBaseUri() or box.mqttHost():box.mqttPort()
 * }
 * }</pre>
 */
package io.kp1.examples.box;
