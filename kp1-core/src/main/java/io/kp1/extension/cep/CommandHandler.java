package io.kp1.extension.cep;

/**
 * Executes one 11/CEP command on the endpoint and says how it went; see
 * {@link Commands#observe(String, CommandHandler)}.
 *
 * <pre>{@code
 * CommandHandler reboot = cmd -> {
 *     scheduleReboot(cmd.payload().path("delaySeconds").asInt(0));
 *     return cmd.ok();
 * };
 * }</pre>
 *
 * <p>Throwing, or returning null or a result for another command id, reports a 500 result
 * for the command (and logs the cause at WARN).
 */
@FunctionalInterface
public interface CommandHandler {
    /** Executes the command; returns its result, usually {@code command.ok(...)} or {@code command.fail(...)}. */
    CommandResult execute(Command command) throws Exception;
}
