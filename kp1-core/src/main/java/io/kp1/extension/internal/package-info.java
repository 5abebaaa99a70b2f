/**
 * Implementation details of the typed extension protocols: the strict bounded JSON reader and
 * writer, name checks, the facades' client side (typed replies, joined observations) and the
 * routes' error mapping. Not exported, not an API.
 */
package io.kp1.extension.internal;
