/**
 * Runnable programs that show kp1-java at work. Not a published API.
 *
 * <ul>
 *   <li>{@link io.kp1.examples.Demo}: the README's first command, a gateway for many endpoints
 *       against Kaa in a box ({@link io.kp1.examples.box.KaaInABox}), over MQTT (configuration and
 *       commands pushed, K11), then over HTTP, plus a closer look at one endpoint's topics.</li>
 *   <li>{@link io.kp1.examples.KaaGateway}: the same gateway against a real server (Kaa Cloud, a
 *       Kaa deployment) by URL ({@code https://}, {@code mqtt://}, {@code mqtts://}),
 *       application version and endpoint tokens.</li>
 * </ul>
 *
 * <pre>{@code
 * java -jar examples/target/kp1-examples.jar --endpoints 100
 * java -cp examples/target/kp1-examples.jar io.kp1.examples.KaaGateway --help
 * }</pre>
 */
package io.kp1.examples;
