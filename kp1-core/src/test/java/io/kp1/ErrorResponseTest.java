package io.kp1;

import io.kp1.testkit.SchemaAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The K7 error payload: written exactly, read strictly, checked against the RFC schema. */
class ErrorResponseTest {
    private static final String SCHEMA = SchemaAssertions.ERROR_RESPONSE;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Asserts that {@code fromJson} refuses {@code json} with an {@link InvalidPayloadException} naming the field. */
    private static InvalidPayloadException assertRefused(byte[] json, String field, String expectedMessage) {
        Throwable thrown = catchThrowable(() -> ErrorResponse.fromJson(json));
        assertThat(thrown).isExactlyInstanceOf(InvalidPayloadException.class);
        InvalidPayloadException e = (InvalidPayloadException) thrown;
        assertThat(e.getMessage()).isEqualTo(expectedMessage);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.what()).isEqualTo("error response");
        assertThat(e.rule()).isEqualTo("K7");
        return e;
    }

    private static InvalidPayloadException assertRefused(String json, String field, String expectedMessage) {
        return assertRefused(utf8(json), field, expectedMessage);
    }

    // ------------------------------------------------------------ writing

    @Test
    void toJson_writesExactlyTheTwoFields_K7() {
        byte[] json = ErrorResponse.of(404, "Unknown resource").toJson();

        assertThat(new String(json, StandardCharsets.UTF_8))
                .isEqualTo("{\"statusCode\":404,\"reasonPhrase\":\"Unknown resource\"}");
        SchemaAssertions.assertValid(SCHEMA, json);
    }

    @Test
    void toJson_escapesAndWritesUtf8_K7() {
        byte[] json = ErrorResponse.of(400, "bad \"id\"\\\n\u0001 caf\u00e9 \uD83D\uDE00 /").toJson();

        // BMP text is written as UTF-8; Jackson escapes a supplementary character as its surrogate pair.
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo(
                "{\"statusCode\":400,\"reasonPhrase\":\"bad \\\"id\\\"\\\\\\n\\u0001 caf\u00e9 \\uD83D\\uDE00 /\"}");
        assertThat(ErrorResponse.fromJson(json).reasonPhrase()).isEqualTo("bad \"id\"\\\n\u0001 caf\u00e9 \uD83D\uDE00 /");
        SchemaAssertions.assertValid(SCHEMA, json);
    }

    @Test
    void toJson_emptyReason_valid_K7() {
        byte[] json = ErrorResponse.of(500, "").toJson();

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"statusCode\":500,\"reasonPhrase\":\"\"}");
        SchemaAssertions.assertValid(SCHEMA, json);
        assertThat(ErrorResponse.fromJson(json)).isEqualTo(ErrorResponse.of(500, ""));
    }

    @Test
    void toJson_longestReasonOfControlChars_readsBack_K7() {
        ErrorResponse e = ErrorResponse.of(500, "\u0001".repeat(ErrorResponse.MAX_REASON_LENGTH));

        byte[] json = e.toJson();

        assertThat(json.length).isGreaterThan(65_536).isLessThanOrEqualTo(ErrorResponse.MAX_PAYLOAD_BYTES);
        assertThat(ErrorResponse.fromJson(json)).isEqualTo(e);
    }

    @Test
    void of_outOfRangeStatus_throwsIllegalArgument_K7() {
        assertThatThrownBy(() -> ErrorResponse.of(99, "x")).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid statusCode 99: must be an HTTP status code 100..599 (K7)");
        assertThatThrownBy(() -> ErrorResponse.of(600, "x")).isExactlyInstanceOf(IllegalArgumentException.class);
        assertThat(ErrorResponse.of(100, "x").statusCode()).isEqualTo(100);
        assertThat(ErrorResponse.of(599, "x").statusCode()).isEqualTo(599);
    }

    @Test
    void of_reasonOverLimitOrNull_refused_K7() {
        assertThatThrownBy(() -> ErrorResponse.of(500, "x".repeat(ErrorResponse.MAX_REASON_LENGTH + 1)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid reasonPhrase of 16385 characters: at most 16384 (K7)");
        assertThatThrownBy(() -> ErrorResponse.of(500, null)).isExactlyInstanceOf(NullPointerException.class);
    }

    @Test
    void equalsHashCodeToString() {
        assertThat(ErrorResponse.of(404, "x")).isEqualTo(ErrorResponse.of(404, "x"))
                .hasSameHashCodeAs(ErrorResponse.of(404, "x"))
                .isNotEqualTo(ErrorResponse.of(404, "y"))
                .isNotEqualTo(ErrorResponse.of(405, "x"))
                .hasToString("ErrorResponse[404 x]");
    }

    // ------------------------------------------------------------ reading: accepted

    @Test
    void fromJson_eitherOrderAndWhitespace_accepted_K7() {
        assertThat(ErrorResponse.fromJson(utf8(" {\n \"reasonPhrase\" : \"Gone\" ,\"statusCode\": 410 }\n")))
                .isEqualTo(ErrorResponse.of(410, "Gone"));
    }

    @Test
    void fromJson_utf8ByteOrderMark_accepted_K7() {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body = utf8("{\"statusCode\":400,\"reasonPhrase\":\"x\"}");
        byte[] json = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, json, 0, 3);
        System.arraycopy(body, 0, json, 3, body.length);

        assertThat(ErrorResponse.fromJson(json)).isEqualTo(ErrorResponse.of(400, "x"));
    }

    @Test
    void fromJson_longestReason_accepted_K7() {
        String reason = "r".repeat(ErrorResponse.MAX_REASON_LENGTH);

        assertThat(ErrorResponse.fromJson(utf8("{\"statusCode\":400,\"reasonPhrase\":\"" + reason + "\"}"))
                .reasonPhrase()).isEqualTo(reason);
    }

    // ------------------------------------------------------------ reading: refused, naming the field

    @Test
    void fromJson_missingField_namesIt_K7() {
        assertRefused("{\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: required property is missing (K7)");
        assertRefused("{\"statusCode\":400}", "/reasonPhrase",
                "Invalid error response at /reasonPhrase: required property is missing (K7)");
        assertRefused("{}", "/statusCode", "Invalid error response at /statusCode: required property is missing (K7)");
    }

    @Test
    void fromJson_wrongType_namesField_K7() {
        assertRefused("{\"statusCode\":\"404\",\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: expected an integer, got a string (K7)");
        assertRefused("{\"statusCode\":404.0,\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: expected an integer, got a number with a fraction (K7)");
        assertRefused("{\"statusCode\":4e2,\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: expected an integer, got a number with a fraction (K7)");
        assertRefused("{\"statusCode\":null,\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: expected an integer, got null (K7)");
        assertRefused("{\"statusCode\":true,\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: expected an integer, got a boolean (K7)");
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":404}", "/reasonPhrase",
                "Invalid error response at /reasonPhrase: expected a string, got an integer (K7)");
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":null}", "/reasonPhrase",
                "Invalid error response at /reasonPhrase: expected a string, got null (K7)");
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":[\"x\"]}", "/reasonPhrase",
                "Invalid error response at /reasonPhrase: expected a string, got an array (K7)");
    }

    @Test
    void fromJson_notAnObject_refused_K7() {
        assertRefused("[]", "", "Invalid error response: expected a JSON object, got an array (K7)");
        assertRefused("\"Not Found\"", "", "Invalid error response: expected a JSON object, got a string (K7)");
        assertRefused("null", "", "Invalid error response: expected a JSON object, got null (K7)");
        assertRefused("", "", "Invalid error response: expected a JSON object, got nothing (empty payload) (K7)");
        assertRefused("   ", "", "Invalid error response: expected a JSON object, got nothing (empty payload) (K7)");
    }

    @Test
    void fromJson_extraField_namesIt_K7() {
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"x\",\"detail\":\"y\"}", "/detail",
                "Invalid error response at /detail: unexpected property (only statusCode and reasonPhrase are allowed) (K7)");
        assertRefused("{\"a/b~c\":1,\"statusCode\":400,\"reasonPhrase\":\"x\"}", "/a~1b~0c",
                "Invalid error response at /a~1b~0c: unexpected property (only statusCode and reasonPhrase are allowed) (K7)");
        assertRefused("{\"StatusCode\":400,\"reasonPhrase\":\"x\"}", "/StatusCode",
                "Invalid error response at /StatusCode: unexpected property (only statusCode and reasonPhrase are allowed) (K7)");
    }

    @Test
    void fromJson_duplicateField_namesIt_K7() {
        assertRefused("{\"statusCode\":400,\"statusCode\":401,\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: duplicate property (K7)");
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"x\",\"reasonPhrase\":\"y\"}", "/reasonPhrase",
                "Invalid error response at /reasonPhrase: duplicate property (K7)");
    }

    @Test
    void fromJson_utf16_notUtf8_K7() {
        String json = "{\"statusCode\":400,\"reasonPhrase\":\"x\"}";

        assertRefused(json.getBytes(StandardCharsets.UTF_16LE), "",
                "Invalid error response: not UTF-8 (a zero byte at offset 1 suggests UTF-16 or UTF-32) (K7)");
        assertRefused(json.getBytes(StandardCharsets.UTF_16BE), "",
                "Invalid error response: not UTF-8 (a zero byte at offset 0 suggests UTF-16 or UTF-32) (K7)");
        assertRefused(json.getBytes(StandardCharsets.UTF_16), "",
                "Invalid error response: not UTF-8 (a zero byte at offset 2 suggests UTF-16 or UTF-32) (K7)");
        assertRefused(json.getBytes(java.nio.charset.Charset.forName("UTF-32")), "",
                "Invalid error response: not UTF-8 (a zero byte at offset 0 suggests UTF-16 or UTF-32) (K7)");
        assertRefused(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'}, "",
                "Invalid error response: not UTF-8 (a UTF-16 byte order mark) (K7)");
    }

    @Test
    void fromJson_invalidUtf8Sequences_refused_K7() {
        // A bad continuation byte, an overlong NUL, an encoded surrogate, a lone 0xFF, a truncated sequence.
        byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}};
        for (byte[] seq : bad) {
            byte[] head = utf8("{\"statusCode\":400,\"reasonPhrase\":\"");
            byte[] json = new byte[head.length + seq.length + 2];
            System.arraycopy(head, 0, json, 0, head.length);
            System.arraycopy(seq, 0, json, head.length, seq.length);
            json[json.length - 2] = '"';
            json[json.length - 1] = '}';

            InvalidPayloadException e = (InvalidPayloadException) catchThrowable(() -> ErrorResponse.fromJson(json));

            assertThat(e).as("bytes %s", Arrays.toString(seq)).isNotNull();
            assertThat(e.field()).isEqualTo("/reasonPhrase");
            assertThat(e.getMessage()).startsWith("Invalid error response at /reasonPhrase: malformed string: ")
                    .contains("UTF-8").endsWith("(K7)");
            SchemaAssertions.assertInvalid(SCHEMA, json);
        }
    }

    @Test
    void fromJson_invalidUtf8Examples_exactMessages_K7() {
        byte[] json = utf8("{\"statusCode\":400,\"reasonPhrase\":\"xx\"}");
        json[34] = (byte) 0xC3;
        json[35] = 0x28;

        assertRefused(json, "/reasonPhrase",
                "Invalid error response at /reasonPhrase: malformed string: Invalid UTF-8 middle byte 0x28 (K7)");
        assertRefused(utf8("{\"statusCode\":400,\"reasonPhrase\":\"a\u0001b\"}"), "/reasonPhrase",
                "Invalid error response at /reasonPhrase: malformed string: Illegal unquoted character ((CTRL-CHAR,"
                        + " code 1)): has to be escaped using backslash to be included in string value (K7)");
        byte[] badName = utf8("{\"st\u00e9\":1}");
        badName[5] = (byte) 0xFF;
        assertThat(((InvalidPayloadException) catchThrowable(() -> ErrorResponse.fromJson(badName))).getMessage())
                .startsWith("Invalid error response: malformed JSON: Invalid UTF-8");
    }

    @Test
    void fromJson_overDeepJson_refusedWithoutReadingIt_K7() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);

        assertRefused("{\"statusCode\":" + deep + ",\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: expected an integer, got an array (K7)");
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"x\",\"more\":" + deep + "}", "/more",
                "Invalid error response at /more: unexpected property (only statusCode and reasonPhrase are allowed) (K7)");
        assertRefused(deep, "", "Invalid error response: expected a JSON object, got an array (K7)");
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"x\"}" + deep, "",
                "Invalid error response: trailing content after the JSON object (K7)");
    }

    @Test
    void fromJson_overLongReason_namesField_K7() {
        String reason = "r".repeat(ErrorResponse.MAX_REASON_LENGTH + 1);

        InvalidPayloadException e = assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"" + reason + "\"}",
                "/reasonPhrase", "Invalid error response at /reasonPhrase: longer than 16384 characters (K7)");

        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void fromJson_overLongPayload_refused_K7() {
        String padding = " ".repeat(ErrorResponse.MAX_PAYLOAD_BYTES);

        assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"x\"}" + padding, "",
                "Invalid error response: payload of 131109 bytes is over the limit of 131072 (K7)");
    }

    @Test
    void fromJson_payloadOfExactlyTheLimit_accepted_K7() {
        String json = "{\"statusCode\":400,\"reasonPhrase\":\"x\"}";
        byte[] atLimit = utf8(json + " ".repeat(ErrorResponse.MAX_PAYLOAD_BYTES - json.length()));
        assertThat(atLimit).hasSize(ErrorResponse.MAX_PAYLOAD_BYTES);

        assertThat(ErrorResponse.fromJson(atLimit)).isEqualTo(ErrorResponse.of(400, "x"));
        assertRefused(json + " ".repeat(ErrorResponse.MAX_PAYLOAD_BYTES - json.length() + 1), "",
                "Invalid error response: payload of 131073 bytes is over the limit of 131072 (K7)");
    }

    @Test
    void fromJson_objectWhereIntegerExpected_namesFieldAndType_K7() {
        assertRefused("{\"statusCode\":{},\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: expected an integer, got an object (K7)");
    }

    @Test
    void hashCode_differentStatusOrReason_differs() {
        assertThat(ErrorResponse.of(404, "x").hashCode())
                .isNotEqualTo(ErrorResponse.of(500, "x").hashCode())
                .isNotEqualTo(ErrorResponse.of(404, "y").hashCode());
    }

    @Test
    void fromJson_trailingContent_refused_K7() {
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"x\"}{}", "",
                "Invalid error response: trailing content after the JSON object (K7)");
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"x\"} 1", "",
                "Invalid error response: trailing content after the JSON object (K7)");
        InvalidPayloadException e = assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"x\"} x", "",
                "Invalid error response: malformed JSON: Unrecognized token 'x': was expecting (JSON String, Number,"
                        + " Array, Object or token 'null', 'true' or 'false') (K7)");
        assertThat(e.getCause()).isNotNull();
    }

    @Test
    void fromJson_malformedJson_refused_K7() {
        assertRefused("{\"statusCode\":400,\"reasonPhrase\":\"x\"", "",
                "Invalid error response: malformed JSON: Unexpected end-of-input: expected close marker for Object"
                        + " (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled);"
                        + " line: 1, column: 1]) (K7)");
        InvalidPayloadException leadingZero = (InvalidPayloadException) catchThrowable(
                () -> ErrorResponse.fromJson(utf8("{\"statusCode\":0404,\"reasonPhrase\":\"x\"}")));
        assertThat(leadingZero.getMessage()).startsWith("Invalid error response: malformed JSON: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99", "600", "0", "-404", "1000"})
    void fromJson_statusOutOfRange_namesField_K7(String status) {
        assertRefused("{\"statusCode\":" + status + ",\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: not an HTTP status code (100..599): " + status + " (K7)");
    }

    @Test
    void fromJson_statusPastInt_namesField_K7() {
        assertRefused("{\"statusCode\":4294967696,\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: integer out of range: 4294967696 (K7)");
        assertRefused("{\"statusCode\":123456789012345678901234567890,\"reasonPhrase\":\"x\"}", "/statusCode",
                "Invalid error response at /statusCode: integer out of range: 123456789012345678901234567890 (K7)");
    }

    // ------------------------------------------------------------ the codec and the RFC schema agree

    @ParameterizedTest
    @ValueSource(strings = {
        "{}",
        "{\"statusCode\":400}",
        "{\"reasonPhrase\":\"x\"}",
        "{\"statusCode\":\"400\",\"reasonPhrase\":\"x\"}",
        "{\"statusCode\":400.5,\"reasonPhrase\":\"x\"}",
        "{\"statusCode\":400,\"reasonPhrase\":1}",
        "{\"statusCode\":400,\"reasonPhrase\":null}",
        "{\"statusCode\":400,\"reasonPhrase\":\"x\",\"extra\":1}",
        "[]",
        "\"x\"",
        "null"
    })
    void fromJson_schemaInvalidPayload_refusedByBoth_K7(String json) {
        SchemaAssertions.assertInvalid(SCHEMA, json);
        assertThatThrownBy(() -> ErrorResponse.fromJson(utf8(json))).isExactlyInstanceOf(InvalidPayloadException.class);
    }

    @Test
    void schema_acceptsWhatTheCodecAcceptsAndRefusesRange_K7() {
        // The schema has no range for statusCode; the codec adds 100..599 (K7: HTTP codes).
        SchemaAssertions.assertValid(SCHEMA, "{\"statusCode\":99,\"reasonPhrase\":\"x\"}");
        assertThatThrownBy(() -> ErrorResponse.fromJson(utf8("{\"statusCode\":99,\"reasonPhrase\":\"x\"}")))
                .isExactlyInstanceOf(InvalidPayloadException.class);
        SchemaAssertions.assertValid(SCHEMA, "{\"reasonPhrase\":\"x\",\"statusCode\":404}");
        assertThat(ErrorResponse.fromJson(utf8("{\"reasonPhrase\":\"x\",\"statusCode\":404}")).statusCode())
                .isEqualTo(404);
    }
}
