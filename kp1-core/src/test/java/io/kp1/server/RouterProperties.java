package io.kp1.server;

import io.kp1.ParseResult;
import io.kp1.Reply;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.TopicParser;
import io.kp1.testkit.Kp1Arbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Properties of {@link Router}: registered patterns route with their variables, unregistered
 * paths get 404, overlapping patterns follow the documented precedence, and nothing from the
 * wire makes routing throw.
 */
class RouterProperties {
    private static final byte[] NONE = new byte[0];

    /** The routes of the 1/KP extensions (KP1.md table) plus one with two variables. */
    private static final String[][] ROUTES = withMulti(Kp1Arbitraries.extensionRoutes());

    private static String[][] withMulti(String[][] routes) {
        String[][] all = Arrays.copyOf(routes, routes.length + 1);
        all[routes.length] = new String[] {"multi", "/a/{first}/b/{second}"};
        return all;
    }

    /** One routed call: which route, with which variables. */
    private static final class Hit {
        final int route;
        final Map<String, String> variables;

        Hit(int route, Map<String, String> variables) {
            this.route = route;
            this.variables = variables;
        }
    }

    private final List<Hit> hits = new ArrayList<>();
    private final Router router = realisticRouter(hits);

    private static Router realisticRouter(List<Hit> hits) {
        Router.Builder b = Router.builder();
        for (int i = 0; i < ROUTES.length; i++) {
            int id = i;
            b.on(ROUTES[i][0], ROUTES[i][1], req -> {
                hits.add(new Hit(id, req.pathVariables()));
                return CompletableFuture.completedFuture(Reply.ok());
            });
        }
        return b.build();
    }

    // ---- generators ------------------------------------------------------------------------

    /** A valid 1/KP level (D3, D4): non-empty, no '/', '+', '#', U+0000, no lone surrogate; mostly ASCII. */
    @Provide
    Arbitrary<String> levels() {
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0x20, 0x7e);
        Arbitrary<Integer> any = Arbitraries.integers().between(0x01, 0x1F6FF)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(Tuple.of(9, ascii), Tuple.of(1, any))
                .filter(cp -> cp != '/' && cp != '+' && cp != '#');
        return codePoint.list().ofMinSize(1).ofMaxSize(12)
                .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size()));
    }

    /** A level that is not made only of digits, so that as a last level it is not read as a request ID (K4). */
    @Provide
    Arbitrary<String> lastLevels() {
        return levels().filter(l -> !l.chars().allMatch(c -> c >= '0' && c <= '9'));
    }

    /** How a request arrives: MQTT with a request ID, MQTT without, or HTTP. */
    enum Via { MQTT_WITH_ID, MQTT_WITHOUT_ID, HTTP }

    private static Request request(ResourcePath path, Via via, int requestId, int qos) {
        switch (via) {
            case MQTT_WITH_ID:
                // Through the wire form, as a binding receives it.
                return Request.fromMqtt(Topic.parseRequest(Topic.request(path, requestId).name()), NONE, qos);
            case MQTT_WITHOUT_ID:
                return Request.fromMqtt(Topic.parseRequest(Topic.request(path).name()), NONE, qos);
            default:
                return Request.fromHttp(path, NONE);
        }
    }

    private static Outcome routeNow(Router r, Request req) {
        CompletableFuture<Outcome> f = r.route(req).toCompletableFuture();
        assertThat(f).isDone().isNotCompletedExceptionally();
        return f.join();
    }

    // ---- properties ------------------------------------------------------------------------

    @Property
    void registeredPattern_randomVariableValues_routesToItsHandlerWithThoseValues(
            @ForAll @IntRange(min = 0, max = 12) int routeIndex,
            @ForAll("levels") String appVersion,
            @ForAll("levels") String token,
            @ForAll @Size(2) List<@From("lastLevels") String> values,
            @ForAll Via via,
            @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int requestId,
            @ForAll @IntRange(min = 0, max = 2) int qos) {
        hits.clear(); // jqwik reuses the instance across tries
        String[] route = ROUTES[routeIndex];
        ResourcePath.Builder path = ResourcePath.builder(appVersion, route[0]).endpointToken(token);
        Map<String, String> expected = new LinkedHashMap<>();
        for (String level : route[1].substring(1).split("/")) {
            if (level.startsWith("{")) {
                String value = values.get(expected.size());
                expected.put(level.substring(1, level.length() - 1), value);
                path.addSegment(value);
            } else {
                path.addSegment(level);
            }
        }
        Request req = request(path.build(), via, requestId, qos);

        Outcome out = routeNow(router, req);

        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).route).as("route for %s", req).isEqualTo(routeIndex);
        assertThat(hits.get(0).variables).isEqualTo(expected);
        assertThat(out.isSuccess()).isTrue();
        assertThat(out.httpStatus()).isEqualTo(200);
        if (via == Via.MQTT_WITH_ID) {
            assertThat(out.replyTopic().map(Topic::name)).contains(req.topic().get().name() + "/status");
            assertThat(out.qos()).isEqualTo(qos);
        } else {
            assertThat(out.replyTopic()).as("K6 (no ID) and K12 (HTTP): nothing to publish").isEmpty();
        }
    }

    @Property
    void unregisteredPath_404AndNeverThrows(
            @ForAll("extensions") String extension,
            @ForAll @Size(min = 0, max = 5) List<@From("lastLevels") String> resource,
            @ForAll Via via,
            @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int requestId) {
        hits.clear();
        ResourcePath.Builder b = ResourcePath.builder("app_v1", extension).endpointToken("JTjdbENzHh");
        resource.forEach(b::addSegment);
        ResourcePath path = b.build();
        boolean registered = Reference.of(ROUTES).match(extension, resource) != null;

        Outcome out = routeNow(router, request(path, via, requestId, 1));

        if (registered) {
            assertThat(out.isSuccess()).isTrue();
        } else {
            assertThat(hits).isEmpty();
            assertThat(out.httpStatus()).isEqualTo(404);
            assertThat(out.reply().error().reasonPhrase())
                    .startsWith(Reference.of(ROUTES).extensions.contains(extension)
                            ? "Unknown resource" : "Unknown extension instance");
            if (via != Via.HTTP) {
                assertThat(out.replyTopic().map(Topic::name))
                        .as("D11: errors are published by default").contains(req(out, via, path, requestId));
            }
        }
    }

    private static String req(Outcome out, Via via, ResourcePath path, int requestId) {
        return (via == Via.MQTT_WITH_ID ? path.asString() + "/" + requestId : path.asString()) + "/error";
    }

    @Provide
    Arbitrary<String> extensions() {
        return Arbitraries.oneOf(Arbitraries.of("dcx", "epmx", "cmx", "cex", "multi"), levels());
    }

    /**
     * Random tables of overlapping patterns over a tiny alphabet, and random paths over the same
     * alphabet: the router picks what a brute-force reference picks (the matching pattern whose
     * first literal-versus-variable difference from the left is a literal), and refuses exactly
     * the declarations whose shape is already taken.
     */
    @Property
    void randomOverlappingRoutes_matchReferencePrecedence(
            @ForAll("tables") List<String[]> declarations,
            @ForAll @Size(max = 12) List<@From("smallPaths") List<String>> paths,
            @ForAll Via via) {
        List<Hit> seen = new ArrayList<>();
        Router.Builder b = Router.builder();
        List<String[]> accepted = new ArrayList<>();
        Set<String> shapes = new HashSet<>();
        for (String[] d : declarations) {
            int id = accepted.size();
            String shape = d[0] + " " + d[1].replaceAll("\\{[a-z0-9]+}", "{}");
            if (!shapes.add(shape)) {
                assertThatThrownBy(() -> b.on(d[0], d[1], req -> null))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(d[0] + " " + (d[1].isEmpty() ? "\"\"" : d[1]));
                continue;
            }
            b.on(d[0], d[1], req -> {
                seen.add(new Hit(id, req.pathVariables()));
                return CompletableFuture.completedFuture(Reply.ok());
            });
            accepted.add(d);
        }
        Router r = b.build();
        Reference reference = Reference.of(accepted.toArray(new String[0][]));
        assertThat(r.extensions()).containsExactlyElementsOf(reference.extensions);

        for (List<String> p : paths) {
            String extension = p.get(0);
            List<String> levels = p.subList(1, p.size());
            ResourcePath.Builder pb = ResourcePath.builder("app", extension).endpointToken("tok");
            levels.forEach(pb::addSegment);
            seen.clear();

            Outcome out = routeNow(r, request(pb.build(), via, 7, 0));

            Integer expected = reference.match(extension, levels);
            if (expected == null) {
                assertThat(out.httpStatus()).as("%s %s", extension, levels).isEqualTo(404);
                assertThat(seen).isEmpty();
            } else {
                assertThat(seen).as("%s %s", extension, levels).hasSize(1);
                assertThat(seen.get(0).route).as("%s %s in %s", extension, levels,
                        accepted.stream().map(a -> a[0] + a[1]).collect(Collectors.toList())).isEqualTo(expected);
                assertThat(seen.get(0).variables).isEqualTo(reference.variables(expected, levels));
            }
        }
    }

    @Provide
    Arbitrary<List<String[]>> tables() {
        Arbitrary<String> extension = Arbitraries.of("e1", "e2");
        Arbitrary<String> pattern = Arbitraries.integers().between(0, 3).flatMap(n -> {
            List<Arbitrary<String>> levels = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // Variable names carry their level so a pattern never repeats one; v/w differ to
                // make same-shape conflicts happen.
                levels.add(Arbitraries.of("a", "b", "c", "{v" + i + "}", "{w" + i + "}"));
            }
            return n == 0 ? Arbitraries.just("")
                    : Combinators.combine(levels).as(ls -> "/" + String.join("/", ls));
        });
        return Combinators.combine(extension, pattern).as((e, p) -> new String[] {e, p}).list().ofMaxSize(10);
    }

    @Provide
    Arbitrary<List<String>> smallPaths() {
        Arbitrary<String> extension = Arbitraries.of("e1", "e2", "e3");
        Arbitrary<List<String>> levels = Arbitraries.of("a", "b", "c", "d").list().ofMaxSize(4);
        return Combinators.combine(extension, levels).as((e, ls) -> {
            List<String> out = new ArrayList<>();
            out.add(e);
            out.addAll(ls);
            return out;
        });
    }

    /** Any topic text a broker could deliver under kp1/: parse it as a binding does, route what parses. */
    @Property
    void anyTopicFromTheWire_routeNeverThrows(@ForAll("wireTopics") String topic, @ForAll Via via) {
        ParseResult parsed = TopicParser.defaults().tryParseRequest(topic);
        if (!parsed.isValid()) {
            return;
        }
        Request req = via == Via.HTTP ? Request.fromHttp(parsed.topic().path(), NONE)
                : Request.fromMqtt(parsed.topic(), NONE, 2);

        Outcome out = routeNow(router, req);

        assertThat(out.httpStatus()).isIn(200, 404);
        assertThat(out.payload()).isNotNull();
    }

    @Provide
    Arbitrary<String> wireTopics() {
        Arbitrary<String> level = Arbitraries.oneOf(levels(), Arbitraries.of("", "+", "#", "0", "042", "json",
                "config", "command", "dcx", "cex", "cmx", "epmx", "2147483648", "status", "error"));
        return level.list().ofMinSize(1).ofMaxSize(8).map(ls -> "kp1/" + String.join("/", ls));
    }

    /** A brute-force matcher with the documented precedence, to compare the router against. */
    private static final class Reference {
        final String[][] routes;
        final Set<String> extensions = new java.util.LinkedHashSet<>();

        private Reference(String[][] routes) {
            this.routes = routes;
            for (String[] r : routes) {
                extensions.add(r[0]);
            }
        }

        static Reference of(String[][] routes) {
            return new Reference(routes);
        }

        private static List<String> levels(String pattern) {
            return pattern.isEmpty() || pattern.equals("/") ? List.of() : List.of(pattern.substring(1).split("/"));
        }

        private static boolean isVariable(String level) {
            return level.startsWith("{");
        }

        Integer match(String extension, List<String> path) {
            Integer best = null;
            for (int i = 0; i < routes.length; i++) {
                if (!routes[i][0].equals(extension)) {
                    continue;
                }
                List<String> p = levels(routes[i][1]);
                if (p.size() != path.size()) {
                    continue;
                }
                boolean matches = true;
                for (int k = 0; k < p.size() && matches; k++) {
                    matches = isVariable(p.get(k)) || p.get(k).equals(path.get(k));
                }
                if (matches && (best == null || moreSpecific(p, levels(routes[best][1])))) {
                    best = i;
                }
            }
            return best;
        }

        /** Whether a beats b: at the first level where one is literal and the other variable, a is literal. */
        private static boolean moreSpecific(List<String> a, List<String> b) {
            for (int k = 0; k < a.size(); k++) {
                if (isVariable(a.get(k)) != isVariable(b.get(k))) {
                    return !isVariable(a.get(k));
                }
            }
            return false;
        }

        Map<String, String> variables(int route, List<String> path) {
            Map<String, String> out = new LinkedHashMap<>();
            List<String> p = levels(routes[route][1]);
            for (int k = 0; k < p.size(); k++) {
                if (isVariable(p.get(k))) {
                    out.put(p.get(k).substring(1, p.get(k).length() - 1), path.get(k));
                }
            }
            return out;
        }
    }
}
