/**
 * Implementation details of {@code io.kp1.server}: the compiled route table and log redaction.
 * Not exported by the module and not an API: nothing here is stable, and code outside kp1-java
 * must not use it.
 */
package io.kp1.server.internal;
