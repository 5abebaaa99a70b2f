/**
 * 1/KP over HTTP. Work in progress: see the project's issues.
 */
package io.kp1.http;
