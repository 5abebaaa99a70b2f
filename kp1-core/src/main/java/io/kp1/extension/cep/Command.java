package io.kp1.extension.cep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.Objects;

/**
 * An 11/CEP command: {@code {"id": integer, "payload"?: any}}, one element of a command
 * response array. The id is unique within the command type and the endpoint, and matches the
 * result to the command.
 *
 * <pre>{@code
 * Command c = Command.of(42, payloadNode);
 * c.id();                      // 42
 * c.payload();                 // the payload, or MissingNode when there is none
 * CommandResult r = c.ok();    // {"id":42,"statusCode":200}
 * CommandResult e = c.fail(409, "Parking slot taken");
 * }</pre>
 *
 * <p>Immutable; do not modify the payload tree.
 */
public final class Command {
    private final long id;
    private final JsonNode payload;

    private Command(long id, JsonNode payload) {
        this.id = id;
        this.payload = payload;
    }

    /** A command without payload. */
    public static Command of(long id) {
        return new Command(id, MissingNode.getInstance());
    }

    /**
     * A command with a payload ({@code NullNode} for a JSON null payload; {@code MissingNode}
     * for none).
     */
    public static Command of(long id, JsonNode payload) {
        return new Command(id, Objects.requireNonNull(payload, "payload must not be null (use MissingNode for none)"));
    }

    /** The command id. */
    public long id() {
        return id;
    }

    /** The payload, {@code MissingNode} when the command has none. */
    public JsonNode payload() {
        return payload;
    }

    /** Whether the command has a payload. */
    public boolean hasPayload() {
        return !payload.isMissingNode();
    }

    /** A success result (200) for this command, without payload. */
    public CommandResult ok() {
        return CommandResult.ok(id);
    }

    /** A success result (200) for this command, with a result payload. */
    public CommandResult ok(JsonNode resultPayload) {
        return CommandResult.ok(id).withPayload(resultPayload);
    }

    /**
     * A failure result for this command.
     *
     * @throws IllegalArgumentException if {@code statusCode} is outside 100..599
     */
    public CommandResult fail(int statusCode, String reasonPhrase) {
        return CommandResult.of(id, statusCode).withReasonPhrase(reasonPhrase);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Command && ((Command) o).id == id && ((Command) o).payload.equals(payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + payload.hashCode();
    }

    @Override
    public String toString() {
        return "Command[" + id + (hasPayload() ? ", with payload" : "") + "]";
    }
}
