package io.kp1.bench;

import io.kp1.Topic;
import io.kp1.TopicParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing a request topic: this library against a regex parser and a {@code String.split}
 * parser that extract the same fields (app version, extension, token, resource, request ID).
 * The baselines check less than the library (no D3/D4 validation, no UTF-8 length).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopicParseBenchmark {
    /** A realistic mix: telemetry with and without IDs, metadata, config, commands. */
    private static final String[] TOPICS = {
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json/42",
        "kp1/smart_kettle_v1/dcx/JTjdbENzHh/json",
        "kp1/smart_kettle_v1/epmx/JTjdbENzHh/update/keys/1731",
        "kp1/smart_kettle_v1/cmx/JTjdbENzHh/config/json/7",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/result/reboot/123456",
        "kp1/smart_kettle_v1/epmx/JTjdbENzHh/get/keys/99",
        "kp1/smart_kettle_v1/dcx/A8mQ2vLx0p/json/2147483647",
        "kp1/smart_kettle_v1/cex/JTjdbENzHh/command/reboot/5",
    };
    private static final Pattern REGEX = Pattern.compile(
            "^kp1/([^/+#]+)/([^/+#]+)/([^/+#]+)((?:/[^/+#]+)*?)(?:/(\\d+))?$");

    private final TopicParser parser = TopicParser.defaults();
    private int i;

    private String next() {
        i = (i + 1) & 7;
        return TOPICS[i];
    }

    @Benchmark
    public Object kp1Parser() {
        Topic t = parser.parseRequest(next());
        return t;
    }

    /** Parse and read every field, which makes the library cut its substrings. */
    @Benchmark
    public Object kp1ParserAllFields() {
        Topic t = parser.parseRequest(next());
        return new Object[] {t.path().appVersion(), t.path().extension(), t.path().endpointToken(),
            t.path().resource(), t.requestId()};
    }

    @Benchmark
    public Object regexBaseline() {
        Matcher m = REGEX.matcher(next());
        if (!m.matches()) {
            throw new IllegalArgumentException();
        }
        String id = m.group(5);
        return new Object[] {m.group(1), m.group(2), m.group(3), m.group(4), id == null ? -1 : Integer.parseInt(id)};
    }

    @Benchmark
    public Object splitBaseline() {
        String[] levels = next().split("/");
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
}
