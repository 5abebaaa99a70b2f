package io.kp1.bench;

import io.kp1.ParseResult;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.TopicParser;
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

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing and formatting 1/KP topics: {@link TopicParser} against baselines in the same run, on
 * the same realistic mixes of topics, reporting ns/op and (with {@code -prof gc}) bytes per op.
 *
 * <p>Mixes (8 topics each, taken in turn):
 * <ul>
 *   <li>{@link #REQUESTS}: what a server receives: 2/DCP telemetry with and without request ID,
 *       10/EPMP metadata, 7/CMP config, 11/CEP command results.</li>
 *   <li>{@link #REPLIES}: what a client receives: {@code /status} and {@code /error} replies with
 *       request ID, and pushes and observe updates without one (K5, K11).</li>
 *   <li>{@link #WIRE}: requests as they come off the wire, 2 of 8 invalid (a wildcard, D4; an
 *       empty level, D3), parsed with the non-throwing {@code tryParse*} methods.</li>
 * </ul>
 *
 * <p>Benchmarks, by group ({@code request*}, {@code reply*}, {@code wire*}, {@code format*}):
 * <ul>
 *   <li>{@code *_kp1}: this library. {@code request_kp1} returns the {@link Topic}, whose
 *       level strings are cut only when asked; {@code request_kp1AllFields} also reads every
 *       field, as the baselines do.</li>
 *   <li>{@code *_regex} and {@code *_split}: hand-written 1/KP parsers that extract the same
 *       fields (app version, extension, token, resource, request ID) with a regex and with
 *       {@code String.split}. They check less than the library: no UTF-8 length or surrogate
 *       check (D4), no request ID range (D1), no endpoint-unaware extensions (D7).
 *       {@code request_regex} and {@code request_split} are the baselines of the target
 *       (10x and 4x) and are unchanged from the first version of this benchmark
 *       ({@code request_split} checks no level at all); {@code reply_split} and
 *       {@code wire_split} refuse wildcards and empty levels.</li>
 *   <li>{@code request_paho}, {@code request_hivemq}, {@code request_moquette}: the topic
 *       parsers of well-known Java MQTT projects on the same mix: Eclipse Paho's
 *       {@code MqttTopic.validate} (validation only), the HiveMQ MQTT client's
 *       {@code MqttTopic.of(..).getLevels()} (validation, UTF-8 encoding, split into levels), and
 *       Moquette's broker {@code Topic.getTokens()} (split into level tokens). They read generic
 *       MQTT topic names, not 1/KP: they know nothing of request IDs, tokens or resources, and
 *       accept empty levels, so they do less work than a 1/KP parser and are generous baselines.
 *       The {@code wire_*} group runs them on invalid input too, where Paho and HiveMQ throw.</li>
 *   <li>{@code request_readEveryChar}: the cost of reading every char once and nothing more,
 *       a floor under any parser that checks every char (D4).</li>
 *   <li>{@code format_*}: the reply topic of a parsed request ({@link Topic#statusTopic()}, K5)
 *       and a request topic built from a path and an ID ({@link Topic#request(ResourcePath, int)}),
 *       against string concatenation and a {@code StringBuilder}, which check nothing.</li>
 * </ul>
 *
 * <p>Run with {@code mvn -B -Pbench -pl kp1-core verify -Djmh.args="TopicParse -prof gc"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopicParseBenchmark {
    /** Requests: telemetry with and without IDs, metadata, config, commands (the mix of the README). */
    static final String[] REQUESTS = {
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json/42",
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json",
        "kp1/smart_kettle_v1/epmx/JTjdbENzHh/update/keys/1731",
        "kp1/smart_kettle_v1/cmx/JTjdbENzHh/config/json/7",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/result/reboot/123456",
        "kp1/smart_kettle_v1/epmx/JTjdbENzHh/get/keys/99",
        "kp1/smart_kettle_v1/dcx/A8mQ2vLx0p/json/2147483647",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/command/reboot/5",
    };
    /** Replies with IDs (/status, /error), observe updates and pushes without IDs (K5, K11). */
    static final String[] REPLIES = {
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json/42/status",
        "kp1/smart_kettle_v1/epmx/JTjdbENzHh/update/keys/1731/status",
        "kp1/smart_kettle_v1/cmx/JTjdbENzHh/config/json/7/status",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/command/reboot/status",
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json/43/error",
        "kp1/smart_kettle_v1/cmx/JTjdbENzHh/config/json/status",
        "kp1/smart_kettle_v1/epmx/JTjdbENzHh/get/keys/99/status",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/result/reboot/123456/error",
    };
    /** Requests off the wire, two of them invalid: a wildcard (D4) and an empty level (D3). */
    static final String[] WIRE = {
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json/42",
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json",
        "kp1/smart_kettle_v1/dcx/+/json/17",
        "kp1/smart_kettle_v1/cmx/JTjdbENzHh/config/json/7",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/result/reboot/123456",
        "kp1/smart_kettle_v1/epmx/JTjdbENzHh//keys/99",
        "kp1/smart_kettle_v1/dcx/A8mQ2vLx0p/json/2147483647",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/command/reboot/5",
    };

    private static final Pattern REQUEST_REGEX = Pattern.compile(
            "^kp1/([^/+#]+)/([^/+#]+)/([^/+#]+)((?:/[^/+#]+)*?)(?:/(\\d+))?$");
    private static final Pattern REPLY_REGEX = Pattern.compile(
            "^kp1/([^/+#]+)/([^/+#]+)/([^/+#]+)((?:/[^/+#]+)*?)(?:/(\\d+))?/(status|error)$");

    private final TopicParser parser = TopicParser.defaults();
    private final Topic[] parsedRequests = new Topic[REQUESTS.length];
    private final ResourcePath[] paths = new ResourcePath[REQUESTS.length];
    private int i;

    @Setup
    public void setUp() {
        for (int k = 0; k < REQUESTS.length; k++) {
            parsedRequests[k] = parser.parseRequest(REQUESTS[k]);
            paths[k] = parsedRequests[k].path();
        }
    }

    private int next() {
        i = (i + 1) & 7;
        return i;
    }

    // ------------------------------------------------------------------ request topics

    @Benchmark
    public Object request_kp1() {
        return parser.parseRequest(REQUESTS[next()]);
    }

    /** Parse and read every field, which makes the library cut its substrings. */
    @Benchmark
    public Object request_kp1AllFields() {
        Topic t = parser.parseRequest(REQUESTS[next()]);
        ResourcePath p = t.path();
        return new Object[] {p.appVersion(), p.extension(), p.endpointToken(), p.resource(), t.requestId()};
    }

    /**
     * A floor, not a parser: reads every char of the topic once with {@code String.charAt} and
     * folds them into an int, as any parser that checks D4 on every char must at least do. It
     * validates, splits and allocates nothing. Its time beside {@code request_regex / 10} shows
     * how much of the 10x target's budget reading the input alone takes on this machine.
     */
    @Benchmark
    public int request_readEveryChar() {
        String s = REQUESTS[next()];
        int n = s.length();
        // Four independent accumulators, so that the floor is bound by reading, not by one chain.
        int a = 0;
        int b = 0;
        int c = 0;
        int d = 0;
        int k = 0;
        for (; k + 3 < n; k += 4) {
            a |= s.charAt(k);
            b |= s.charAt(k + 1);
            c |= s.charAt(k + 2);
            d |= s.charAt(k + 3);
        }
        for (; k < n; k++) {
            a |= s.charAt(k);
        }
        return a | b | c | d;
    }

    @Benchmark
    public Object request_regex() {
        return regexFields(REQUEST_REGEX, REQUESTS[next()]);
    }

    /** The split parser of the first version of this benchmark, kept as is: it validates nothing. */
    @Benchmark
    public Object request_split() {
        String[] levels = REQUESTS[next()].split("/");
        if (levels.length < 4 || !"kp1".equals(levels[0])) {
            throw new IllegalArgumentException();
        }
        int last = levels.length - 1;
        int id = -1;
        String lastLevel = levels[last];
        if (!lastLevel.isEmpty() && lastLevel.chars().allMatch(Character::isDigit)) {
            id = Integer.parseInt(lastLevel);
            last--;
        }
        StringBuilder resource = new StringBuilder();
        for (int k = 4; k <= last; k++) {
            resource.append('/').append(levels[k]);
        }
        return new Object[] {levels[1], levels[2], levels[3], resource.toString(), id};
    }

    /** Eclipse Paho 1.2: validation of a generic MQTT topic name only (no levels returned). */
    @Benchmark
    public Object request_paho() {
        String s = REQUESTS[next()];
        org.eclipse.paho.client.mqttv3.MqttTopic.validate(s, false);
        return s;
    }

    /** HiveMQ MQTT client 1.3: a validated, UTF-8 encoded topic, then its levels. */
    @Benchmark
    public Object request_hivemq() {
        return com.hivemq.client.mqtt.datatypes.MqttTopic.of(REQUESTS[next()]).getLevels();
    }

    /** Moquette 0.17 broker: its subscription-tree topic, split into tokens. */
    @Benchmark
    public Object request_moquette() {
        return new io.moquette.broker.subscriptions.Topic(REQUESTS[next()]).getTokens();
    }

    // ------------------------------------------------------------------ reply topics

    @Benchmark
    public Object reply_kp1() {
        return parser.parseReply(REPLIES[next()]);
    }

    @Benchmark
    public Object reply_regex() {
        return regexFields(REPLY_REGEX, REPLIES[next()]);
    }

    @Benchmark
    public Object reply_split() {
        return splitFields(REPLIES[next()], true);
    }

    // ------------------------------------------------------------------ wire input with invalid topics

    @Benchmark
    public Object wire_kp1() {
        ParseResult r = parser.tryParseRequest(WIRE[next()]);
        return r.isValid() ? r.topic() : r.error();
    }

    @Benchmark
    public Object wire_regex() {
        return regexFields(REQUEST_REGEX, WIRE[next()]);
    }

    @Benchmark
    public Object wire_split() {
        return splitFields(WIRE[next()], false);
    }

    @Benchmark
    public Object wire_paho() {
        String s = WIRE[next()];
        try {
            org.eclipse.paho.client.mqttv3.MqttTopic.validate(s, false);
            return s;
        } catch (IllegalArgumentException e) {
            return e;
        }
    }

    @Benchmark
    public Object wire_hivemq() {
        try {
            return com.hivemq.client.mqtt.datatypes.MqttTopic.of(WIRE[next()]).getLevels();
        } catch (IllegalArgumentException e) {
            return e;
        }
    }

    @Benchmark
    public Object wire_moquette() {
        io.moquette.broker.subscriptions.Topic t = new io.moquette.broker.subscriptions.Topic(WIRE[next()]);
        List<?> tokens = t.getTokens();
        return t.isValid() ? tokens : null;
    }

    // ------------------------------------------------------------------ formatting

    /** The success reply topic of a parsed request (K5): its name plus {@code /status}. */
    @Benchmark
    public Object format_statusTopic_kp1() {
        return parsedRequests[next()].statusTopic();
    }

    @Benchmark
    public Object format_statusTopic_concat() {
        return REQUESTS[next()].concat("/status");
    }

    /** A request topic from a path and an ID (K4), checked against D1 and D4. */
    @Benchmark
    public Object format_request_kp1() {
        int k = next();
        return Topic.request(paths[k], k + 1);
    }

    @Benchmark
    public Object format_request_stringBuilder() {
        int k = next();
        String p = paths[k].asString();
        return new StringBuilder(p.length() + 11).append(p).append('/').append(k + 1).toString();
    }

    // ------------------------------------------------------------------ baselines

    /** The five fields by regex, or null when the topic does not match. */
    private static Object[] regexFields(Pattern pattern, String topic) {
        Matcher m = pattern.matcher(topic);
        if (!m.matches()) {
            return null;
        }
        String id = m.group(5);
        return new Object[] {m.group(1), m.group(2), m.group(3), m.group(4), id == null ? -1 : Integer.parseInt(id)};
    }

    /**
     * The five fields by {@code String.split}, or null for a wildcard, an empty level, too few
     * levels or (for a reply) no {@code /status} or {@code /error} suffix.
     */
    private static Object[] splitFields(String topic, boolean reply) {
        String[] levels = topic.split("/");
        int last = levels.length - 1;
        if (reply) {
            if (!"status".equals(levels[last]) && !"error".equals(levels[last])) {
                return null;
            }
            last--;
        }
        if (last < 3 || !"kp1".equals(levels[0]) || topic.endsWith("/")) {
            return null;
        }
        for (int k = 1; k <= last; k++) {
            String level = levels[k];
            if (level.isEmpty() || level.indexOf('+') >= 0 || level.indexOf('#') >= 0) {
                return null;
            }
        }
        int id = -1;
        String lastLevel = levels[last];
        if (lastLevel.length() <= 10 && lastLevel.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // parseInt would throw past 2147483647; a 1/KP parser answers 400 instead
            id = Integer.parseInt(lastLevel);
            last--;
        }
        StringBuilder resource = new StringBuilder();
        for (int k = 4; k <= last; k++) {
            resource.append('/').append(levels[k]);
        }
        return new Object[] {levels[1], levels[2], levels[3], resource.toString(), id};
    }
}
