package io.kp1;

import io.kp1.InvalidTopicException.Reason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Topic: factories, reply derivation and its limits (K4, K5, K6, D1, D2, D8). */
class TopicTest {
    private static final ResourcePath JSON = ResourcePath.of("app", "dcx", "tok", "/json");

    @Test
    void request_withoutId_fireAndForget_K6() {
        Topic t = Topic.request(JSON);

        assertThat(t.name()).isEqualTo("kp1/app/dcx/tok/json");
        assertThat(t.kind()).isEqualTo(Topic.Kind.REQUEST);
        assertThat(t.hasRequestId()).isFalse();
        assertThat(t.requestId()).isEqualTo(Topic.NO_REQUEST_ID);
        assertThat(t.isReply()).isFalse();
        assertThat(t.path()).isSameAs(JSON);
        // K6: no success reply is expected, but an error reply may come on <topic>/error.
        assertThat(t.errorTopic().name()).isEqualTo("kp1/app/dcx/tok/json/error");
    }

    @Test
    void request_withId_appendsCanonicalId_K4() {
        Topic t = Topic.request(JSON, 42);

        assertThat(t.name()).isEqualTo("kp1/app/dcx/tok/json/42");
        assertThat(t.requestId()).isEqualTo(42);
        assertThat(t.hasRequestId()).isTrue();
    }

    @Test
    void request_digitsOnlyLastLevel_ambiguousLastLevel_D8() {
        ResourcePath protobuf = ResourcePath.of("app", "dcx", "tok", "/protobuf/17");

        assertThatThrownBy(() -> Topic.request(protobuf))
                .isExactlyInstanceOf(InvalidTopicException.class)
                .satisfies(e -> assertThat(((InvalidTopicException) e).reason()).isEqualTo(Reason.AMBIGUOUS_LAST_LEVEL));
        assertThat(Topic.request(protobuf, 1).name()).isEqualTo("kp1/app/dcx/tok/protobuf/17/1");
    }

    @Test
    void request_idBelowOne_invalidRequestId_D1() {
        for (int id : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> Topic.request(JSON, id))
                    .isExactlyInstanceOf(InvalidTopicException.class)
                    .satisfies(e -> assertThat(((InvalidTopicException) e).reason())
                            .isEqualTo(Reason.INVALID_REQUEST_ID));
        }
    }

    @Test
    void request_nullPath_throwsNullPointer() {
        assertThatThrownBy(() -> Topic.request(null)).isExactlyInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Topic.request(null, 1)).isExactlyInstanceOf(NullPointerException.class);
    }

    @Test
    void statusAndErrorTopic_ofRequest_appendSuffix_K5() {
        Topic request = Topic.request(JSON, 42);

        Topic status = request.statusTopic();
        Topic error = request.errorTopic();

        assertThat(status.name()).isEqualTo("kp1/app/dcx/tok/json/42" + Topic.STATUS_SUFFIX);
        assertThat(error.name()).isEqualTo("kp1/app/dcx/tok/json/42" + Topic.ERROR_SUFFIX);
        assertThat(status.kind()).isEqualTo(Topic.Kind.STATUS);
        assertThat(error.kind()).isEqualTo(Topic.Kind.ERROR);
        assertThat(status.isReply()).isTrue();
        assertThat(status.path()).isEqualTo(JSON);
        assertThat(error.requestId()).isEqualTo(42);
    }

    @Test
    void statusTopic_ofReply_throwsIllegalState_K5() {
        Topic status = Topic.request(JSON, 42).statusTopic();
        Topic error = Topic.parseReply("kp1/app/dcx/tok/json/error");

        assertThatThrownBy(status::statusTopic).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Only a request topic has reply topics (K5); this is a STATUS topic:"
                        + " kp1/app/dcx/***/json/42/status");
        assertThatThrownBy(status::errorTopic).isExactlyInstanceOf(IllegalStateException.class);
        assertThatThrownBy(error::statusTopic).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Only a request topic has reply topics (K5); this is a ERROR topic:"
                        + " kp1/app/dcx/***/json/error");
        assertThatThrownBy(error::errorTopic).isExactlyInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestTopic_ofReply_isTheRequest_K5() {
        Topic request = Topic.request(JSON, 42);

        assertThat(request.statusTopic().requestTopic()).isEqualTo(request);
        assertThat(request.errorTopic().requestTopic()).isEqualTo(request);
        assertThat(Topic.parseReply("kp1/app/dcx/tok/json/42/error").requestTopic()).isEqualTo(request);
        assertThat(request.requestTopic()).isSameAs(request);
        assertThat(Topic.request(JSON).statusTopic().requestTopic()).isEqualTo(Topic.request(JSON));
    }

    @Test
    void equals_sameNameDifferentKind_notEqual() {
        Topic request = Topic.parseRequest("kp1/app/dcx/tok/json/42/status");
        Topic reply = Topic.parseReply("kp1/app/dcx/tok/json/42/status");

        assertThat(request.name()).isEqualTo(reply.name());
        assertThat(request).isNotEqualTo(reply);
        assertThat(Topic.parseRequest("kp1/app/dcx/tok/json/42")).isEqualTo(Topic.request(JSON, 42))
                .hasSameHashCodeAs(Topic.request(JSON, 42));
        assertThat(Topic.request(JSON, 42)).isNotEqualTo("kp1/app/dcx/tok/json/42");
    }

    @Test
    void hashCode_otherIdOrResource_differs() {
        assertThat(Topic.request(JSON, 42).hashCode())
                .isNotEqualTo(Topic.request(JSON, 43).hashCode())
                .isNotEqualTo(Topic.parseRequest("kp1/app/dcx/tok/protobuf/42").hashCode());
    }

    @Test
    void fillInStackTrace_wireError_returnsItselfAndStaysWithoutStack() {
        InvalidTopicException e = TopicParser.defaults().tryParseRequest("kp1/app/dcx/tok/json/+").error();

        assertThat(e.fillInStackTrace()).isSameAs(e);
        assertThat(e.getStackTrace()).isEmpty();
    }

    @Test
    void parse_nullTopic_throwsNullPointer() {
        assertThatThrownBy(() -> Topic.parseRequest(null)).isExactlyInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TopicParser.defaults().tryParseReply(null))
                .isExactlyInstanceOf(NullPointerException.class);
    }

    @Test
    void parseResult_invalid_topicThrowsAndOrElseThrowCarriesStack() {
        ParseResult r = TopicParser.defaults().tryParseRequest("kp1/app/dcx/tok/json/0");

        assertThat(r.isValid()).isFalse();
        assertThatThrownBy(r::topic).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Not a valid topic: Invalid 1/KP topic \"kp1/app/dcx/***/json/0\": invalid request ID"
                        + " at index 21, must be 1..2147483647 (D1)");
        InvalidTopicException thrown = (InvalidTopicException) catchThrowable(r::orElseThrow);
        assertThat(thrown.getStackTrace()).isNotEmpty();
        assertThat(thrown.getMessage()).isEqualTo(r.error().getMessage());
        assertThat(r.error().getStackTrace()).isEmpty();
    }

    @Test
    void parseResult_valid_givesTheTopic() {
        ParseResult r = TopicParser.defaults().tryParseReply("kp1/app/dcx/tok/json/42/status");

        assertThat(r.isValid()).isTrue();
        assertThat(r.error()).isNull();
        assertThat(r.topic()).isEqualTo(Topic.request(JSON, 42).statusTopic());
        assertThat(r.orElseThrow()).isSameAs(r.topic());
    }
}
