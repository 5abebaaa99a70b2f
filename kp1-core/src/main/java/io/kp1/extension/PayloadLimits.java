package io.kp1.extension;

/**
 * Bounds for reading (and writing) extension payloads: JSON nesting depth, the length of any
 * string or property name in characters, and the payload size in bytes. A payload past a limit
 * is refused with an {@link io.kp1.InvalidPayloadException} (400 on the server side) that names
 * the field; the writers refuse to produce a payload that the readers would refuse, so whatever
 * the library writes under some limits, it reads back under the same limits. Numbers that fit
 * neither a {@code long} nor a finite {@code double} are kept exact up to 64 characters and
 * refused past that, both ways.
 *
 * <pre>{@code
 * PayloadLimits big = new PayloadLimits(64, 4 << 20, 16 << 20);     // firmware blobs in commands
 * Commands.routes(queue, big).addTo(routerBuilder, "cex");
 * Commands.on(endpoint).withLimits(big);
 * }</pre>
 *
 * @param maxDepth        the deepest nesting of arrays and objects, at least 2
 * @param maxStringLength the longest string or property name, in characters (UTF-16 units), at least 1
 * @param maxBytes        the largest payload, in bytes, at least 2
 */
public record PayloadLimits(int maxDepth, int maxStringLength, int maxBytes) {
    /** The defaults: depth 64, strings up to 262,144 characters, payloads up to 1 MiB. */
    public static final PayloadLimits DEFAULTS = new PayloadLimits(64, 262_144, 1_048_576);

    /** Checks the bounds. */
    public PayloadLimits {
        if (maxDepth < 2) {
            throw new IllegalArgumentException("maxDepth must be at least 2: " + maxDepth);
        }
        if (maxStringLength < 1) {
            throw new IllegalArgumentException("maxStringLength must be at least 1: " + maxStringLength);
        }
        if (maxBytes < 2) {
            throw new IllegalArgumentException("maxBytes must be at least 2: " + maxBytes);
        }
    }
}
