package io.kp1.bench;

import io.kp1.Reply;
import io.kp1.Topic;
import io.kp1.TopicParser;
import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;
import io.kp1.server.internal.RouteTable;
import io.kp1.testkit.Kp1Arbitraries;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dispatching a realistic mix of 1/KP requests (2/DCP, 10/EPMP, 7/CMP, 11/CEP) with
 * {@link Router} against two naive routers in the same run: a list of regexes tried in order,
 * and a {@code HashMap} looked up with keys built by {@code String.split}. Every variant finds
 * the handler, extracts the path variables, calls the handler (a completed stage) and derives
 * the reply topic (K5); only {@link Router} also builds an {@link Outcome}.
 *
 * <ul>
 *   <li>{@code dispatch*}: requests built once in setup; every variant reads the extension and
 *       resource from the request (ResourcePath cuts them on each call).</li>
 *   <li>{@code parseAndDispatch*}: from the topic string as a binding receives it: parse with
 *       {@link TopicParser}, then dispatch, so every variant pays for its own substrings.</li>
 *   <li>{@code matchOnly*}: only finding the route and its variable values, without handler,
 *       request copy or reply topic: the router's internal table (reached on the class path,
 *       it is not exported) against the two baselines' matching step.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouterBenchmark {
    /** The routes of the four extension protocols, as a 1/KP server declares them. */
    private static final String[][] ROUTES = Kp1Arbitraries.extensionRoutes();

    /** A realistic mix: telemetry (with and without ID), metadata, configuration, commands. */
    private static final String[] TOPICS = {
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json/42",
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json",
        "kp1/smart_kettle_v1/epmx/JTjdbENzHh/get/keys/99",
        "kp1/smart_kettle_v1/cmx/JTjdbENzHh/config/json/main/7",
        "kp1/smart_kettle_v1/cmx/JTjdbENzHh/config/json/8",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/command/reboot/5",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/result/reboot/123456",
        "kp1/smart_kettle_v1/dcx/A8mQ2vLx0p/json/2147483647",
    };

    private static final byte[] PAYLOAD = "[{\"temperature\":21.5}]".getBytes(StandardCharsets.UTF_8);
    private static final CompletableFuture<Reply> DONE = CompletableFuture.completedFuture(Reply.ok());

    private final TopicParser parser = TopicParser.defaults();
    private Router router;
    private RegexRouter regexRouter;
    private SplitMapRouter splitRouter;
    private Request[] requests;
    private RouteTable<String> table;
    private int i;

    @Setup
    public void setUp() {
        Router.Builder b = Router.builder();
        regexRouter = new RegexRouter();
        splitRouter = new SplitMapRouter();
        for (String[] r : ROUTES) {
            b.on(r[0], r[1], req -> DONE);
            regexRouter.on(r[0], r[1], vars -> DONE);
            splitRouter.on(r[0], r[1], vars -> DONE);
        }
        router = b.build();
        RouteTable.Builder<String> tb = RouteTable.builder();
        for (String[] r : ROUTES) {
            tb.add(null, r[0], io.kp1.server.internal.RoutePattern.parse(r[0], r[1]), r[1]);
        }
        table = tb.build();
        requests = new Request[TOPICS.length];
        for (int k = 0; k < TOPICS.length; k++) {
            requests[k] = Request.fromMqtt(parser.parseRequest(TOPICS[k]), PAYLOAD, 1);
            // Check that every variant routes the whole mix.
            if (!route(router, requests[k]).isSuccess() || regexRouter.route(requests[k]) == null
                    || splitRouter.route(requests[k]) == null) {
                throw new IllegalStateException("Not routed: " + TOPICS[k]);
            }
        }
    }

    private int next() {
        i = (i + 1) & 7;
        return i;
    }

    private static Outcome route(Router router, Request request) {
        return router.route(request).toCompletableFuture().getNow(null);
    }

    @Benchmark
    public Object dispatchKp1Router() {
        return route(router, requests[next()]);
    }

    @Benchmark
    public Object dispatchRegexBaseline() {
        return regexRouter.route(requests[next()]);
    }

    @Benchmark
    public Object dispatchSplitMapBaseline() {
        return splitRouter.route(requests[next()]);
    }

    @Benchmark
    public Object parseAndDispatchKp1Router() {
        return route(router, Request.fromMqtt(parser.parseRequest(TOPICS[next()]), PAYLOAD, 1));
    }

    @Benchmark
    public Object parseAndDispatchRegexBaseline() {
        return regexRouter.route(Request.fromMqtt(parser.parseRequest(TOPICS[next()]), PAYLOAD, 1));
    }

    @Benchmark
    public Object parseAndDispatchSplitMapBaseline() {
        return splitRouter.route(Request.fromMqtt(parser.parseRequest(TOPICS[next()]), PAYLOAD, 1));
    }

    @Benchmark
    public Object matchOnlyKp1Table() {
        Request req = requests[next()];
        // As Router.route does: level boundaries in the canonical text, then hash table and trie.
        String s = req.path().asString();
        int appEnd = s.indexOf('/', 4);
        int extEnd = s.indexOf('/', appEnd + 1);
        int resourceStart = s.indexOf('/', extEnd + 1);
        if (resourceStart < 0) {
            resourceStart = s.length();
        }
        RouteTable.Route<String> r = table.root(s, appEnd + 1, extEnd).match(s, resourceStart, 4, appEnd);
        return r.pattern().values(s, resourceStart);
    }

    @Benchmark
    public Object matchOnlyRegexBaseline() {
        return regexRouter.match(requests[next()]);
    }

    @Benchmark
    public Object matchOnlySplitMapBaseline() {
        return splitRouter.match(requests[next()]);
    }

    /** What the baselines return: the reply and where to publish it. */
    static final class Result {
        final Reply reply;
        final String replyTopic;

        Result(Reply reply, String replyTopic) {
            this.reply = reply;
            this.replyTopic = replyTopic;
        }
    }

    private static Object reply(Request request, CompletionStage<Reply> stage) {
        Topic t = request.topic().orElse(null);
        String replyTopic = t != null && t.hasRequestId() ? t.statusTopic().name() : null;
        return stage.thenApply(r -> new Result(r, replyTopic)).toCompletableFuture().getNow(null);
    }

    /** The obvious first router: one regex per route, tried in declaration order. */
    static final class RegexRouter {
        private final List<String> extensions = new ArrayList<>();
        private final List<Pattern> patterns = new ArrayList<>();
        private final List<String[]> names = new ArrayList<>();
        private final List<Function<Map<String, String>, CompletionStage<Reply>>> handlers = new ArrayList<>();

        void on(String extension, String pattern, Function<Map<String, String>, CompletionStage<Reply>> handler) {
            StringBuilder regex = new StringBuilder();
            List<String> vars = new ArrayList<>();
            for (String level : pattern.substring(1).split("/")) {
                if (level.startsWith("{")) {
                    vars.add(level.substring(1, level.length() - 1));
                    regex.append("/([^/]+)");
                } else {
                    regex.append('/').append(Pattern.quote(level));
                }
            }
            extensions.add(extension);
            patterns.add(Pattern.compile(regex.toString()));
            names.add(vars.toArray(new String[0]));
            handlers.add(handler);
        }

        Object route(Request request) {
            String extension = request.extension();
            String resource = request.resource();
            for (int k = 0; k < patterns.size(); k++) {
                if (!extensions.get(k).equals(extension)) {
                    continue;
                }
                Matcher m = patterns.get(k).matcher(resource);
                if (m.matches()) {
                    return reply(request, handlers.get(k).apply(variables(m, names.get(k))));
                }
            }
            return null;
        }

        /** The matching step of {@link #route} alone: the variables, or null. */
        Map<String, String> match(Request request) {
            String extension = request.extension();
            String resource = request.resource();
            for (int k = 0; k < patterns.size(); k++) {
                if (!extensions.get(k).equals(extension)) {
                    continue;
                }
                Matcher m = patterns.get(k).matcher(resource);
                if (m.matches()) {
                    return variables(m, names.get(k));
                }
            }
            return null;
        }

        private static Map<String, String> variables(Matcher m, String[] names) {
            Map<String, String> vars = new HashMap<>();
            for (int g = 0; g < names.length; g++) {
                vars.put(names[g], m.group(g + 1));
            }
            return vars;
        }
    }

    /**
     * The other obvious router: a HashMap keyed by {@code ext/level/level}, where a variable
     * level is written {@code *}; a request tries its exact key, then the key with its last level
     * as {@code *} (enough for the 1/KP extensions, whose variables are all last).
     */
    static final class SplitMapRouter {
        private final Map<String, Function<Map<String, String>, CompletionStage<Reply>>> handlers = new HashMap<>();
        private final Map<String, String> lastVariable = new HashMap<>();

        void on(String extension, String pattern, Function<Map<String, String>, CompletionStage<Reply>> handler) {
            StringBuilder key = new StringBuilder(extension);
            String var = null;
            for (String level : pattern.substring(1).split("/")) {
                if (level.startsWith("{")) {
                    var = level.substring(1, level.length() - 1);
                    key.append("/*");
                } else {
                    key.append('/').append(level);
                }
            }
            handlers.put(key.toString(), handler);
            if (var != null) {
                lastVariable.put(key.toString(), var);
            }
        }

        Object route(Request request) {
            String[] levels = request.resource().split("/");
            StringBuilder key = new StringBuilder(32).append(request.extension());
            for (int k = 1; k < levels.length - 1; k++) {
                key.append('/').append(levels[k]);
            }
            int prefix = key.length();
            String last = levels[levels.length - 1];
            key.append('/').append(last);
            Function<Map<String, String>, CompletionStage<Reply>> h = handlers.get(key.toString());
            Map<String, String> vars = Map.of();
            if (h == null) {
                key.setLength(prefix);
                String wildcard = key.append("/*").toString();
                h = handlers.get(wildcard);
                if (h == null) {
                    return null;
                }
                vars = new HashMap<>();
                vars.put(lastVariable.get(wildcard), last);
            }
            return reply(request, h.apply(vars));
        }

        /** The matching step of {@link #route} alone: the variables, or null. */
        Map<String, String> match(Request request) {
            String[] levels = request.resource().split("/");
            StringBuilder key = new StringBuilder(32).append(request.extension());
            for (int k = 1; k < levels.length - 1; k++) {
                key.append('/').append(levels[k]);
            }
            int prefix = key.length();
            String last = levels[levels.length - 1];
            key.append('/').append(last);
            if (handlers.containsKey(key.toString())) {
                return Map.of();
            }
            key.setLength(prefix);
            String wildcard = key.append("/*").toString();
            if (!handlers.containsKey(wildcard)) {
                return null;
            }
            Map<String, String> vars = new HashMap<>();
            vars.put(lastVariable.get(wildcard), last);
            return vars;
        }
    }
}
