package io.kp1;

import io.kp1.InvalidTopicException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boundaries of the topic rules that the example tables do not reach: the code points where a
 * character's UTF-8 length changes (D4) and the shortest topics that lack a level (K1). Each case
 * is one a parser rewrite could get wrong by one; all go through the public API only.
 */
class TopicBoundariesTest {
    private static final int MAX = 65_535;
    private static final String PREFIX = "kp1/app/dcx/tok/r";

    /**
     * A request topic of exactly {@code utf8Bytes} UTF-8 bytes made mostly of {@code codePoint},
     * padded with ASCII, so that miscounting that code point by one byte moves the total.
     */
    private static String topicOf(int codePoint, int utf8Bytes) {
        String unit = new String(Character.toChars(codePoint));
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length;
        int n = (utf8Bytes - PREFIX.length()) / unitBytes;
        String topic = PREFIX + unit.repeat(n) + "x".repeat(utf8Bytes - PREFIX.length() - n * unitBytes);
        assertThat(topic.getBytes(StandardCharsets.UTF_8)).hasSize(utf8Bytes);
        return topic;
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF})
    void parseRequest_utf8LengthClassBoundary_acceptedAt65535Bytes_tooLongAt65536_D4(int codePoint) {
        String atLimit = topicOf(codePoint, MAX);
        assertThat(Topic.parseRequest(atLimit).name()).isSameAs(atLimit);

        String overLimit = topicOf(codePoint, MAX + 1);
        ParseResult r = TopicParser.defaults().tryParseRequest(overLimit);
        assertThat(r.isValid()).as("%s", r).isFalse();
        assertThat(r.error().reason()).isEqualTo(Reason.TOO_LONG);
        assertThat(r.error().getMessage()).contains("longer than 65535 UTF-8 bytes").endsWith("(D4)");
    }

    @ParameterizedTest(name = "U+{0}")
    @ValueSource(ints = {0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000})
    void buildAndParse_utf8LengthClassBoundary_agreeOnTheLimit_D4_D8(int codePoint) {
        String atLimit = topicOf(codePoint, MAX);
        String resource = atLimit.substring("kp1/app/dcx/tok/".length());
        Topic built = Topic.request(ResourcePath.of("app", "dcx", "tok", resource));
        assertThat(built).isEqualTo(Topic.parseRequest(atLimit));
    }

    @Test
    void parseRequest_requestIdRightAfterApplicationVersion_missingExtension_K1() {
        ParseResult r = TopicParser.defaults().tryParseRequest("kp1/app/42");
        assertThat(r.isValid()).isFalse();
        assertThat(r.error().reason()).isEqualTo(Reason.MISSING_EXTENSION);

        ParseResult reply = TopicParser.defaults().tryParseReply("kp1/app/42/status");
        assertThat(reply.isValid()).isFalse();
        assertThat(reply.error().reason()).isEqualTo(Reason.MISSING_EXTENSION);
    }
    @Test
    void message_emptyLevelBeforeToken_tokenStillRedacted_D16() {
        // Refused for its empty level (D3), and quoted in the message: the token must not show,
        // whether the quoting counts levels or non-empty levels.
        for (String topic : new String[] {"kp1/app//dcx/JTjdbENzHh/json", "kp1//app/dcx/JTjdbENzHh/json"}) {
            ParseResult r = TopicParser.defaults().tryParseRequest(topic);
            assertThat(r.isValid()).isFalse();
            assertThat(r.error().reason()).isEqualTo(Reason.EMPTY_LEVEL);
            assertThat(r.error().getMessage()).doesNotContain("JTjdbENzHh").contains("JT******Hh");
        }
    }
    @Test
    void scopeHash_pathWithoutResource_sameScopeSameHash_K4() {
        // The endpoint itself (no resource level) and one of its resources share the K4 scope.
        ResourcePath endpoint = ResourcePath.of("app", "dcx", "JTjdbENzHh", "");
        ResourcePath resource = ResourcePath.of("app", "dcx", "JTjdbENzHh", "/json");

        assertThat(endpoint.sameScope(resource)).isTrue();
        assertThat(endpoint.scopeHash()).isEqualTo(resource.scopeHash());
    }
}
