package io.kp1.extension;

import io.kp1.ErrorResponse;

import java.util.Objects;

/**
 * An error reply (K7) as an exception: the typed extension facades complete their futures
 * exceptionally with it when the server answers with an error, and the typed server handlers
 * throw it (or fail their stage with it) to answer with that error instead of a success.
 *
 * <pre>{@code
 * // Client side: a 10/EPMP read of a key the endpoint may not read
 * Metadata.on(endpoint).get("secret").exceptionally(t -> {
 *     if (t.getCause() instanceof Kp1ErrorException e) {
 *         e.statusCode();            // 403
 *         e.error().reasonPhrase();  // "Key secret is not readable"
 *     }
 *     return null;
 * });
 *
 * // Server side: a MetadataStore refusing a restricted key (10/EPMP says the server MUST answer an error)
 * throw new Kp1ErrorException(403, "Key secret is not writable");
 * }</pre>
 *
 * <p>Futures that fail for any other reason (no reply: a timeout, a lost connection; a reply
 * payload that breaks the RFC schema: {@link io.kp1.InvalidPayloadException}) do not use this type.
 */
public final class Kp1ErrorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorResponse error;
    private final String extension;
    private final String resource;

    /**
     * An error raised by a server-side handler; the router answers with it.
     *
     * @throws IllegalArgumentException if {@code statusCode} or {@code reasonPhrase} is one
     *                                  {@link ErrorResponse#of} refuses
     */
    public Kp1ErrorException(int statusCode, String reasonPhrase) {
        this(ErrorResponse.of(statusCode, reasonPhrase));
    }

    /** An error raised by a server-side handler; the router answers with it. */
    public Kp1ErrorException(ErrorResponse error) {
        this(error, null, null);
    }

    /**
     * An error reply received by a client for a request to {@code resource} of {@code extension}.
     *
     * @param extension the extension instance, or null when unknown
     * @param resource  the resource relative to the extension (K14), or null when unknown
     */
    public Kp1ErrorException(ErrorResponse error, String extension, String resource) {
        super(message(Objects.requireNonNull(error, "error must not be null"), extension, resource));
        this.error = error;
        this.extension = extension;
        this.resource = resource;
    }

    private static String message(ErrorResponse error, String extension, String resource) {
        String where = extension == null ? "" : " from " + extension + (resource == null ? "" : " " + resource);
        return "Error reply" + where + ": " + error.statusCode() + " " + error.reasonPhrase() + " (K7)";
    }

    /** The K7 error payload. */
    public ErrorResponse error() {
        return error;
    }

    /** The error's status code, an HTTP status code. */
    public int statusCode() {
        return error.statusCode();
    }

    /** The extension instance the failed request went to, or null for a server-side error. */
    public String extension() {
        return extension;
    }

    /** The resource the failed request went to (e.g. {@code /get/keys}), or null for a server-side error. */
    public String resource() {
        return resource;
    }
}
