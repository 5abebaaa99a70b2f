package io.kp1.testkit;

import io.kp1.InvalidTopicException.Reason;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.TopicParser;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * jqwik arbitraries for 1/KP topics: valid levels, resource paths, request IDs, request topics,
 * reply topics and pushes, and invalid topics labelled with the {@link Reason} (and so the rule)
 * they break. The seed of the conformance kit: any 1/KP implementation can be checked against them.
 *
 * <pre>{@code
 * class MyParserProperties {
 *     @Property
 *     void everyValidRequestParses(@ForAll("requests") Topic t) {
 *         assertThat(myParser.parse(t.name()).requestId()).isEqualTo(t.requestId());
 *     }
 *
 *     @Property
 *     void everyInvalidTopicIsRefused(@ForAll("invalid") Kp1Arbitraries.InvalidTopic bad) {
 *         assertThat(myParser.tryParse(bad.topic()).isValid()).as(bad.reason().rule()).isFalse();
 *     }
 *
 *     @Provide Arbitrary<Topic> requests() { return Kp1Arbitraries.requestTopics(); }
 *     @Provide Arbitrary<Kp1Arbitraries.InvalidTopic> invalid() { return Kp1Arbitraries.invalidRequestTopics(); }
 * }
 * }</pre>
 *
 * <p>The valid values parse with {@link #parser()}: every generated extension instance is
 * endpoint-aware (D7) except those of {@link #ENDPOINT_UNAWARE_EXTENSIONS}, which only
 * {@link #endpointUnawarePaths()} uses. The paths of {@link #resourcePaths()} parse with
 * {@link TopicParser#defaults()} too. Invalid topics are labelled for {@link TopicParser#defaults()}.
 */
public final class Kp1Arbitraries {
    /** The extension instances {@link #endpointUnawarePaths()} uses; {@link #parser()} knows them (D7). */
    public static final List<String> ENDPOINT_UNAWARE_EXTENSIONS = List.of("epr", "registry");

    private static final String NAME_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
    private static final String ALNUM =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final int MAX_TOPIC_BYTES = 65_535;
    private static final TopicParser PARSER = TopicParser.builder()
            .endpointUnaware(ENDPOINT_UNAWARE_EXTENSIONS)
            .build();

    private Kp1Arbitraries() {
    }

    /**
     * The router patterns of the four extension protocols in KP1.md's table, as a 1/KP server
     * declares them: {@code {extension instance, pattern}} pairs, a fresh array each call.
     *
     * <pre>{@code
     * Router.Builder b = Router.builder();
     * for (String[] r : Kp1Arbitraries.extensionRoutes()) { b.on(r[0], r[1], handler); }
     * }</pre>
     */
    public static String[][] extensionRoutes() {
        return new String[][] {
            {"dcx", "/json"},
            {"epmx", "/get/keys"},
            {"epmx", "/get"},
            {"epmx", "/update"},
            {"epmx", "/update/keys"},
            {"epmx", "/delete/keys"},
            {"cmx", "/config/json"},
            {"cmx", "/config/json/{name}"},
            {"cmx", "/applied/json"},
            {"cmx", "/applied/json/{name}"},
            {"cex", "/command/{type}"},
            {"cex", "/result/{type}"},
        };
    }

    /**
     * An invalid topic and the reason a parser must give for it. {@link #toString()} cuts long
     * topics and escapes control characters, so that a failing property's report stays readable.
     */
    public record InvalidTopic(String topic, Reason reason) {
        /** Checks that both are given. */
        public InvalidTopic {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return "InvalidTopic[" + reason + " (" + reason.rule() + "), " + describe(topic) + "]";
        }
    }

    /** The parser that reads every valid topic generated here: {@link #ENDPOINT_UNAWARE_EXTENSIONS} are endpoint-unaware. */
    public static TopicParser parser() {
        return PARSER;
    }

    // ---------------------------------------------------------------- levels

    /** Kaa-style names: {@code [a-zA-Z0-9_-]{1,16}}, e.g. {@code smart_kettle_v1}, {@code close-door}. */
    public static Arbitrary<String> names() {
        return Arbitraries.strings().withChars(NAME_CHARS).ofMinLength(1).ofMaxLength(16);
    }

    /**
     * Endpoint tokens as Kaa issues them: 8 to 32 ASCII letters and digits, e.g. {@code JTjdbENzHh}.
     * Long enough that redaction keeps only their ends (D16).
     */
    public static Arbitrary<String> endpointTokens() {
        return Arbitraries.strings().withChars(ALNUM).ofMinLength(8).ofMaxLength(32);
    }

    /**
     * Any valid level (K1, D3, D4): non-empty, without {@code /}, {@code +}, {@code #}, U+0000 or a
     * lone surrogate. Mostly names; also digits-only levels ({@code 0}, {@code 042}), the reply
     * words {@code status} and {@code error}, and any other Unicode, supplementary characters
     * included.
     */
    public static Arbitrary<String> levels() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, names()),
                Tuple.of(1, Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(12)),
                Tuple.of(1, Arbitraries.of("status", "error", "json", "kp1", "kp2", "KP1", ".", "..", "*",
                        " ", "%2F", "\u00e9t\u00e9", "\uD83D\uDE00")),
                Tuple.of(2, unicodeLevels()));
    }

    private static Arbitrary<String> unicodeLevels() {
        Arbitrary<String> bmp = Arbitraries.chars().all()
                .filter(c -> c != '/' && c != '+' && c != '#' && c != 0 && !Character.isSurrogate(c))
                .map(String::valueOf);
        Arbitrary<String> supplementary = Arbitraries.integers().between(0x10000, Character.MAX_CODE_POINT)
                .map(Character::toString);
        return Arbitraries.frequencyOf(Tuple.of(4, bmp), Tuple.of(1, supplementary))
                .list().ofMinSize(1).ofMaxSize(12)
                .map(parts -> String.join("", parts));
    }

    /** Request IDs a client may send (K4, D1): 1..2147483647, edge cases included. */
    public static Arbitrary<Integer> requestIds() {
        return Arbitraries.integers().between(1, Integer.MAX_VALUE);
    }

    /**
     * Last levels a request parser must refuse as request IDs (D1): digits-only, but {@code 0},
     * {@code 000} or past 2147483647, e.g. {@code 2147483648}. Append one to a resource path
     * ({@code kp1/app/dcx/tok/json/0}) for an {@code INVALID_REQUEST_ID}.
     */
    public static Arbitrary<String> invalidRequestIds() {
        return invalidIds();
    }

    // ---------------------------------------------------------------- valid values

    /** Endpoint-aware resource paths (K1) with any valid levels and 0 to 4 resource levels. */
    public static Arbitrary<ResourcePath> resourcePaths() {
        return resourcePaths(levels());
    }

    /** Endpoint-aware resource paths whose tokens come from {@code tokens}. */
    public static Arbitrary<ResourcePath> resourcePaths(Arbitrary<String> tokens) {
        return Combinators.combine(levels(), awareExtensions(), tokens, levels().list().ofMaxSize(4))
                .as((app, ext, token, segments) -> {
                    ResourcePath.Builder b = ResourcePath.builder(app, ext).endpointToken(token);
                    segments.forEach(b::addSegment);
                    return b.build();
                });
    }

    /** Resource paths of the 1/KP extensions used in Kaa, e.g. {@code kp1/app/cex/tok/command/reboot}. */
    public static Arbitrary<ResourcePath> extensionResourcePaths() {
        Arbitrary<String> resources = Arbitraries.oneOf(
                Arbitraries.of("/json", "/get/keys", "/get", "/update", "/update/keys", "/delete/keys",
                        "/config/json", "/applied/json"),
                names().map(n -> "/config/json/" + n),
                names().map(n -> "/applied/json/" + n),
                names().map(n -> "/command/" + n),
                names().map(n -> "/result/" + n));
        return Combinators.combine(names(), Arbitraries.of("dcx", "epmx", "cmx", "cex"), endpointTokens(), resources)
                .as((app, ext, token, resource) -> ResourcePath.of(app, ext, token, resource));
    }

    /** Endpoint-unaware resource paths (D7): no token level; parse them with {@link #parser()}. */
    public static Arbitrary<ResourcePath> endpointUnawarePaths() {
        return Combinators.combine(levels(), Arbitraries.of(ENDPOINT_UNAWARE_EXTENSIONS), levels().list().ofMaxSize(4))
                .as((app, ext, segments) -> {
                    ResourcePath.Builder b = ResourcePath.builder(app, ext);
                    segments.forEach(b::addSegment);
                    return b.build();
                });
    }

    /** Request topics over {@link #resourcePaths()}, with and without a request ID. */
    public static Arbitrary<Topic> requestTopics() {
        return requestTopics(resourcePaths());
    }

    /**
     * Request topics over the given paths: with a request ID, or without one when the path does not
     * end in a digits-only level (D8).
     */
    public static Arbitrary<Topic> requestTopics(Arbitrary<ResourcePath> paths) {
        return Combinators.combine(paths, requestIds(), Arbitraries.integers().between(0, 3))
                .as((path, id, mode) -> mode == 0 && !path.endsWithDigitsLevel()
                        ? Topic.request(path) : Topic.request(path, id));
    }

    /** Success and error replies to requests with a request ID (K5). */
    public static Arbitrary<Topic> replyTopics() {
        return replyTopics(resourcePaths());
    }

    /** Success and error replies to requests with a request ID, over the given paths (K5). */
    public static Arbitrary<Topic> replyTopics(Arbitrary<ResourcePath> paths) {
        return Combinators.combine(paths, requestIds(), Arbitraries.of(true, false))
                .as((path, id, ok) -> ok ? Topic.request(path, id).statusTopic() : Topic.request(path, id).errorTopic());
    }

    /** Server pushes: {@code /status} or {@code /error} on a resource topic without a request ID (K11). */
    public static Arbitrary<Topic> pushes() {
        return pushes(resourcePaths());
    }

    /** Server pushes over the given paths (K11). */
    public static Arbitrary<Topic> pushes(Arbitrary<ResourcePath> paths) {
        return Combinators.combine(paths.filter(p -> !p.endsWithDigitsLevel()), Arbitraries.of(true, false))
                .as((path, ok) -> ok ? Topic.request(path).statusTopic() : Topic.request(path).errorTopic());
    }

    /**
     * Valid request topic names as a client may send them, including IDs with leading zeros
     * ({@code .../json/042}), which parse as 42 and keep their text (D1, D2).
     */
    public static Arbitrary<String> requestTopicNames() {
        return Combinators.combine(requestTopics(), Arbitraries.integers().between(0, 3))
                .as((t, zeros) -> t.hasRequestId()
                        ? t.path().asString() + "/" + "0".repeat(zeros) + t.requestId() : t.name());
    }

    // ---------------------------------------------------------------- invalid topics

    /** Invalid request topics, each labelled with the reason {@link TopicParser#parseRequest} must give. */
    public static Arbitrary<InvalidTopic> invalidRequestTopics() {
        return invalidRequestTopics(requestTopics());
    }

    /** Invalid request topics made by breaking one rule in the given valid request topics. */
    public static Arbitrary<InvalidTopic> invalidRequestTopics(Arbitrary<Topic> validRequests) {
        List<Arbitrary<InvalidTopic>> kinds = scanErrors(validRequests.map(Topic::name));
        kinds.add(Combinators.combine(validRequests.map(t -> t.path().asString()), invalidIds())
                .as((path, id) -> new InvalidTopic(path + "/" + id, Reason.INVALID_REQUEST_ID)));
        kinds.add(missingLevels(""));
        return Arbitraries.oneOf(kinds);
    }

    /** Invalid reply topics, each labelled with the reason {@link TopicParser#parseReply} must give. */
    public static Arbitrary<InvalidTopic> invalidReplyTopics() {
        return invalidReplyTopics(resourcePaths());
    }

    /** Invalid reply topics made by breaking one rule in replies and pushes over the given paths. */
    public static Arbitrary<InvalidTopic> invalidReplyTopics(Arbitrary<ResourcePath> paths) {
        Arbitrary<String> names = Arbitraries.oneOf(replyTopics(paths), pushes(paths)).map(Topic::name);
        Arbitrary<String> suffixes = Arbitraries.of(Topic.STATUS_SUFFIX, Topic.ERROR_SUFFIX);
        List<Arbitrary<InvalidTopic>> kinds = scanErrors(names);
        kinds.add(Combinators.combine(paths.map(ResourcePath::asString), invalidIds(), suffixes)
                .as((path, id, suffix) -> new InvalidTopic(path + "/" + id + suffix, Reason.INVALID_REQUEST_ID)));
        kinds.add(requestTopics(paths).map(Topic::name)
                .filter(n -> !n.endsWith(Topic.STATUS_SUFFIX) && !n.endsWith(Topic.ERROR_SUFFIX))
                .map(n -> new InvalidTopic(n, Reason.NOT_A_REPLY)));
        kinds.add(suffixes.flatMap(Kp1Arbitraries::missingLevels));
        return Arbitraries.oneOf(kinds);
    }

    /**
     * Any string, for "never throws" properties: random text over the topic grammar's characters,
     * all of Unicode including lone surrogates, with and without a {@code kp1/} prefix, mutated
     * valid topics, and now and then one past the 65,535-byte limit.
     */
    public static Arbitrary<String> anyStrings() {
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.chars().with("kp1/+#0123456789statuserror\u0000 ")),
                Tuple.of(2, Arbitraries.chars().all()),
                Tuple.of(1, Arbitraries.chars().range('\uD800', '\uDFFF')));
        Arbitrary<String> text = chars.list().ofMaxSize(40).map(Kp1Arbitraries::join);
        Arbitrary<String> validNames = Arbitraries.oneOf(requestTopics(), replyTopics(), pushes()).map(Topic::name);
        return Arbitraries.frequencyOf(
                Tuple.of(3, text),
                Tuple.of(3, text.map(s -> "kp1/" + s)),
                Tuple.of(3, Combinators.combine(validNames, text, Arbitraries.integers().between(0, 10_000))
                        .as((name, insert, at) -> {
                            int p = at % (name.length() + 1);
                            return name.substring(0, p) + insert + name.substring(p);
                        })),
                Tuple.of(1, Combinators.combine(text, Arbitraries.of("a", "\u00e9", "\u20ac", "\uD83D\uDE00"))
                        .as((s, unit) -> "kp1/app/dcx/tok/" + unit.repeat(MAX_TOPIC_BYTES / 2 + 1) + s)));
    }

    // ---------------------------------------------------------------- HTTP paths (K12, D9)

    /**
     * Why an HTTP request path is refused, with the rule and the HTTP status a 1/KP server
     * answers (D9, D10): each URL path segment is percent-decoded on its own as UTF-8, then the
     * decoded path is parsed as a request topic (D1, D3, D4).
     */
    public enum HttpPathRule {
        /** A segment {@code .} or {@code ..}, plain or percent-encoded ({@code %2e%2E}): no traversal. */
        DOT_SEGMENT("D9", 400),
        /** A segment that decodes to contain {@code /} ({@code %2F}, {@code %2f}). */
        ENCODED_SLASH("D9", 400),
        /** A {@code %} without two hex digits, or escaped bytes that are not UTF-8 (overlong, surrogate, truncated). */
        BAD_PERCENT_ENCODING("D9", 400),
        /** A decoded U+0000 ({@code %00}): not allowed in an MQTT topic name. */
        NUL("D4", 400),
        /** A decoded {@code +} or {@code #} ({@code +}, {@code %2B}, {@code %23}). */
        WILDCARD("D4", 400),
        /** An empty level: a double slash or a trailing slash. */
        EMPTY_LEVEL("D3", 400),
        /** A digits-only last level outside 1..2147483647: {@code /0}, {@code /2147483648}. */
        INVALID_REQUEST_ID("D1", 400),
        /** Not under {@code <base>/kp1/}: {@code kp2}, {@code KP1}. */
        NOT_UNDER_KP1("D10", 404);

        private final String rule;
        private final int status;

        HttpPathRule(String rule, int status) {
            this.rule = rule;
            this.status = status;
        }

        /** The rule of KP1.md, e.g. {@code D9}. */
        public String rule() {
            return rule;
        }

        /** The HTTP status a server answers (D10). */
        public int status() {
            return status;
        }
    }

    /**
     * An HTTP request path relative to the server's base (it starts with {@code /kp1/} or where
     * that was broken) and the rule it breaks; prepend the base, e.g. {@code /kpc}.
     */
    public record InvalidHttpPath(String path, HttpPathRule rule) {
        /** Checks that both are given. */
        public InvalidHttpPath {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String toString() {
            return "InvalidHttpPath[" + rule + " (" + rule.rule() + ", " + rule.status() + "), " + describe(path) + "]";
        }
    }

    /**
     * The HTTP request path of {@code path} relative to the base (K12, D9): {@code /} and each
     * level percent-encoded as UTF-8, all but RFC 3986's unreserved characters escaped, so
     * {@code kp1/app/dcx/tok/a b} becomes {@code /kp1/app/dcx/tok/a%20b} and a level {@code %2F}
     * becomes {@code %252F} (decoded once by the server, it is the text {@code %2F} again).
     *
     * @throws IllegalArgumentException for a path HTTP cannot carry: a level {@code .} or {@code ..},
     *                                  or a digits-only last level (the server would read it as a request ID, D9)
     */
    public static String httpPath(ResourcePath path) {
        if (!isHttpExpressible(path)) {
            throw new IllegalArgumentException("Not expressible as an HTTP path (D9): " + path);
        }
        StringBuilder sb = new StringBuilder();
        for (String level : path.asString().split("/", -1)) {
            sb.append('/');
            byte[] bytes = level.getBytes(StandardCharsets.UTF_8);
            for (byte b : bytes) {
                int c = b & 0xFF;
                if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                    sb.append((char) c);
                } else {
                    sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
            }
        }
        return sb.toString();
    }

    /** Whether {@link #httpPath(ResourcePath)} can carry {@code path}: no dot level, no digits-only last level. */
    public static boolean isHttpExpressible(ResourcePath path) {
        if (path.endsWithDigitsLevel()) {
            return false;
        }
        for (String level : path.asString().split("/", -1)) {
            if (level.equals(".") || level.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Valid HTTP request paths (relative to the base) of {@link #resourcePaths()}, e.g.
     * {@code /kp1/app/dcx/JTjdbENzHh/json}; see {@link #httpPath(ResourcePath)}.
     *
     * <pre>{@code
     * @Property
     * void everyValidPathReachesItsHandler(@ForAll("paths") String path) {
     *     assertThat(post(baseUrl + path).statusCode()).isNotIn(400, 404);
     * }
     * @Provide Arbitrary<String> paths() { return Kp1Arbitraries.httpPaths(); }
     * }</pre>
     */
    public static Arbitrary<String> httpPaths() {
        return httpPaths(resourcePaths());
    }

    /** Valid HTTP request paths of the given resource paths (those HTTP can carry). */
    public static Arbitrary<String> httpPaths(Arbitrary<ResourcePath> paths) {
        return paths.filter(Kp1Arbitraries::isHttpExpressible).map(Kp1Arbitraries::httpPath);
    }

    /**
     * Invalid HTTP request paths (relative to the base), each labelled with the rule it breaks:
     * one break in an otherwise valid path of {@link #resourcePaths()}.
     *
     * <pre>{@code
     * @Property
     * void everyInvalidPathIsRefused(@ForAll("bad") Kp1Arbitraries.InvalidHttpPath bad) {
     *     assertThat(post(baseUrl + bad.path()).statusCode()).as(bad.toString()).isEqualTo(bad.rule().status());
     * }
     * @Provide Arbitrary<Kp1Arbitraries.InvalidHttpPath> bad() { return Kp1Arbitraries.invalidHttpPaths(); }
     * }</pre>
     */
    public static Arbitrary<InvalidHttpPath> invalidHttpPaths() {
        Arbitrary<String> valid = httpPaths();
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 10_000);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(valid, at, Arbitraries.of(".", "..", "%2e", "%2E", ".%2e", "%2e.", "%2e%2E", "%2E%2E"))
                        .as((p, i, dots) -> new InvalidHttpPath(insertSegment(p, i, dots), HttpPathRule.DOT_SEGMENT)),
                Combinators.combine(valid, at, Arbitraries.of("%2F", "%2f"))
                        .as((p, i, slash) -> new InvalidHttpPath(insertInSegment(p, i, slash), HttpPathRule.ENCODED_SLASH)),
                Combinators.combine(valid, at, Arbitraries.of("%", "%4", "%G0", "%0g", "%C3%28", "%FF", "%C0%AF",
                                "%ED%A0%80", "%E6%B8", "%F0%9F%98", "%F8%88%80%80%80"))
                        .as((p, i, bad) -> new InvalidHttpPath(appendToSegment(p, i, bad), HttpPathRule.BAD_PERCENT_ENCODING)),
                Combinators.combine(valid, at)
                        .as((p, i) -> new InvalidHttpPath(insertInSegment(p, i, "%00"), HttpPathRule.NUL)),
                Combinators.combine(valid, at, Arbitraries.of("+", "%2B", "%2b", "%23"))
                        .as((p, i, w) -> new InvalidHttpPath(insertInSegment(p, i, w), HttpPathRule.WILDCARD)),
                Combinators.combine(valid, at, Arbitraries.of(true, false))
                        .as((p, i, trailing) -> new InvalidHttpPath(trailing ? p + "/" : insertSegment(p, i, ""),
                                HttpPathRule.EMPTY_LEVEL)),
                Combinators.combine(valid, invalidIds())
                        .as((p, id) -> new InvalidHttpPath(p + "/" + id, HttpPathRule.INVALID_REQUEST_ID)),
                Combinators.combine(valid, Arbitraries.oneOf(otherVersions(), Arbitraries.of("KP1", "Kp1", "kp1x", "kp")))
                        .as((p, v) -> new InvalidHttpPath("/" + v + p.substring(4), HttpPathRule.NOT_UNDER_KP1))));
    }

    /** Inserts a whole segment after {@code /kp1} (never before it, so that the path stays under the base's kp1). */
    private static String insertSegment(String path, int at, String segment) {
        List<Integer> slashes = slashesAfterKp1(path);
        slashes.add(path.length());
        int s = slashes.get(at % slashes.size());
        return path.substring(0, s) + "/" + segment + path.substring(s);
    }

    /**
     * Inserts {@code text} at the start or the end of a segment after {@code /kp1}: between
     * whole characters, never inside an escape or a multi-byte UTF-8 sequence.
     */
    private static String insertInSegment(String path, int at, String text) {
        List<Integer> positions = new ArrayList<>();
        for (int slash : slashesAfterKp1(path)) {
            positions.add(slash + 1);
            if (positions.size() > 1) {
                positions.add(slash);
            }
        }
        positions.add(path.length());
        int p = positions.get(at % positions.size());
        return path.substring(0, p) + text + path.substring(p);
    }

    /**
     * Appends {@code text} to a segment after {@code /kp1}: at its end, so that what follows
     * cannot complete a truncated escape or UTF-8 sequence.
     */
    private static String appendToSegment(String path, int at, String text) {
        List<Integer> ends = slashesAfterKp1(path);
        ends.remove(0); // the slash after kp1 ends the kp1 segment
        ends.add(path.length());
        int e = ends.get(at % ends.size());
        return path.substring(0, e) + text + path.substring(e);
    }

    private static List<Integer> slashesAfterKp1(String path) {
        List<Integer> slashes = new ArrayList<>();
        for (int i = path.indexOf('/', 1); i >= 0; i = path.indexOf('/', i + 1)) {
            slashes.add(i);
        }
        return slashes;
    }

    // ---------------------------------------------------------------- how topics are broken

    /** Errors found while scanning the characters (D3, D4) or the version level (D5), one kind each. */
    private static List<Arbitrary<InvalidTopic>> scanErrors(Arbitrary<String> names) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 10_000);
        List<Arbitrary<InvalidTopic>> kinds = new ArrayList<>();
        kinds.add(Combinators.combine(names, at, Arbitraries.integers().between(0, 2))
                .as(Kp1Arbitraries::emptyLevel));
        kinds.add(Combinators.combine(names, at, Arbitraries.of('+', '#'))
                .as((n, p, c) -> new InvalidTopic(insertAfterPrefix(n, p, String.valueOf(c)), Reason.WILDCARD)));
        kinds.add(Combinators.combine(names, at)
                .as((n, p) -> new InvalidTopic(insertAfterPrefix(n, p, "\u0000"), Reason.NUL_CHARACTER)));
        kinds.add(Combinators.combine(names, at, Arbitraries.chars().range('\uD800', '\uDFFF'))
                .as((n, p, c) -> new InvalidTopic(insertAfterPrefix(n, p, String.valueOf(c)), Reason.MALFORMED_UNICODE)));
        kinds.add(Combinators.combine(names, at, Arbitraries.of("a", "\u00e9", "\u20ac", "\uD83D\uDE00"),
                        Arbitraries.integers().between(0, 3))
                .as(Kp1Arbitraries::tooLong));
        kinds.add(Combinators.combine(names, notVersionLevels())
                .as((n, v) -> new InvalidTopic(v + n.substring(3), Reason.NOT_KP1)));
        kinds.add(Combinators.combine(names, otherVersions())
                .as((n, v) -> new InvalidTopic(v + n.substring(3), Reason.UNSUPPORTED_VERSION)));
        return kinds;
    }

    private static InvalidTopic emptyLevel(String name, int at, int where) {
        switch (where) {
            case 0:
                return new InvalidTopic("/" + name, Reason.EMPTY_LEVEL);
            case 1:
                return new InvalidTopic(name + "/", Reason.EMPTY_LEVEL);
            default:
                List<Integer> slashes = new ArrayList<>();
                for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                    slashes.add(i);
                }
                int s = slashes.get(at % slashes.size());
                return new InvalidTopic(name.substring(0, s) + "/" + name.substring(s), Reason.EMPTY_LEVEL);
        }
    }

    /** Inserts {@code text} after {@code kp1/}, at a position derived from {@code at}, never inside a surrogate pair. */
    private static String insertAfterPrefix(String name, int at, String text) {
        int p = 4 + at % (name.length() - 3);
        if (p < name.length() && Character.isLowSurrogate(name.charAt(p))) {
            p++;
        }
        return name.substring(0, p) + text + name.substring(p);
    }

    /** Makes a level long enough that the topic passes 65,535 UTF-8 bytes (D4) with 1- to 4-byte characters. */
    private static InvalidTopic tooLong(String name, int at, String unit, int extra) {
        int bytes = utf8Length(name);
        int unitBytes = utf8Length(unit);
        int repeat = (MAX_TOPIC_BYTES + 1 - bytes + unitBytes - 1) / unitBytes + extra;
        int p = name.indexOf('/', 4 + at % (name.length() - 4));
        p = p < 0 ? 4 : p + 1; // the start of a level
        return new InvalidTopic(name.substring(0, p) + unit.repeat(repeat) + name.substring(p), Reason.TOO_LONG);
    }

    /** Levels, or the start of levels, that are neither {@code kp1} nor {@code kp<digits>} (D5). */
    private static Arbitrary<String> notVersionLevels() {
        return Arbitraries.oneOf(
                Arbitraries.of("KP1", "Kp1", "kP1", "kp", "k", "p1", "kp1x", "kpx", "kp-1", "kp1.0", "mqtt", "kp 1",
                        "xkp1", "kp\u0661", "kp\uFF11", "$share", "kp1\u0000"),
                levels().filter(l -> !isVersionLevel(l)));
    }

    /** {@code kp<digits>} other than {@code kp1}: {@code kp2}, {@code kp0}, {@code kp01}, {@code kp10} (D5). */
    private static Arbitrary<String> otherVersions() {
        return Arbitraries.oneOf(
                Arbitraries.of("kp0", "kp2", "kp3", "kp01", "kp10", "kp11", "kp00001"),
                Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(6).filter(d -> !d.equals("1")).map(d -> "kp" + d));
    }

    /** Digits-only last levels outside 1..2147483647 (D1). */
    private static Arbitrary<String> invalidIds() {
        return Arbitraries.oneOf(
                Arbitraries.of("0", "00", "000", "0000000000000", "2147483648", "02147483648", "4294967296",
                        "9999999999", "99999999999", "18446744073709551616"),
                Arbitraries.longs().between(Integer.MAX_VALUE + 1L, 9_999_999_999L).map(String::valueOf),
                Arbitraries.strings().numeric().ofMinLength(11).ofMaxLength(40).filter(d -> d.charAt(0) != '0'));
    }

    /** Topics that stop before the token level (K1, D7), with or without an ID, and with {@code suffix} appended. */
    private static Arbitrary<InvalidTopic> missingLevels(String suffix) {
        Arbitrary<String> notDigits = levels().filter(l -> !isDigits(l));
        Arbitrary<String> ids = requestIds().map(String::valueOf);
        // Extensions stay endpoint-aware, so that the labels hold for parser() too.
        return Arbitraries.oneOf(
                Combinators.combine(levels(), awareExtensions().filter(l -> !isDigits(l)))
                        .as((app, ext) -> new InvalidTopic("kp1/" + app + "/" + ext + suffix, Reason.MISSING_ENDPOINT_TOKEN)),
                Combinators.combine(levels(), awareExtensions(), ids)
                        .as((app, ext, id) -> new InvalidTopic("kp1/" + app + "/" + ext + "/" + id + suffix,
                                Reason.MISSING_ENDPOINT_TOKEN)),
                notDigits.map(app -> new InvalidTopic("kp1/" + app + suffix, Reason.MISSING_EXTENSION)),
                Combinators.combine(levels(), ids)
                        .as((app, id) -> new InvalidTopic("kp1/" + app + "/" + id + suffix, Reason.MISSING_EXTENSION)),
                Arbitraries.just(new InvalidTopic("kp1" + suffix, Reason.MISSING_APPLICATION_VERSION)),
                ids.map(id -> new InvalidTopic("kp1/" + id + suffix, Reason.MISSING_APPLICATION_VERSION)));
    }

    private static Arbitrary<String> awareExtensions() {
        return levels().filter(e -> !ENDPOINT_UNAWARE_EXTENSIONS.contains(e));
    }

    // ---------------------------------------------------------------- helpers

    private static boolean isVersionLevel(String level) {
        return level.length() > 2 && level.startsWith("kp") && isDigits(level.substring(2));
    }

    private static boolean isDigits(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String join(List<Character> chars) {
        StringBuilder sb = new StringBuilder(chars.size());
        chars.forEach(sb::append);
        return sb.toString();
    }

    /** A topic for a report: control characters and lone surrogates escaped, long ones cut. */
    static String describe(String topic) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(topic.length(), 160);
        for (int i = 0; i < n; i++) {
            char c = topic.charAt(i);
            boolean pairHigh = Character.isHighSurrogate(c) && i + 1 < topic.length()
                    && Character.isLowSurrogate(topic.charAt(i + 1));
            boolean pairLow = Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(topic.charAt(i - 1));
            if (c < 0x20 || c == 0x7f || (Character.isSurrogate(c) && !pairHigh && !pairLow)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
        if (topic.length() > n) {
            sb.append("...(").append(topic.length()).append(" chars, ").append(utf8Length(topic)).append(" bytes)");
        }
        return sb.toString();
    }
}
