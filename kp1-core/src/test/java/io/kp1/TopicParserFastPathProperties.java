package io.kp1;

import io.kp1.testkit.Kp1Arbitraries;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parser's fast path (one pass, no UTF-8 count, bails out on anything suspicious) against its
 * checking path (every rule in input order): same topic, same levels, or the same error with the
 * same reason, index and message (D1, D3, D4, D5, D7, K1, K5). Also the view a parsed path is
 * over its topic name: equality, hash and text are those of the canonical text.
 */
class TopicParserFastPathProperties {
    private static final TopicParser[] PARSERS = {TopicParser.defaults(), Kp1Arbitraries.parser(),
        TopicParser.builder().acceptRequestIdZero(true).endpointUnaware("registry").build()};

    @Property(tries = 3000)
    void parse_fastPath_agreesWithCheckingPath(@ForAll("topicLike") String s) {
        for (TopicParser p : PARSERS) {
            assertSame(p.tryParseRequest(s), p.parseChecked(s, false));
            assertSame(p.tryParseReply(s), p.parseChecked(s, true));
        }
    }

    private static void assertSame(ParseResult fast, Object checked) {
        if (checked instanceof Topic) {
            assertThat(fast.isValid()).as("fast path valid for %s", checked).isTrue();
            Topic a = fast.topic();
            Topic b = (Topic) checked;
            assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
            assertThat(a.kind()).isEqualTo(b.kind());
            assertThat(a.requestId()).isEqualTo(b.requestId());
            assertThat(a.toString()).isEqualTo(b.toString());
            ResourcePath pa = a.path();
            ResourcePath pb = b.path();
            assertThat(pa.asString()).isEqualTo(pb.asString());
            assertThat(pa.hashCode()).isEqualTo(pb.asString().hashCode());
            assertThat(pa.appVersion()).isEqualTo(pb.appVersion());
            assertThat(pa.extension()).isEqualTo(pb.extension());
            assertThat(pa.endpointToken()).isEqualTo(pb.endpointToken());
            assertThat(pa.resource()).isEqualTo(pb.resource());
            assertThat(pa.resourceSegments()).isEqualTo(pb.resourceSegments());
            assertThat(pa.endsWithDigitsLevel()).isEqualTo(pb.endsWithDigitsLevel());
        } else {
            InvalidTopicException e = (InvalidTopicException) checked;
            assertThat(fast.isValid()).as("fast path invalid for %s", e.getMessage()).isFalse();
            assertThat(fast.error().reason()).isEqualTo(e.reason());
            assertThat(fast.error().index()).isEqualTo(e.index());
            assertThat(fast.error().getMessage()).isEqualTo(e.getMessage());
        }
    }

    /** Topic-like strings: kp1 and other first levels, short levels of mixed characters. */
    @Provide
    Arbitrary<String> topicLike() {
        Arbitrary<String> level = Arbitraries.oneOf(
                Arbitraries.strings().withChars("az09_-.").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(12),
                Arbitraries.of("", "status", "error", "json", "registry", "0", "042", "2147483647",
                        "2147483648", "+", "#", "\u0000", "é", "€", "\uD83D\uDE00", "\uD83D", "\uDE00x",
                        "a b", "kp2"));
        Arbitrary<String> first = Arbitraries.of("kp1", "kp1", "kp1", "kp2", "", "mqtt");
        return Arbitraries.oneOf(
                level.list().ofMinSize(0).ofMaxSize(8).map(l -> String.join("/", l)),
                level.list().ofMinSize(0).ofMaxSize(8).map(l -> l.isEmpty() ? "" : "/" + String.join("/", l))
                        .flatMap(rest -> first.map(f -> f + rest)),
                level.list().ofMinSize(0).ofMaxSize(8).map(l -> "kp1/" + String.join("/", l) + "/"));
    }

    @Test
    void textEquals_parsedReplyPathAndBuiltPath_equalWithoutCutting() {
        ResourcePath built = ResourcePath.of("app", "dcx", "tok", "/json");
        ResourcePath parsed = Topic.parseReply("kp1/app/dcx/tok/json/42/status").path();

        assertThat(parsed.textEquals(built)).isTrue();
        assertThat(built.textEquals(parsed)).isTrue();
        assertThat(parsed).isEqualTo(built).hasSameHashCodeAs(built);
        assertThat(parsed.textEquals(ResourcePath.of("app", "dcx", "tok", "/jso"))).isFalse();
        assertThat(parsed.textEquals(ResourcePath.of("app", "dcx", "tok", "/json/4"))).isFalse();
    }

    @Test
    void textEquals_sameTextReadAsUnaware_trueButNotEqual_D7() {
        ResourcePath aware = Topic.parseRequest("kp1/app/registry/tok/7").path();
        ResourcePath unaware = TopicParser.builder().endpointUnaware("registry").build()
                .parseRequest("kp1/app/registry/tok/7").path();

        assertThat(aware.textEquals(unaware)).isTrue();
        assertThat(aware).isNotEqualTo(unaware);
    }

    @Test
    void parsedPath_withRequestId_isPrefixOfTopicName_K4() {
        Topic t = Topic.parseRequest("kp1/app/cex/tok/command/reboot/5");

        assertThat(t.path().asString()).isEqualTo("kp1/app/cex/tok/command/reboot");
        assertThat(t.path().resource()).isEqualTo("/command/reboot");
        assertThat(t.path().resourceSegments()).containsExactly("command", "reboot");
        assertThat(t.path().toString()).isEqualTo("kp1/app/cex/***/command/reboot");
        assertThat(t.toString()).isEqualTo("kp1/app/cex/***/command/reboot/5");
        assertThat(Topic.request(t.path(), 6).name()).isEqualTo("kp1/app/cex/tok/command/reboot/6");
    }
}
