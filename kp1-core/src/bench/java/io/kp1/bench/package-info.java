/** JMH benchmarks of kp1-core, compiled and run only in the {@code bench} profile. */
package io.kp1.bench;
