package io.kp1;

import io.kp1.testkit.SchemaAssertions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** K7 as properties: every written payload is exact, schema-valid UTF-8 that reads back; reading never fails oddly. */
class ErrorResponseProperties {

    @Property(tries = 300) // schema validation is the expensive part
    void toJson_anyErrorResponse_validAgainstRfcSchema_K7(@ForAll("errors") ErrorResponse e) {
        SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, e.toJson());
    }

    @Property
    void toJson_anyErrorResponse_exactShapeAndUtf8_K7(@ForAll("errors") ErrorResponse e) throws CharacterCodingException {
        byte[] json = e.toJson();

        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(json)).toString();
        assertThat(text).startsWith("{\"statusCode\":" + e.statusCode() + ",\"reasonPhrase\":\"").endsWith("\"}");
        assertThat(json.length).isLessThanOrEqualTo(ErrorResponse.MAX_PAYLOAD_BYTES);
    }

    @Property
    void fromJson_ofToJson_isIdentity_K7(@ForAll("errors") ErrorResponse e) {
        assertThat(ErrorResponse.fromJson(e.toJson())).isEqualTo(e);
        assertThat(Reply.error(e).error()).isEqualTo(e);
    }

    @Property
    void fromJson_anyBytes_onlyInvalidPayloadException_K7(@ForAll("payloads") byte[] json) {
        Throwable thrown = catchThrowable(() -> ErrorResponse.fromJson(json));

        if (thrown != null) {
            assertThat(thrown).isExactlyInstanceOf(InvalidPayloadException.class);
            InvalidPayloadException e = (InvalidPayloadException) thrown;
            assertThat(e.getMessage()).startsWith("Invalid error response").endsWith("(K7)");
            if (!e.field().isEmpty()) {
                assertThat(e.field()).startsWith("/");
                assertThat(e.getMessage()).startsWith("Invalid error response at " + e.field() + ": ");
            }
        }
    }

    @Property(tries = 300)
    void fromJson_accepted_impliesSchemaValid_K7(@ForAll("payloads") byte[] json) {
        Throwable thrown = catchThrowable(() -> ErrorResponse.fromJson(json));

        if (thrown == null) {
            SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, json);
        }
    }

    @Provide
    Arbitrary<ErrorResponse> errors() {
        Arbitrary<String> reasons = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.strings().ofMaxLength(60)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(60)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u0000', '\u001f').withChars("\"\\/\u007f\u2028")
                        .ofMaxLength(60)),
                Tuple.of(1, Arbitraries.strings().withCharRange('\uD800', '\uDFFF').withChars("ab").ofMaxLength(20)),
                Tuple.of(1, Arbitraries.of("\u0001", "x", "\u00e9", "\uD83D\uDE00")
                        .map(c -> c.repeat(ErrorResponse.MAX_REASON_LENGTH / c.length()))));
        return Combinators.combine(Arbitraries.integers().between(100, 599), reasons).as(ErrorResponse::of);
    }

    /** Near-valid payloads, mutated: the interesting part of "any bytes". */
    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<String> fields = Arbitraries.of("\"statusCode\"", "\"reasonPhrase\"", "\"extra\"", "\"\"");
        Arbitrary<String> values = Arbitraries.of("400", "99", "600", "4e2", "400.0", "-1", "2147483648", "\"x\"",
                "null", "true", "[]", "{}", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]", "\"\\u0000\"", "\"\\ud800\"");
        Arbitrary<String> member = Combinators.combine(fields, values).as((f, v) -> f + ":" + v);
        Arbitrary<String> objects = member.list().ofMaxSize(4).map(m -> "{" + String.join(",", m) + "}");
        Arbitrary<byte[]> text = Arbitraries.oneOf(objects,
                        objects.map(o -> o + "{}"),
                        Arbitraries.strings().ofMaxLength(30))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> mutated = Combinators.combine(text, Arbitraries.integers().between(0, 1000),
                        Arbitraries.bytes())
                .as((b, at, by) -> {
                    if (b.length == 0) {
                        return new byte[] {by};
                    }
                    byte[] copy = b.clone();
                    copy[at % copy.length] = by;
                    return copy;
                });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.frequencyOf(Tuple.of(4, text), Tuple.of(3, mutated), Tuple.of(1, random));
    }
}
