package io.kp1.extension.cep;

import io.kp1.server.Request;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The server side of 11/CEP: the outstanding commands of each endpoint and type, and the sink
 * for their results. Plug it into a router with {@link Commands#routes(CommandQueue)}.
 *
 * <pre>{@code
 * class MyQueue implements CommandQueue {
 *     public CompletionStage<List<Command>> pending(Request r, String type, Optional<Boolean> observe) {
 *         return db.outstanding(r.endpointToken(), type);   // [] when there is none
 *     }
 *     public CompletionStage<Void> results(Request r, String type, List<CommandResult> results) {
 *         return db.complete(r.endpointToken(), type, results);  // 11/CEP: no longer outstanding
 *     }
 * }
 * Commands.routes(new MyQueue()).addTo(routerBuilder);   // /command/{type}, /result/{type} under "cex"
 * }</pre>
 *
 * <p>The routes answer each command request once with the outstanding commands; pushing later
 * commands to observers (K11) is not theirs to do. Methods may throw, or fail their stage with,
 * {@link io.kp1.extension.Kp1ErrorException} to answer that error; any other failure, a null
 * stage or a null value answers 500, and so do commands with duplicate ids.
 */
public interface CommandQueue {
    /**
     * The outstanding commands of this type for the endpoint ({@code /command/<type>}), at most
     * one per id.
     *
     * @param type    the command type, matching {@code ^[a-zA-Z0-9_-]+$}
     * @param observe the request's {@code observe} flag, if present
     */
    CompletionStage<List<Command>> pending(Request request, String type, Optional<Boolean> observe) throws Exception;

    /**
     * Results of commands of this type ({@code /result/<type>}), one or more, with distinct ids.
     *
     * @param type the command type, matching {@code ^[a-zA-Z0-9_-]+$}
     */
    CompletionStage<Void> results(Request request, String type, List<CommandResult> results) throws Exception;
}
