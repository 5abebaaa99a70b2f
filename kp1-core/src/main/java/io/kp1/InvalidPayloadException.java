package io.kp1;

/**
 * A payload that breaks its schema: the 1/KP error payload (K7) or an extension payload.
 *
 * <p>Names the field by JSON Pointer ({@code ""} for the whole document) and the problem. A
 * server answers it with status 400 and this message as the reason phrase.
 *
 * <pre>{@code
 * try {
 *     ErrorResponse.fromJson(bytes);
 * } catch (InvalidPayloadException e) {
 *     e.field();       // "/statusCode"
 *     e.getMessage();  // Invalid error response at /statusCode: expected an integer, got a string (K7)
 * }
 * }</pre>
 */
public final class InvalidPayloadException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String what;
    private final String field;
    private final String problem;
    private final String rule;

    /**
     * Creates an exception.
     *
     * @param what    what was being read, e.g. {@code "error response"}
     * @param field   the JSON Pointer of the offending field, {@code ""} for the document
     * @param problem what is wrong with it
     * @param rule    the rule or schema broken, e.g. {@code "K7"}
     * @param cause   the parser's exception, or null
     */
    public InvalidPayloadException(String what, String field, String problem, String rule, Throwable cause) {
        super("Invalid " + what + (field.isEmpty() ? "" : " at " + field) + ": " + problem + " (" + rule + ")",
                cause);
        this.what = what;
        this.field = field;
        this.problem = problem;
        this.rule = rule;
    }

    /** What was being read, e.g. {@code "error response"}. */
    public String what() {
        return what;
    }

    /** The JSON Pointer of the offending field, {@code ""} for the document as a whole. */
    public String field() {
        return field;
    }

    /** What is wrong, without the field: {@code "expected an integer, got a string"}. */
    public String problem() {
        return problem;
    }

    /** The rule or schema broken, e.g. {@code "K7"} or {@code "10/EPMP"}. */
    public String rule() {
        return rule;
    }
}
