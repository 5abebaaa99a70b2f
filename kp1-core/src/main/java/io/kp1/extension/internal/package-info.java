/**
 * Implementation details of the typed extension protocols: the strict bounded JSON reader and
 * writer, name checks, reply mapping and joined observations. Not exported, not an API.
 */
package io.kp1.extension.internal;
