package io.kp1.server;

import io.kp1.InvalidTopicException;
import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.internal.Levels;
import io.kp1.internal.PathText;
import io.kp1.server.internal.RedactedThrowable;
import io.kp1.server.internal.RoutePattern;
import io.kp1.server.internal.RouteTable;
import io.kp1.server.internal.RouteTable.Node;
import io.kp1.server.internal.RouteTable.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Routes 1/KP requests to handlers by extension instance and resource pattern, and turns each
 * handler's {@link Reply} into an {@link Outcome} that says what to send back over MQTT or HTTP.
 * Transport-free: the MQTT and HTTP server bindings both drive it.
 *
 * <pre>{@code
 * Router router = Router.builder()
 *         .on("dcx", "/json", req -> store(req.endpointToken(), req.payload()).thenApply(x -> Reply.ok()))
 *         .on("epmx", "/get/keys", req -> CompletableFuture.completedFuture(Reply.ok("[\"name\"]")))
 *         .on("cmx", "/config/json", configHandler)            // optional trailing level:
 *         .on("cmx", "/config/json/{name}", configHandler)     //   two routes, one handler
 *         .on("cex", "/command/{type}", req -> commands.poll(req.pathVariable("type")))
 *         .build();
 *
 * router.extensions();   // [dcx, epmx, cmx, cex]: the MQTT binding subscribes kp1/+/<ext>/#
 * router.route(Request.fromMqtt(topic, payload, qos))
 *       .thenAccept(out -> out.replyTopic().ifPresent(t -> publish(t.name(), out.payload(), out.qos())));
 * }</pre>
 *
 * <h2>Patterns</h2>
 * A pattern is the resource path relative to the extension instance (K14): {@code /json},
 * {@code /get/keys}, {@code /command/{type}}. Each level is a literal or a whole-level variable
 * {@code {name}} ({@code [A-Za-z_][A-Za-z0-9_]*}); {@code ""} (or {@code "/"}) matches a path
 * with no resource levels. A variable matches exactly one non-empty level; there are no optional
 * or multi-level variables: a resource with an optional trailing level, such as 7/CMP's
 * {@code /config/json[/<name>]}, is declared as two routes, which may share a handler that reads
 * {@code req.pathVariables().get("name")} (null on the shorter route).
 *
 * <p>Where patterns overlap, a literal level beats a variable level, level by level from the
 * left ({@code /command/reboot} is tried before {@code /command/{type}}); a route declared with
 * {@link Builder#onAppVersion} beats one for any version. Declaring the same pattern twice, or
 * two patterns that differ only in variable names, fails in {@link Builder#build()}-time calls
 * with a message naming both.
 *
 * <h2>Outcomes</h2>
 * <table>
 *   <caption>What {@link #route} produces</caption>
 *   <tr><th>case</th><th>reply</th></tr>
 *   <tr><td>route found, handler's stage completes with a reply</td><td>that reply</td></tr>
 *   <tr><td>no route for the extension instance</td><td>404 "Unknown extension instance ..."</td></tr>
 *   <tr><td>no route for the resource (or for this application version)</td><td>404 "Unknown resource ..."</td></tr>
 *   <tr><td>handler throws, returns null, its stage fails or completes with null</td>
 *       <td>500 "Internal server error"; the cause is logged at WARN with the token redacted (D16)</td></tr>
 * </table>
 * The reply then becomes an {@link Outcome}: reply topic and QoS for MQTT (K5, K6, K8, D2,
 * D11), status code and body for HTTP (D10).
 *
 * <h2>Threads</h2>
 * Immutable and thread-safe once built. {@link #route} runs the handler on the calling thread;
 * the returned stage completes on whichever thread completes the handler's stage. Routing
 * itself reads no clock and starts no thread. Dispatch (extension hash table, then a trie of
 * levels compared in place) allocates nothing; a routed request costs the handler's
 * {@link Request} and variable values (only when the route has variables), the reply topic
 * (MQTT) and the outcome with its stage.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    /** The reply to a handler failure: says nothing about the cause. */
    private static final Reply INTERNAL_ERROR = Reply.error(500, "Internal server error");
    /** Longest piece of the request echoed in a 404 reason phrase. */
    private static final int MAX_ECHO = 64;
    private static final int PREFIX_LENGTH = "kp1/".length();

    /**
     * Handles the requests of one or more routes. Throwing, returning null, or a stage that fails
     * or completes with null all answer 500, and the cause is logged.
     *
     * <pre>{@code
     * Router.Handler keys = req -> CompletableFuture.completedFuture(Reply.ok("[\"name\",\"location\"]"));
     * }</pre>
     */
    @FunctionalInterface
    public interface Handler {
        /** Handles one request; see {@link Reply#ok()} and {@link Reply#error(int, String)}. */
        CompletionStage<Reply> handle(Request request) throws Exception;
    }

    private final RouteTable<Handler> table;
    private final boolean errorRepliesWithoutRequestId;

    private Router(RouteTable<Handler> table, boolean errorRepliesWithoutRequestId) {
        this.table = table;
        this.errorRepliesWithoutRequestId = errorRepliesWithoutRequestId;
    }

    /** A builder for a router; see the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Routes a request to its handler and tells what to send back. Never throws for what came
     * from the wire, and the stage never completes exceptionally: every failure is an
     * {@link Outcome} with an error reply.
     */
    public CompletionStage<Outcome> route(Request request) {
        Objects.requireNonNull(request, "request must not be null");
        ResourcePath path = request.path();
        // Read the level boundaries the parser found, in the text it read, rather than cutting
        // substrings: a parsed path is a view over the whole topic name (source[0, end)).
        String s = PathText.source(path);
        int end = PathText.end(path);
        int extStart = PathText.extensionStart(path);
        int tokenStart = PathText.tokenStart(path);
        int resourceStart = PathText.resourceStart(path);
        int appEnd = extStart - 1;
        int extEnd = tokenStart >= 0 ? tokenStart - 1 : resourceStart;

        Node<Handler> root = table.root(s, extStart, extEnd);
        if (root == null) {
            return notFound(request, "Unknown extension instance \"" + echo(path.extension()) + "\"");
        }
        Route<Handler> route = root.match(s, resourceStart, end, PREFIX_LENGTH, appEnd);
        if (route == null) {
            return notFound(request, "Unknown resource \"" + echo(path.resource()) + "\" in extension instance \""
                    + path.extension() + "\"");
        }
        RoutePattern pattern = route.pattern();
        Request routed = pattern.varNames().length == 0 ? request
                : request.withVariables(pattern.varNames(), pattern.values(s, resourceStart, end));

        try {
            CompletionStage<Reply> stage = route.handler().handle(routed);
            if (stage == null) {
                LOG.warn("Handler of route {} returned a null stage for {}; replying 500", route, routed);
                return CompletableFuture.completedFuture(outcome(routed, INTERNAL_ERROR));
            }
            if (stage instanceof CompletableFuture && ((CompletableFuture<Reply>) stage).isDone()
                    && !((CompletableFuture<Reply>) stage).isCompletedExceptionally()) {
                // The common synchronous handler: skip the callback machinery.
                return CompletableFuture.completedFuture(complete(route, routed,
                        ((CompletableFuture<Reply>) stage).join(), null));
            }
            return stage.handle((reply, failure) -> complete(route, routed, reply, failure));
        } catch (Throwable t) {
            rethrowIfFatal(t);
            return CompletableFuture.completedFuture(failed(route, routed, t));
        }
    }

    private Outcome complete(Route<Handler> route, Request request, Reply reply, Throwable failure) {
        if (failure != null) {
            return failed(route, request, failure);
        }
        if (reply == null) {
            LOG.warn("Handler of route {} completed with a null reply for {}; replying 500", route, request);
            return outcome(request, INTERNAL_ERROR);
        }
        return outcome(request, reply);
    }

    private Outcome failed(Route<Handler> route, Request request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (LOG.isWarnEnabled()) {
            LOG.warn("Handler of route {} failed for {}; replying 500", route, request,
                    RedactedThrowable.of(cause, request.endpointToken()));
        }
        return outcome(request, INTERNAL_ERROR);
    }

    private CompletionStage<Outcome> notFound(Request request, String reason) {
        LOG.debug("No route for {}: {}", request, reason);
        return CompletableFuture.completedFuture(outcome(request, Reply.error(404, reason)));
    }

    /** Applies K5, K6, K8, D2 and D11 to a reply. */
    private Outcome outcome(Request request, Reply reply) {
        Topic topic = request.topicOrNull();
        if (topic == null) {
            return new Outcome(reply, null, 0); // HTTP: D10 is read off the reply
        }
        Topic replyTopic = null;
        try {
            if (reply.isSuccess()) {
                if (topic.hasRequestId()) {
                    replyTopic = topic.statusTopic();
                }
            } else if (topic.hasRequestId() || errorRepliesWithoutRequestId) {
                replyTopic = topic.errorTopic();
            }
        } catch (InvalidTopicException tooLong) {
            // A request topic near the 65,535-byte limit has no valid reply topic (D4).
            LOG.warn("Cannot reply to {}: the reply topic would be longer than 65535 UTF-8 bytes (D4)", request);
        }
        return new Outcome(reply, replyTopic, request.qosOrZero());
    }

    private static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
    }

    private static String echo(String s) {
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "...";
    }

    /**
     * The extension instances this router has routes for, in declaration order. The MQTT server
     * binding subscribes to {@code kp1/+/<ext>/#} for each.
     */
    public Set<String> extensions() {
        return table.extensions();
    }

    /** Whether error replies are published for requests without a request ID (D11). */
    public boolean sendsErrorRepliesWithoutRequestId() {
        return errorRepliesWithoutRequestId;
    }

    /** The routes, e.g. {@code Router[dcx /json, cex /command/{type}]}. */
    @Override
    public String toString() {
        return "Router" + table.routes();
    }

    /**
     * Builds a {@link Router}; not thread-safe. Each declaration is checked at once, so a bad
     * pattern, a duplicate or a conflict throws {@link IllegalArgumentException} from the
     * {@code on...} call that declares it.
     *
     * <pre>{@code
     * Router router = Router.builder()
     *         .on("cex", "/command/{type}", commandHandler)
     *         .on("cex", "/result/{type}", resultHandler)
     *         .onAppVersion("kettle_v2", "cex", "/command/{type}", v2CommandHandler)
     *         .errorRepliesWithoutRequestId(false)   // D11: keep fire-and-forget silent
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final RouteTable.Builder<Handler> table = RouteTable.builder();
        private boolean errorRepliesWithoutRequestId = true;

        private Builder() {
        }

        /**
         * Routes requests for {@code pattern} under {@code extension}, for any application version.
         *
         * @param extension an extension instance name such as {@code "dcx"}
         * @param pattern   a resource pattern such as {@code "/command/{type}"}; see the class comment
         * @throws IllegalArgumentException for an invalid name or pattern, a duplicate or a conflict
         */
        public Builder on(String extension, String pattern, Handler handler) {
            return add(null, extension, pattern, handler);
        }

        /**
         * Like {@link #on}, for one application version only; such a route wins over an
         * any-version route of the same pattern. A request for another version that matches
         * only version-specific routes gets 404.
         */
        public Builder onAppVersion(String appVersion, String extension, String pattern, Handler handler) {
            return add(Levels.check("application version", appVersion), extension, pattern, handler);
        }

        private Builder add(String appVersion, String extension, String pattern, Handler handler) {
            Levels.check("extension instance", extension);
            Objects.requireNonNull(handler, "handler must not be null");
            table.add(appVersion, extension, RoutePattern.parse(extension, pattern), handler);
            return this;
        }

        /**
         * Whether to publish error replies for MQTT requests without a request ID (D11): yes by
         * default (K6 allows it); {@code false} keeps fire-and-forget traffic without any reply.
         */
        public Builder errorRepliesWithoutRequestId(boolean send) {
            this.errorRepliesWithoutRequestId = send;
            return this;
        }

        /** Builds the router; the builder may be reused. */
        public Router build() {
            return new Router(table.build(), errorRepliesWithoutRequestId);
        }
    }
}
