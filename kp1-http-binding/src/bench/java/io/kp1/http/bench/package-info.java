/** JMH benchmarks of kp1-http-binding, compiled and run only in the {@code bench} profile. */
package io.kp1.http.bench;
