package io.kp1;

import io.kp1.testkit.Kp1Arbitraries;
import io.kp1.testkit.Kp1Arbitraries.InvalidTopic;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * D16: an endpoint token of eight characters or more never appears whole in {@code toString()}
 * of ResourcePath, Topic, ParseResult or Reply, nor in any InvalidTopicException message,
 * whatever else is wrong with the topic.
 */
class TokenRedactionProperties {

    @Property
    void toString_ofValidValues_neverShowsToken_D16(@ForAll("tokenAndRequest") Tuple2<String, Topic> tokenAndRequest) {
        String token = tokenAndRequest.get1();
        Topic request = tokenAndRequest.get2();
        assumeTokenOnlyInItsLevel(token, request.name());

        List<String> shown = new ArrayList<>();
        shown.add(request.path().toString());
        shown.add(request.toString());
        shown.add(request.statusTopic().toString());
        shown.add(request.errorTopic().toString());
        shown.add(TopicParser.defaults().tryParseRequest(request.name()).toString());
        shown.add(TopicParser.defaults().tryParseReply(request.statusTopic().name()).toString());
        shown.add(Reply.received(request.statusTopic(), new byte[0]).toString());
        shown.add(Reply.received(request.errorTopic(), ErrorResponse.of(404, "Unknown").toJson()).toString());
        shown.add(Reply.ok("x").withTopic(request.errorTopic()).toString());
        shown.add(catchThrowable(() -> request.statusTopic().statusTopic()).getMessage());
        shown.add(catchThrowable(() -> Reply.received(request, new byte[0])).getMessage());

        assertThat(shown).allSatisfy(s -> assertThat(s).doesNotContain(token));
        assertThat(request.name()).contains(token);
    }

    @Property
    void message_ofInvalidRequestTopic_neverShowsToken_D16(
            @ForAll("tokenAndInvalidRequest") Tuple2<String, InvalidTopic> tokenAndInvalid) {
        String token = tokenAndInvalid.get1();
        String topic = tokenAndInvalid.get2().topic();
        assumeTokenOnlyInItsLevel(token, topic);

        assertNoTokenInMessages(token, topic);
    }

    @Property
    void message_ofInvalidReplyTopic_neverShowsToken_D16(
            @ForAll("tokenAndInvalidReply") Tuple2<String, InvalidTopic> tokenAndInvalid) {
        String token = tokenAndInvalid.get1();
        String topic = tokenAndInvalid.get2().topic();
        assumeTokenOnlyInItsLevel(token, topic);

        assertNoTokenInMessages(token, topic);
    }

    @Property
    void message_ofInvalidTokenOrAmbiguousPath_neverShowsToken_D16(@ForAll("tokens") String token,
                                                                   @ForAll("breakers") String breaker) {
        Throwable badToken = catchThrowable(() -> ResourcePath.of("app", "dcx", token + breaker, "/json"));
        Throwable badTokenBuilder = catchThrowable(
                () -> ResourcePath.builder("app", "dcx").endpointToken(breaker + token));
        Throwable ambiguous = catchThrowable(() -> Topic.request(ResourcePath.of("app", "dcx", token, "/17")));
        Throwable tooLong = catchThrowable(() -> ResourcePath.of("app", "dcx", token, "x".repeat(65_536)));

        assertThat(List.of(badToken, badTokenBuilder, ambiguous, tooLong)).allSatisfy(e -> {
            assertThat(e).isExactlyInstanceOf(InvalidTopicException.class);
            assertThat(e.getMessage()).doesNotContain(token);
            assertThat(e.toString()).doesNotContain(token);
        });
    }

    private static void assertNoTokenInMessages(String token, String topic) {
        for (TopicParser parser : new TopicParser[] {TopicParser.defaults(), Kp1Arbitraries.parser()}) {
            for (ParseResult r : new ParseResult[] {parser.tryParseRequest(topic), parser.tryParseReply(topic)}) {
                assertThat(r.toString()).doesNotContain(token);
                if (!r.isValid()) {
                    assertThat(r.error().getMessage()).doesNotContain(token);
                    assertThat(catchThrowable(r::topic).getMessage()).doesNotContain(token);
                } else {
                    assertThat(r.topic().toString()).doesNotContain(token);
                }
            }
        }
    }

    /**
     * The property is about the token level: skip the rare case where a random level elsewhere in
     * the topic happens to contain the token too.
     */
    private static void assumeTokenOnlyInItsLevel(String token, String topic) {
        int first = topic.indexOf(token);
        Assume.that(first < 0 || topic.indexOf(token, first + 1) < 0);
    }

    @Provide
    Arbitrary<String> tokens() {
        return Kp1Arbitraries.endpointTokens();
    }

    @Provide
    Arbitrary<String> breakers() {
        return Arbitraries.of("+", "#", "/", "\u0000", "\uD800");
    }

    @Provide
    Arbitrary<Tuple2<String, Topic>> tokenAndRequest() {
        Arbitrary<Topic> requests = Kp1Arbitraries.requestTopics(Arbitraries.oneOf(Kp1Arbitraries.resourcePaths(),
                Kp1Arbitraries.extensionResourcePaths()));
        return Combinators.combine(tokens(), requests).as((token, t) -> Tuple.of(token, withToken(t, token)));
    }

    @Provide
    Arbitrary<Tuple2<String, InvalidTopic>> tokenAndInvalidRequest() {
        // Broken around a placeholder token that is then replaced: cheaper than flatMap per token.
        Arbitrary<InvalidTopic> invalid = Kp1Arbitraries.invalidRequestTopics(
                Kp1Arbitraries.requestTopics(Kp1Arbitraries.resourcePaths(Arbitraries.just(PLACEHOLDER))));
        return Combinators.combine(tokens(), invalid).as(TokenRedactionProperties::withToken);
    }

    @Provide
    Arbitrary<Tuple2<String, InvalidTopic>> tokenAndInvalidReply() {
        Arbitrary<InvalidTopic> invalid = Kp1Arbitraries.invalidReplyTopics(
                Kp1Arbitraries.resourcePaths(Arbitraries.just(PLACEHOLDER)));
        return Combinators.combine(tokens(), invalid).as(TokenRedactionProperties::withToken);
    }

    private static final String PLACEHOLDER = "PLACEHOLDERtoken";

    private static Tuple2<String, InvalidTopic> withToken(String token, InvalidTopic bad) {
        // The reason may no longer hold (a TOO_LONG topic may shrink under the limit); these properties
        // only look at what is shown.
        return Tuple.of(token, new InvalidTopic(bad.topic().replace(PLACEHOLDER, token), bad.reason()));
    }

    private static Topic withToken(Topic t, String token) {
        ResourcePath p = t.path().newBuilder().endpointToken(token).build();
        return t.hasRequestId() || p.endsWithDigitsLevel() ? Topic.request(p, Math.max(1, t.requestId()))
                : Topic.request(p);
    }
}
