/**
 * The conformance kit of kp1-core, shipped in its {@code tests} jar: jqwik arbitraries for valid
 * and invalid 1/KP topics ({@link io.kp1.testkit.Kp1Arbitraries}) and JSON Schema checks against
 * the RFC schemas ({@link io.kp1.testkit.SchemaAssertions}).
 *
 * <p>Another module uses it through a test dependency on {@code io.kp1:kp1-core} with
 * {@code <type>test-jar</type>} (managed in the parent pom):
 *
 * <pre>{@code
 * @Property
 * void myParserAgrees(@ForAll("requests") Topic t) { ... }
 *
 * @Provide
 * Arbitrary<Topic> requests() { return Kp1Arbitraries.requestTopics(); }
 * }</pre>
 */
package io.kp1.testkit;
