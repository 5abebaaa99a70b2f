package io.kp1;

import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resource limits of topics and error payloads (issue 7, "Bad input"): each test goes past a
 * limit and gets the documented error, and shows that what an over-limit input leaves behind
 * (the exception and its message) stays small whatever the input's size.
 *
 * <table>
 *   <caption>Limits checked here</caption>
 *   <tr><th>limit</th><th>default</th><th>error</th></tr>
 *   <tr><td>topic length</td><td>65,535 UTF-8 bytes</td><td>{@code TOO_LONG} (D4)</td></tr>
 *   <tr><td>levels (segments)</td><td>none of its own: D4 bounds it, one-character levels and their
 *       slashes fit at most 32,768 levels in 65,535 bytes</td>
 *       <td>{@code TOO_LONG} (D4)</td></tr>
 *   <tr><td>error payload size</td><td>{@link ErrorResponse#MAX_PAYLOAD_BYTES}</td><td>InvalidPayloadException (K7)</td></tr>
 *   <tr><td>error payload depth</td><td>{@link ErrorResponse#MAX_NESTING_DEPTH} (a backstop: the
 *       reader stops at the first nested value)</td><td>InvalidPayloadException (K7)</td></tr>
 *   <tr><td>reason phrase length</td><td>{@link ErrorResponse#MAX_REASON_LENGTH}</td><td>InvalidPayloadException (K7)</td></tr>
 * </table>
 */
class ResourceLimitsTest {
    private static final String PREFIX = "kp1/app/dcx/JTjdbENzHh/";

    // ---------------------------------------------------------------- topic length (D4)

    @Test
    void tryParseRequest_oneBytePastTopicLength_tooLongWithShortMessage_D4() {
        String topic = PREFIX + "a".repeat(65_536 - PREFIX.length());

        ParseResult r = TopicParser.defaults().tryParseRequest(topic);

        assertThat(r.isValid()).isFalse();
        assertThat(r.error().reason()).isEqualTo(InvalidTopicException.Reason.TOO_LONG);
        assertThat(r.error().getMessage()).endsWith("(D4)").hasSizeLessThan(500)
                .contains("...(65536 chars)").doesNotContain("JTjdbENzHh");
    }

    @Test
    void tryParseRequest_multiByteTopicPastLengthInBytesNotChars_tooLong_D4() {
        String topic = PREFIX + "\u00e9".repeat(32_757); // 65,537 bytes in 32,780 chars

        assertThat(TopicParser.defaults().tryParseRequest(topic).error().reason())
                .isEqualTo(InvalidTopicException.Reason.TOO_LONG);
    }

    @Test
    void tryParseRequest_100TopicsOf100TimesTheLimit_eachTooLong_messagesStayBounded_D4() {
        String huge = PREFIX + "x".repeat(100 * 65_535);
        for (int i = 0; i < 100; i++) {
            ParseResult r = TopicParser.defaults().tryParseRequest(huge + i);
            assertThat(r.error().reason()).isEqualTo(InvalidTopicException.Reason.TOO_LONG);
            assertThat(r.error().getMessage()).hasSizeLessThan(500);
            assertThat(r.error().getStackTrace()).isEmpty(); // wire input: no stack walk per bad topic
        }
    }

    @Test
    void getMessage_invalidTopicOfControlCharacters_escapedAndCutAt200Chars_bounded() {
        // Found by TopicFuzzTest#parseTopic: escaping makes a message longer than its quoted input
        // (each control character becomes six), but the quote stops at Redaction.MAX_QUOTED chars.
        String topic = "kp1/app/dcx/JTjdbENzHh/" + "\u0014".repeat(10_000) + "/+";

        String message = TopicParser.defaults().tryParseRequest(topic).error().getMessage();

        assertThat(message).contains("\\u0014").contains("...(" + topic.length() + " chars)")
                .doesNotContain("JTjdbENzHh").endsWith("(D4)");
        assertThat(message.length()).isBetween(200 * 6 - 30 * 6, 200 * 6 + 400);
    }

    @Test
    void build_resourcePathPastTopicLength_tooLong_D4() {
        ResourcePath.Builder b = ResourcePath.builder("app", "dcx").endpointToken("JTjdbENzHh");
        for (int i = 0; i < 6_554; i++) {
            b.addSegment("abcdefghi");
        }

        assertThatThrownBy(b::build).isInstanceOfSatisfying(InvalidTopicException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidTopicException.Reason.TOO_LONG))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(500).doesNotContain("JTjdbENzHh"));
    }

    // ---------------------------------------------------------------- level count (D4 bounds it)

    @Test
    void parseRequest_mostLevelsThatFit_acceptedInOnePass_D4() {
        int levels = (65_535 - PREFIX.length()) / 2;           // "x/" per level
        String topic = PREFIX + "x/".repeat(levels - 1) + "x"; // 65,534 bytes

        Topic t = Topic.parseRequest(topic);

        assertThat(t.path().resourceSegments()).hasSize(levels);
        assertThat(levels + 4).isLessThanOrEqualTo((65_535 + 1) / 2);
    }

    @Test
    void parseRequest_oneLevelPastWhatFits_tooLong_D4() {
        int levels = (65_535 - PREFIX.length()) / 2 + 1;
        String topic = PREFIX + "x/".repeat(levels - 1) + "x";

        assertThat(Topic.parseRequest(PREFIX + "x").hasRequestId()).isFalse();
        assertThatThrownBy(() -> Topic.parseRequest(topic))
                .isInstanceOfSatisfying(InvalidTopicException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidTopicException.Reason.TOO_LONG));
    }

    @Test
    void route_topicWithTheMostLevels_404WithBoundedReason() {
        Router router = Router.builder()
                .on("dcx", "/json", req -> CompletableFuture.completedFuture(Reply.ok()))
                .build();
        String topic = PREFIX + "x/".repeat(32_000) + "7";

        Outcome out = router.route(Request.fromMqtt(Topic.parseRequest(topic), new byte[0], 1))
                .toCompletableFuture().join();

        assertThat(out.httpStatus()).isEqualTo(404);
        assertThat(out.reply().error().reasonPhrase()).hasSizeLessThan(1_000).doesNotContain("JTjdbENzHh");
    }

    // ---------------------------------------------------------------- K7 error payloads

    @Test
    void fromJson_errorPayloadPastMaxBytes_refusedBeforeParsing_K7() {
        byte[] json = ("{\"statusCode\":400,\"reasonPhrase\":\"" + "a".repeat(ErrorResponse.MAX_PAYLOAD_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ErrorResponse.fromJson(json))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.rule()).isEqualTo("K7"))
                .hasMessageContaining("is over the limit of " + ErrorResponse.MAX_PAYLOAD_BYTES);
    }

    @Test
    void fromJson_nestingFarPastMaxDepth_refusedAtTheFirstNestedValueWithoutReadingIt_K7() {
        // The reader stops at the first value that is not a scalar, so nesting never reaches
        // MAX_NESTING_DEPTH, whose parser-level bound stays as a backstop.
        int depth = 100 * ErrorResponse.MAX_NESTING_DEPTH;
        byte[] json = ("{\"statusCode\":" + "[".repeat(depth) + "]".repeat(depth) + ",\"reasonPhrase\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ErrorResponse.fromJson(json))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> {
                    assertThat(e.rule()).isEqualTo("K7");
                    assertThat(e.field()).isEqualTo("/statusCode");
                })
                .hasMessageContaining("expected an integer");
    }

    @Test
    void fromJson_reasonPhrasePastMaxLength_refusedNamingTheField_K7() {
        byte[] json = ("{\"statusCode\":400,\"reasonPhrase\":\"" + "a".repeat(ErrorResponse.MAX_REASON_LENGTH + 1) + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> ErrorResponse.fromJson(json))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> {
                    assertThat(e.rule()).isEqualTo("K7");
                    assertThat(e.field()).isEqualTo("/reasonPhrase");
                })
                .hasMessageContaining(Integer.toString(ErrorResponse.MAX_REASON_LENGTH));
    }

    @Test
    void reasonPhraseAtMaxLength_allEscaped_writesWithinMaxBytesAndReadsBack_K7() {
        ErrorResponse e = ErrorResponse.of(500, "\u0001".repeat(ErrorResponse.MAX_REASON_LENGTH));

        byte[] json = e.toJson();

        assertThat(json.length).isLessThanOrEqualTo(ErrorResponse.MAX_PAYLOAD_BYTES);
        assertThat(ErrorResponse.fromJson(json)).isEqualTo(e);
    }
}
