package io.kp1;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reply: building replies and reading them as received on /status and /error (K5, K7). */
class ReplyTest {
    private static final Topic REQUEST = Topic.parseRequest("kp1/app/epmx/JTjdbENzHh/get/keys/42");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void received_status_successWithPayloadAsIs_K5() {
        byte[] payload = utf8("[\"name\",\"location\"]");

        Reply r = Reply.received(REQUEST.statusTopic(), payload);

        assertThat(r.isSuccess()).isTrue();
        assertThat(r.error()).isNull();
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.payloadBytes()).isSameAs(payload);
        assertThat(r.payloadAsString()).isEqualTo("[\"name\",\"location\"]");
        assertThat(r.topic()).contains(REQUEST.statusTopic());
    }

    @Test
    void received_statusEmptyPayload_emptySuccess_K5() {
        Reply r = Reply.received(Topic.parseReply("kp1/app/dcx/tok/json/7/status"), new byte[0]);

        assertThat(r.isSuccess()).isTrue();
        assertThat(r.payload().remaining()).isZero();
    }

    @Test
    void received_statusPush_withoutRequestId_K11() {
        Topic push = Topic.parseReply("kp1/app/cex/tok/command/reboot/status");

        Reply r = Reply.received(push, utf8("[{\"id\":1}]"));

        assertThat(r.isSuccess()).isTrue();
        assertThat(r.topic().orElseThrow().hasRequestId()).isFalse();
    }

    @Test
    void received_errorWithValidK7_decodesError_K7() {
        byte[] payload = utf8("{\"statusCode\":404,\"reasonPhrase\":\"Unknown key\"}");

        Reply r = Reply.received(REQUEST.errorTopic(), payload);

        assertThat(r.isSuccess()).isFalse();
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.error()).isEqualTo(ErrorResponse.of(404, "Unknown key"));
        assertThat(r.payloadBytes()).isSameAs(payload);
        assertThat(r.topic()).contains(REQUEST.errorTopic());
    }

    @Test
    void received_errorWithMalformedK7_502KeepingRawPayload_K7() {
        byte[] payload = utf8("{\"statusCode\":\"404\",\"reasonPhrase\":\"Unknown key\"}");

        Reply r = Reply.received(REQUEST.errorTopic(), payload);

        assertThat(r.isSuccess()).isFalse();
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.error().reasonPhrase()).isEqualTo("Malformed error payload: Invalid error response at /statusCode:"
                + " expected an integer, got a string (K7)");
        assertThat(r.payloadBytes()).isSameAs(payload);
    }

    @Test
    void received_errorNotJsonOrEmptyOrUtf16_502_K7() {
        for (byte[] payload : new byte[][] {utf8("Not Found"), new byte[0], utf8("{}"),
                "{\"statusCode\":404,\"reasonPhrase\":\"x\"}".getBytes(StandardCharsets.UTF_16LE)}) {
            Reply r = Reply.received(REQUEST.errorTopic(), payload);

            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.error().reasonPhrase()).startsWith("Malformed error payload: Invalid error response");
        }
    }

    @Test
    void received_errorWithHugePropertyName_502ReasonWithinLimit_K7() {
        // The 502 reason quotes the property; it must still be an ErrorResponse the codec accepts.
        String name = "n".repeat(ErrorResponse.MAX_REASON_LENGTH);
        byte[] payload = utf8("{\"" + name + "\":1}");

        Reply r = Reply.received(REQUEST.errorTopic(), payload);

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.error().reasonPhrase()).hasSize(ErrorResponse.MAX_REASON_LENGTH).endsWith("...");
        assertThat(ErrorResponse.fromJson(r.error().toJson())).isEqualTo(r.error());
    }

    @Test
    void received_onRequestTopic_throwsIllegalArgument_K5() {
        assertThatThrownBy(() -> Reply.received(REQUEST, new byte[0]))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Not a reply topic (K5): kp1/app/epmx/JT******Hh/get/keys/42");
    }

    @Test
    void error_payloadIsK7Json_K7() {
        Reply r = Reply.error(400, "Invalid request ID");

        assertThat(r.isSuccess()).isFalse();
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.payloadAsString()).isEqualTo("{\"statusCode\":400,\"reasonPhrase\":\"Invalid request ID\"}");
        assertThat(r.topic()).isEmpty();
        assertThat(Reply.error(ErrorResponse.of(400, "Invalid request ID")).payloadAsString())
                .isEqualTo(r.payloadAsString());
    }

    @Test
    void ok_payloads_sharedEmptyAndUtf8() {
        assertThat(Reply.ok().payloadBytes()).isEmpty();
        assertThat(Reply.ok(new byte[0])).isSameAs(Reply.ok());
        assertThat(Reply.ok("caf\u00e9").payloadBytes()).containsExactly(utf8("caf\u00e9"));
        ByteBuffer view = Reply.ok("x").payload();
        assertThat(view.isReadOnly()).isTrue();
    }

    @Test
    void withTopic_keepsPayloadAndError() {
        Reply r = Reply.error(404, "x").withTopic(REQUEST.errorTopic());

        assertThat(r.topic()).contains(REQUEST.errorTopic());
        assertThat(r.error()).isEqualTo(ErrorResponse.of(404, "x"));
        assertThat(r.toString()).isEqualTo("Reply[404 x on kp1/app/epmx/JT******Hh/get/keys/42/error]");
    }
}
