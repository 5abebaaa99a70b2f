/**
 * Implementation details of {@code io.kp1.correlation}: the request-ID table and the bounded
 * memory of recently ended requests. Not exported by the module and not an API.
 */
package io.kp1.correlation.internal;
