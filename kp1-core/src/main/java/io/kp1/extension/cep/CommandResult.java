package io.kp1.extension.cep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Objects;
import java.util.Optional;

/**
 * An 11/CEP command result: {@code {"id", "statusCode", "reasonPhrase"?, "payload"?}}, one
 * element of a result request ({@code /result/<type>}).
 *
 * <pre>{@code
 * CommandResult.ok(42);                                            // {"id":42,"statusCode":200}
 * CommandResult.ok(42).withPayload(node);                          // {"id":42,"statusCode":200,"payload":...}
 * CommandResult.of(42, 409).withReasonPhrase("Parking slot taken");
 * }</pre>
 *
 * <p>Status codes are HTTP status codes (100..599); 2xx is a success. Immutable.
 */
public final class CommandResult {
    private final long id;
    private final int statusCode;
    private final String reasonPhrase;
    private final JsonNode payload;

    private CommandResult(long id, int statusCode, String reasonPhrase, JsonNode payload) {
        this.id = id;
        this.statusCode = statusCode;
        this.reasonPhrase = reasonPhrase;
        this.payload = payload;
    }

    /** A 200 result without reason phrase or payload. */
    public static CommandResult ok(long id) {
        return new CommandResult(id, 200, null, MissingNode.getInstance());
    }

    /**
     * A result with this status code, without reason phrase or payload.
     *
     * @throws IllegalArgumentException if {@code statusCode} is outside 100..599
     */
    public static CommandResult of(long id, int statusCode) {
        if (statusCode < 100 || statusCode > 599) {
            throw new IllegalArgumentException("Invalid statusCode " + statusCode
                    + ": must be an HTTP status code 100..599 (11/CEP)");
        }
        return new CommandResult(id, statusCode, null, MissingNode.getInstance());
    }

    /** This result with a reason phrase. */
    public CommandResult withReasonPhrase(String reasonPhrase) {
        return new CommandResult(id, statusCode, Objects.requireNonNull(reasonPhrase, "reasonPhrase must not be null"),
                payload);
    }

    /** This result with a payload ({@code NullNode} for JSON null; {@code MissingNode} for none). */
    public CommandResult withPayload(JsonNode payload) {
        return new CommandResult(id, statusCode, reasonPhrase,
                Objects.requireNonNull(payload, "payload must not be null (use MissingNode for none)"));
    }

    /** The id of the command this is the result of. */
    public long id() {
        return id;
    }

    /** The status code, an HTTP status code. */
    public int statusCode() {
        return statusCode;
    }

    /** Whether the command succeeded (2xx). */
    public boolean isSuccess() {
        return statusCode >= 200 && statusCode < 300;
    }

    /** The reason phrase, if any. */
    public Optional<String> reasonPhrase() {
        return Optional.ofNullable(reasonPhrase);
    }

    /** The result payload, {@code MissingNode} when there is none. */
    public JsonNode payload() {
        return payload;
    }

    /** Whether the result has a payload. */
    public boolean hasPayload() {
        return !payload.isMissingNode();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CommandResult)) {
            return false;
        }
        CommandResult r = (CommandResult) o;
        return r.id == id && r.statusCode == statusCode && Objects.equals(r.reasonPhrase, reasonPhrase)
                && r.payload.equals(payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, statusCode, reasonPhrase, payload);
    }

    @Override
    public String toString() {
        return "CommandResult[" + id + ", " + statusCode + (reasonPhrase == null ? "" : " " + reasonPhrase)
                + (hasPayload() ? ", with payload" : "") + "]";
    }
}
