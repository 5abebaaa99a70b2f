/**
 * The conformance kit of kp1-core, shipped in its {@code tests} jar, for any 1/KP implementation:
 * <ul>
 *   <li>{@link io.kp1.testkit.Kp1Arbitraries}: jqwik arbitraries for valid resource paths, request
 *       IDs, request and reply topics, pushes and HTTP paths, and invalid topics, request IDs and
 *       HTTP paths, each labelled with the rule it breaks;</li>
 *   <li>{@link io.kp1.testkit.PayloadArbitraries}: valid 2/DCP, 10/EPMP, 7/CMP and 11/CEP request
 *       payloads, and invalid ones labelled with the protocol and the JSON Pointer of the field
 *       they break;</li>
 *   <li>{@link io.kp1.testkit.SchemaAssertions}: JSON Schema checks against the RFC schemas;</li>
 *   <li>{@link io.kp1.testkit.LogCapture}: captures Logback events to check that no endpoint
 *       token is logged whole (D16).</li>
 * </ul>
 *
 * <p>Another module uses it through a test dependency on {@code io.kp1:kp1-core} with
 * {@code <type>test-jar</type>} (managed in the parent pom); it needs jqwik, and Jackson's
 * databind, networknt's json-schema-validator and logback-classic for the classes that use them.
 *
 * <pre>{@code
 * @Property
 * void myParserAgrees(@ForAll("requests") Topic t) { ... }
 *
 * @Provide
 * Arbitrary<Topic> requests() { return Kp1Arbitraries.requestTopics(); }
 * }</pre>
 *
 * <p>The black-box server contracts live in the bindings' tests jars:
 * {@code io.kp1.mqtt.testing.Kp1ServerMqttContract} and {@code io.kp1.http.testing.Kp1ServerHttpContract}.
 */
package io.kp1.testkit;
