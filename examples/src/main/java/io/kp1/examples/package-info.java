/**
 * Runnable programs that show kp1-java at work. Not a published API.
 */
package io.kp1.examples;
