package io.kp1;

import io.kp1.InvalidTopicException.Reason;
import io.kp1.testkit.Kp1Arbitraries;
import io.kp1.testkit.Kp1Arbitraries.InvalidTopic;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The topic rules as properties over {@link Kp1Arbitraries}: round trips (D8), reply-topic
 * derivation (K5, D2), the reason of every invalid topic (D1, D3, D4, D5, D7, K1, K5), and wire
 * parsing that never throws.
 */
class TopicProperties {
    private static final Set<Reason> REQUEST_REASONS = EnumSet.of(Reason.EMPTY_LEVEL, Reason.WILDCARD,
            Reason.NUL_CHARACTER, Reason.MALFORMED_UNICODE, Reason.TOO_LONG, Reason.NOT_KP1,
            Reason.UNSUPPORTED_VERSION, Reason.MISSING_APPLICATION_VERSION, Reason.MISSING_EXTENSION,
            Reason.MISSING_ENDPOINT_TOKEN, Reason.INVALID_REQUEST_ID);
    private static final Set<Reason> REPLY_REASONS = union(REQUEST_REASONS, Reason.NOT_A_REPLY);

    private final TopicParser parser = Kp1Arbitraries.parser();

    // ------------------------------------------------------------ D8: build, then parse

    @Property
    void parseRequest_ofBuiltRequest_isIdentity_D8(@ForAll("requests") Topic built) {
        Topic parsed = Topic.parseRequest(built.name());

        assertThat(parsed).isEqualTo(built);
        assertThat(parsed.path()).isEqualTo(built.path());
        assertThat(parsed.path().appVersion()).isEqualTo(built.path().appVersion());
        assertThat(parsed.path().extension()).isEqualTo(built.path().extension());
        assertThat(parsed.path().endpointToken()).isEqualTo(built.path().endpointToken());
        assertThat(parsed.path().resource()).isEqualTo(built.path().resource());
        assertThat(parsed.path().resourceSegments()).isEqualTo(built.path().resourceSegments());
        assertThat(parsed.requestId()).isEqualTo(built.requestId());
        assertThat(parsed.kind()).isEqualTo(Topic.Kind.REQUEST);
    }

    @Property
    void parseReply_ofBuiltReplyOrPush_isIdentity_D8(@ForAll("replies") Topic built) {
        Topic parsed = Topic.parseReply(built.name());

        assertThat(parsed).isEqualTo(built);
        assertThat(parsed.kind()).isEqualTo(built.kind());
        assertThat(parsed.requestId()).isEqualTo(built.requestId());
        assertThat(parsed.requestTopic()).isEqualTo(built.requestTopic());
    }

    @Property
    void parse_ofBuiltEndpointUnawareTopic_isIdentity_D7_D8(@ForAll("unawarePaths") ResourcePath path,
                                                           @ForAll("ids") int id) {
        Topic withId = Topic.request(path, id);

        assertThat(parser.parseRequest(withId.name())).isEqualTo(withId);
        assertThat(parser.parseReply(withId.statusTopic().name())).isEqualTo(withId.statusTopic());
        assertThat(parser.parseReply(withId.errorTopic().name()).path().hasEndpointToken()).isFalse();
        if (!path.endsWithDigitsLevel()) {
            assertThat(parser.parseRequest(Topic.request(path).name())).isEqualTo(Topic.request(path));
        }
    }

    @Property
    void resourcePath_rebuiltFromItsParts_isIdentity_D8(@ForAll("paths") ResourcePath path) {
        ResourcePath fromParts = ResourcePath.of(path.appVersion(), path.extension(), path.endpointToken(),
                path.resource());
        ResourcePath.Builder segmentBuilder = ResourcePath.builder(path.appVersion(), path.extension())
                .endpointToken(path.endpointToken());
        path.resourceSegments().forEach(segmentBuilder::addSegment);

        assertThat(fromParts).isEqualTo(path);
        assertThat(fromParts.asString()).isEqualTo(path.asString());
        assertThat(segmentBuilder.build()).isEqualTo(path);
        assertThat(path.newBuilder().build()).isEqualTo(path);
        assertThat(ResourcePath.of(path.appVersion(), path.extension(), path.endpointToken(),
                path.resource().isEmpty() ? "" : path.resource().substring(1))).isEqualTo(path);
    }

    // ------------------------------------------------------------ parse, then format

    @Property
    void format_ofParsedCanonicalRequest_isIdentity(@ForAll("canonicalRequestNames") String name) {
        Topic parsed = Topic.parseRequest(name);
        ResourcePath p = parsed.path();
        ResourcePath rebuilt = ResourcePath.of(p.appVersion(), p.extension(), p.endpointToken(), p.resource());
        Topic formatted = parsed.hasRequestId() ? Topic.request(rebuilt, parsed.requestId()) : Topic.request(rebuilt);

        assertThat(formatted.name()).isEqualTo(name);
        assertThat(parsed.name()).isEqualTo(name);
    }

    @Property
    void format_ofParsedCanonicalReply_isIdentity(@ForAll("replies") Topic reply) {
        Topic parsed = Topic.parseReply(reply.name());
        Topic request = parsed.hasRequestId() ? Topic.request(parsed.path(), parsed.requestId())
                : Topic.request(parsed.path());
        Topic formatted = parsed.kind() == Topic.Kind.STATUS ? request.statusTopic() : request.errorTopic();

        assertThat(formatted.name()).isEqualTo(reply.name());
    }

    // ------------------------------------------------------------ K5, D2: reply topics

    @Property
    void statusAndErrorTopic_appendOneSuffixToRawText_D2(@ForAll("requestNames") String name) {
        Topic request = Topic.parseRequest(name);

        Topic status = request.statusTopic();
        Topic error = request.errorTopic();

        assertThat(status.name()).isEqualTo(name + "/status");
        assertThat(error.name()).isEqualTo(name + "/error");
        assertThat(status.kind()).isEqualTo(Topic.Kind.STATUS);
        assertThat(error.kind()).isEqualTo(Topic.Kind.ERROR);
        assertThat(status.path()).isEqualTo(request.path());
        assertThat(status.requestId()).isEqualTo(request.requestId());
        assertThat(status.requestTopic()).isEqualTo(request);
        assertThat(error.requestTopic().name()).isEqualTo(name);
        // What the server publishes, the client parses back to the same request (K5, D6).
        assertThat(Topic.parseReply(status.name())).isEqualTo(status);
        assertThat(Topic.parseReply(error.name()).requestTopic()).isEqualTo(request);
    }

    // ------------------------------------------------------------ invalid topics

    @Property
    @Tag("generator-coverage") // keeps its tries under PIT: the coverage check needs them
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void parseRequest_invalidTopic_failsWithItsReason(@ForAll("invalidRequests") InvalidTopic bad) {
        assertFailsWithReason(bad, TopicParser.defaults(), false);
        assertFailsWithReason(bad, parser, false);
        Statistics.label("reason").collect(bad.reason());
        // The kit must break every rule a request parse checks, or this property proves less than it says.
        Statistics.label("reason").coverage(c -> REQUEST_REASONS.forEach(r -> c.check(r).count(n -> n > 0)));
    }

    @Property
    @Tag("generator-coverage") // keeps its tries under PIT: the coverage check needs them
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF)
    void parseReply_invalidTopic_failsWithItsReason(@ForAll("invalidReplies") InvalidTopic bad) {
        assertFailsWithReason(bad, TopicParser.defaults(), true);
        assertFailsWithReason(bad, parser, true);
        Statistics.label("reason").collect(bad.reason());
        Statistics.label("reason").coverage(c -> REPLY_REASONS.forEach(r -> c.check(r).count(n -> n > 0)));
    }

    private static void assertFailsWithReason(InvalidTopic bad, TopicParser parser, boolean reply) {
        ParseResult result = reply ? parser.tryParseReply(bad.topic()) : parser.tryParseRequest(bad.topic());
        assertThat(result.isValid()).as("valid: %s", result).isFalse();
        InvalidTopicException wire = result.error();
        assertThat(wire.reason()).as(wire.getMessage()).isEqualTo(bad.reason());
        assertThat(wire.rule()).isEqualTo(bad.reason().rule());
        assertThat(wire.input()).isSameAs(bad.topic());
        assertThat(wire.getMessage()).startsWith("Invalid 1/KP topic \"")
                .endsWith("(" + bad.reason().rule() + ")");
        assertThat(wire.index()).isBetween(-1, bad.topic().length());

        Throwable thrown = catchThrowable(() -> {
            if (reply) {
                parser.parseReply(bad.topic());
            } else {
                parser.parseRequest(bad.topic());
            }
        });
        assertThat(thrown).isExactlyInstanceOf(InvalidTopicException.class);
        InvalidTopicException e = (InvalidTopicException) thrown;
        assertThat(e.reason()).isEqualTo(bad.reason());
        assertThat(e.index()).isEqualTo(wire.index());
        assertThat(e.getMessage()).isEqualTo(wire.getMessage());
    }

    // ------------------------------------------------------------ wire input never throws

    @Property(tries = 2000)
    void tryParse_anyString_neverThrows(@ForAll("anyStrings") String s) {
        for (TopicParser p : new TopicParser[] {TopicParser.defaults(), parser,
                TopicParser.builder().acceptRequestIdZero(true).build()}) {
            assertConsistent(s, p.tryParseRequest(s), false, p);
            assertConsistent(s, p.tryParseReply(s), true, p);
        }
    }

    @Property
    void tryParse_jqwikDefaultStrings_neverThrows(@ForAll String s) {
        assertConsistent(s, TopicParser.defaults().tryParseRequest(s), false, TopicParser.defaults());
        assertConsistent(s, TopicParser.defaults().tryParseReply(s), true, TopicParser.defaults());
        String prefixed = "kp1/" + s;
        assertConsistent(prefixed, TopicParser.defaults().tryParseRequest(prefixed), false, TopicParser.defaults());
        assertConsistent(prefixed, TopicParser.defaults().tryParseReply(prefixed), true, TopicParser.defaults());
    }

    private static void assertConsistent(String s, ParseResult r, boolean reply, TopicParser p) {
        assertThat(r.toString()).isNotNull();
        if (r.isValid()) {
            assertThat(r.error()).isNull();
            assertThat(r.topic().name()).isSameAs(s);
            assertThat(r.topic().isReply()).isEqualTo(reply);
            assertThat(r.orElseThrow()).isSameAs(r.topic());
            assertThat(r.topic().toString()).isNotNull();
        } else {
            InvalidTopicException e = r.error();
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).startsWith("Invalid 1/KP topic");
            assertThat(e.getStackTrace()).isEmpty();
            assertThatThrownBy(r::topic).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(r::orElseThrow).isExactlyInstanceOf(InvalidTopicException.class);
            assertThatThrownBy(() -> {
                if (reply) {
                    p.parseReply(s);
                } else {
                    p.parseRequest(s);
                }
            }).isExactlyInstanceOf(InvalidTopicException.class);
        }
    }

    private static Set<Reason> union(Set<Reason> reasons, Reason more) {
        EnumSet<Reason> all = EnumSet.copyOf(reasons);
        all.add(more);
        return all;
    }

    // ------------------------------------------------------------ arbitraries

    @Provide
    Arbitrary<Topic> requests() {
        return Arbitraries.oneOf(Kp1Arbitraries.requestTopics(),
                Kp1Arbitraries.requestTopics(Kp1Arbitraries.extensionResourcePaths()));
    }

    @Provide
    Arbitrary<Topic> replies() {
        return Arbitraries.oneOf(Kp1Arbitraries.replyTopics(), Kp1Arbitraries.pushes(),
                Kp1Arbitraries.pushes(Kp1Arbitraries.extensionResourcePaths()));
    }

    @Provide
    Arbitrary<ResourcePath> paths() {
        return Arbitraries.oneOf(Kp1Arbitraries.resourcePaths(), Kp1Arbitraries.endpointUnawarePaths());
    }

    @Provide
    Arbitrary<ResourcePath> unawarePaths() {
        return Kp1Arbitraries.endpointUnawarePaths();
    }

    @Provide
    Arbitrary<Integer> ids() {
        return Kp1Arbitraries.requestIds();
    }

    @Provide
    Arbitrary<String> canonicalRequestNames() {
        return requests().map(Topic::name);
    }

    @Provide
    Arbitrary<String> requestNames() {
        return Kp1Arbitraries.requestTopicNames();
    }

    @Provide
    Arbitrary<InvalidTopic> invalidRequests() {
        return Kp1Arbitraries.invalidRequestTopics();
    }

    @Provide
    Arbitrary<InvalidTopic> invalidReplies() {
        return Kp1Arbitraries.invalidReplyTopics();
    }

    @Provide
    Arbitrary<String> anyStrings() {
        return Kp1Arbitraries.anyStrings();
    }
}
