package io.kp1.extension.cep;

import io.kp1.ErrorResponse;
import io.kp1.InvalidPayloadException;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.client.Observation;
import io.kp1.extension.ExtensionRoutes;
import io.kp1.extension.Kp1ErrorException;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.internal.ExtensionClient;
import io.kp1.extension.internal.Handlers;
import io.kp1.extension.internal.Names;
import io.kp1.extension.internal.SimpleRoutes;
import io.kp1.extension.internal.StrictJson;
import io.kp1.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * 11/CEP commands, client side: a thin typed facade over an {@link Endpoint} from either binding;
 * and, with {@link #routes}, the server side over a {@link CommandQueue}.
 *
 * <pre>{@code
 * Commands commands = Commands.on(endpoint);                            // instance "cex"
 *
 * // MQTT: observe, execute, report (K11)
 * Observation o = commands.observe("reboot", cmd -> { reboot(); return cmd.ok(); });
 *
 * // HTTP (no push, K12): poll now and then
 * commands.execute("reboot", cmd -> cmd.fail(409, "Busy")).join();      // poll, run, report: one round
 *
 * // By hand
 * List<Command> pending = commands.poll("close-door").join();           // {"observe":false}
 * commands.report("close-door", pending.get(0).ok()).join();            // [{"id":..,"statusCode":200}]
 * }</pre>
 *
 * <h2>Observing</h2>
 * {@link #observe} sends {@code {"observe":true}} to {@code /command/<type>} and listens both for
 * replies to it and for pushes without request ID on {@code .../command/<type>/status} (K11).
 * Each delivered array of commands is executed, and its results are reported in one result
 * request (a batch). Commands are often not idempotent, so each observation remembers the last
 * {@value #REMEMBERED_COMMANDS} command ids: a command delivered again while it runs is skipped,
 * and one delivered again after it ran gets its earlier result re-sent instead of running twice.
 * An error reply or push (on {@code .../error}) ends the observation: {@code ended()} fails with
 * {@link Kp1ErrorException} (D13). A delivery that breaks the schema is logged at WARN and
 * dropped. {@link CommandHandler}s run on the endpoint's delivery thread (the transport's, over
 * MQTT); for long work use {@link #observeAsync} with your own executor.
 *
 * <p>Command types match {@value #TYPE_PATTERN} (the RFC says alphanumeric; Kaa's documentation
 * uses {@code turn_off} and {@code close-door}) and are checked before anything is sent. Futures
 * complete exceptionally with {@link Kp1ErrorException} on an error reply, with
 * {@link InvalidPayloadException} when a reply breaks the schema, and with whatever the endpoint
 * reports when no reply came (D14). Immutable and thread-safe.
 */
public final class Commands {
    private static final Logger LOG = LoggerFactory.getLogger(Commands.class);

    /** The usual instance name. */
    public static final String DEFAULT_INSTANCE = "cex";
    /** The pattern command types match. */
    public static final String TYPE_PATTERN = Names.NAME_PATTERN;
    /** How many command ids one observation remembers, to run each command once. */
    public static final int REMEMBERED_COMMANDS = 256;

    static final String COMMAND = "/command";
    static final String RESULT = "/result";
    private static final String HANDLER_FAILED = "Command handler failed";

    private final ExtensionClient client;

    private Commands(ExtensionClient client) {
        this.client = client;
    }

    /** The facade for the {@code cex} instance of this endpoint. */
    public static Commands on(Endpoint endpoint) {
        return on(endpoint, DEFAULT_INSTANCE);
    }

    /**
     * The facade for another instance name of this endpoint.
     *
     * @throws IllegalArgumentException if {@code instance} is not a valid topic level (K1, D3, D4)
     */
    public static Commands on(Endpoint endpoint, String instance) {
        return new Commands(ExtensionClient.of(endpoint, instance));
    }

    /** This facade reading commands, and refusing results, past {@code limits}. */
    public Commands withLimits(PayloadLimits limits) {
        return new Commands(client.withLimits(limits));
    }

    /** The extension instance name. */
    public String instance() {
        return client.instance();
    }

    /** Whether {@code type} is a valid command type ({@value #TYPE_PATTERN}). */
    public static boolean isValidType(String type) {
        return Names.isName(type);
    }

    /**
     * The outstanding commands of a type, without observing: {@code {"observe":false}}.
     *
     * @throws IllegalArgumentException for an invalid type
     */
    public CompletableFuture<List<Command>> poll(String type) {
        String resource = COMMAND + "/" + Names.checkCommandType(type);
        return client.request(resource, CepPayloads.writeCommandRequest(false, client.limits()), this::readCommands);
    }

    /** Reports results of commands of a type, in one request; see {@link #report(String, List)}. */
    public CompletableFuture<Void> report(String type, CommandResult... results) {
        return report(type, Arrays.asList(results));
    }

    /**
     * Reports results of commands of a type ({@code /result/<type>}), always as an array.
     * Completes when the server accepted them: an empty success, or a success in the K7 format
     * with a 2xx status; an error reply, or a K7 success payload with another status, completes
     * it with {@link Kp1ErrorException}.
     *
     * @throws IllegalArgumentException for an invalid type, no result, duplicate ids, or a
     *                                  payload past the limits
     */
    public CompletableFuture<Void> report(String type, List<CommandResult> results) {
        String resource = RESULT + "/" + Names.checkCommandType(type);
        byte[] payload = CepPayloads.writeResults(Objects.requireNonNull(results, "results must not be null"),
                client.limits());
        return client.request(resource, payload, r -> {
            if (r.payloadBytes().length > 0) {
                // 11/CEP: "a result response is an error response as defined per 1/KP".
                ErrorResponse status = ErrorResponse.fromJson(r.payloadBytes());
                if (status.statusCode() < 200 || status.statusCode() >= 300) {
                    throw new Kp1ErrorException(status, client.instance(), resource);
                }
            }
            return null;
        });
    }

    /**
     * One polling round: polls the commands of a type, runs {@code handler} on each, reports
     * their results in one request, and completes with them (empty when nothing was pending).
     * The handler runs on the thread that completes the poll. Unlike {@link #observe}, nothing
     * is remembered between rounds.
     *
     * @throws IllegalArgumentException for an invalid type
     */
    public CompletableFuture<List<CommandResult>> execute(String type, CommandHandler handler) {
        Function<Command, CompletionStage<CommandResult>> async = async(Objects.requireNonNull(handler,
                "handler must not be null"));
        return poll(type).thenCompose(commands -> {
            if (commands.isEmpty()) {
                return CompletableFuture.completedFuture(List.<CommandResult>of());
            }
            List<CompletableFuture<CommandResult>> running = new ArrayList<>(commands.size());
            for (Command c : commands) {
                CompletableFuture<CommandResult> f = new CompletableFuture<>();
                run(type, c, async, f);
                running.add(f);
            }
            return CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0])).thenCompose(v -> {
                List<CommandResult> results = joinAll(running);
                return report(type, results).thenApply(x -> results);
            });
        });
    }

    /**
     * Observes the commands of a type (K11) and runs {@code handler} on each; see the class
     * comment.
     *
     * @throws IllegalArgumentException      for an invalid type
     * @throws UnsupportedOperationException over a transport without push (HTTP, K12): use
     *                                       {@link #execute} periodically instead
     */
    public Observation observe(String type, CommandHandler handler) {
        return observeAsync(type, async(Objects.requireNonNull(handler, "handler must not be null")));
    }

    /**
     * Like {@link #observe(String, CommandHandler)} with a handler that completes later, e.g. on
     * an executor of yours; a stage that fails reports a 500 result.
     */
    public Observation observeAsync(String type,
            Function<? super Command, ? extends CompletionStage<CommandResult>> handler) {
        Names.checkCommandType(type);
        Objects.requireNonNull(handler, "handler must not be null");
        client.requireObserve("Observing 11/CEP commands needs server push, which this endpoint's transport does "
                + "not have (K12); call execute(type, handler) periodically instead");
        return client.observe(COMMAND + "/" + type, CepPayloads.writeCommandRequest(true, client.limits()),
                this::readCommands, new Runner(type, handler), LOG, "an 11/CEP command delivery");
    }

    private List<Command> readCommands(Reply r) {
        return CepPayloads.readCommands(r.payloadBytes(), client.limits());
    }

    private static Function<Command, CompletionStage<CommandResult>> async(CommandHandler handler) {
        return c -> {
            try {
                return CompletableFuture.completedFuture(handler.execute(c));
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }

    /** Runs the handler on one command and completes {@code result}, never exceptionally. */
    private void run(String type, Command c, Function<? super Command, ? extends CompletionStage<CommandResult>> handler,
            CompletableFuture<CommandResult> result) {
        CompletionStage<CommandResult> stage;
        try {
            stage = handler.apply(c);
        } catch (RuntimeException e) {
            result.complete(failed(type, c, e));
            return;
        }
        if (stage == null) {
            result.complete(failed(type, c, new IllegalStateException("the handler returned a null stage")));
            return;
        }
        stage.whenComplete((r, t) -> result.complete(checked(type, c, r, t)));
    }

    private CommandResult checked(String type, Command c, CommandResult r, Throwable failure) {
        if (failure != null) {
            return failed(type, c, failure);
        }
        if (r == null) {
            return failed(type, c, new IllegalStateException("the handler returned no result"));
        }
        if (r.id() != c.id()) {
            return failed(type, c, new IllegalStateException("the handler returned a result for command " + r.id()));
        }
        if (r.hasPayload()) {
            try {
                // Checked now so that one oversized result cannot keep the whole batch from being sent.
                StrictJson.check(r.payload(), "/payload", 3, CepPayloads.RESULT_REQUEST, CepPayloads.RULE,
                        client.limits());
            } catch (IllegalArgumentException e) {
                return failed(type, c, e);
            }
        }
        return r;
    }

    private CommandResult failed(String type, Command c, Throwable cause) {
        LOG.warn("11/CEP handler of {} command {} (instance {}) failed; reporting 500", type, c.id(), client.instance(),
                client.redacted(cause));
        return CommandResult.of(c.id(), 500).withReasonPhrase(HANDLER_FAILED);
    }

    private static List<CommandResult> joinAll(List<CompletableFuture<CommandResult>> running) {
        List<CommandResult> results = new ArrayList<>(running.size());
        for (CompletableFuture<CommandResult> f : running) {
            results.add(f.join());
        }
        return results;
    }

    /** One observation's delivery handling: run each new command once, report each batch. */
    private final class Runner implements Consumer<List<Command>> {
        private final String type;
        private final Function<? super Command, ? extends CompletionStage<CommandResult>> handler;
        /** Command id -> its result (done or running), least recently delivered first. */
        private final Map<Long, CompletableFuture<CommandResult>> seen =
                new LinkedHashMap<>(32, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Long, CompletableFuture<CommandResult>> eldest) {
                        return size() > REMEMBERED_COMMANDS;
                    }
                };

        Runner(String type, Function<? super Command, ? extends CompletionStage<CommandResult>> handler) {
            this.type = type;
            this.handler = handler;
        }

        @Override
        public void accept(List<Command> commands) {
            List<CompletableFuture<CommandResult>> batch = new ArrayList<>(commands.size());
            for (Command c : commands) {
                CompletableFuture<CommandResult> f;
                boolean fresh = false;
                synchronized (seen) {
                    f = seen.get(c.id());
                    if (f == null) {
                        f = new CompletableFuture<>();
                        seen.put(c.id(), f);
                        fresh = true;
                    }
                }
                if (fresh) {
                    run(type, c, handler, f);
                } else if (!f.isDone()) {
                    continue; // running: its own batch reports it
                }
                batch.add(f);
            }
            if (!batch.isEmpty()) {
                CompletableFuture.allOf(batch.toArray(new CompletableFuture<?>[0])).thenRun(() -> send(joinAll(batch)));
            }
        }

        private void send(List<CommandResult> results) {
            try {
                report(type, results).whenComplete((v, t) -> {
                    if (t != null) {
                        LOG.warn("Reporting {} 11/CEP result(s) of {} to {} failed; they are re-sent if the commands "
                                + "are delivered again: {}", results.size(), type, client.instance(),
                                client.redacted(t).toString());
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("Reporting {} 11/CEP result(s) of {} to {} failed", results.size(), type, client.instance(),
                        client.redacted(e));
            }
        }
    }

    /**
     * The 11/CEP routes over a queue, with the default limits: {@code /command/{type}} and
     * {@code /result/{type}}.
     *
     * <pre>{@code
     * Commands.routes(queue).addTo(routerBuilder);     // under "cex"
     * }</pre>
     */
    public static ExtensionRoutes routes(CommandQueue queue) {
        return routes(queue, PayloadLimits.DEFAULTS);
    }

    /**
     * The 11/CEP routes over a queue, reading requests under {@code limits}. A command request
     * answers the array of outstanding commands; a result request (an array, or a single result
     * object) answers success in the K7 format, {@code {"statusCode":200,"reasonPhrase":"OK"}}
     * (11/CEP: "a result response is an error response as defined per 1/KP").
     */
    public static ExtensionRoutes routes(CommandQueue queue, PayloadLimits limits) {
        Objects.requireNonNull(queue, "queue must not be null");
        Objects.requireNonNull(limits, "limits must not be null");
        return new SimpleRoutes(DEFAULT_INSTANCE)
                .on(COMMAND + "/{type}", req -> command(queue, limits, req))
                .on(RESULT + "/{type}", req -> result(queue, limits, req));
    }

    private static final Reply RESULT_ACCEPTED = Reply.ok(ErrorResponse.of(200, "OK").toJson());

    private static CompletionStage<Reply> command(CommandQueue queue, PayloadLimits limits, Request req)
            throws Exception {
        String type = req.pathVariable("type");
        if (!Names.isName(type)) {
            return Handlers.badRequest(Names.invalidCommandType(type));
        }
        return Handlers.withBody(req, limits, CepPayloads::readCommandRequest, observe -> Handlers.call(
                "CommandQueue.pending", () -> queue.pending(req, type, observe),
                commands -> Reply.ok(CepPayloads.writeCommands(commands, limits))));
    }

    private static CompletionStage<Reply> result(CommandQueue queue, PayloadLimits limits, Request req)
            throws Exception {
        String type = req.pathVariable("type");
        if (!Names.isName(type)) {
            return Handlers.badRequest(Names.invalidCommandType(type));
        }
        return Handlers.withBody(req, limits, CepPayloads::readResults, results -> Handlers.callVoid(
                "CommandQueue.results", () -> queue.results(req, type, results), RESULT_ACCEPTED));
    }

    @Override
    public String toString() {
        return "Commands[" + client.instance() + "]";
    }
}
