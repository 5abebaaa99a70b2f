/**
 * Test-only support for mutation testing with PIT ({@code mvn -Ppit -pl kp1-core verify}).
 * Not part of the conformance kit: the tests jar leaves this package out.
 */
package io.kp1.pit;
