package io.kp1.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.kp1.InvalidPayloadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The shared Jackson helpers: encoding checks, token descriptions and messages used in payload errors. */
class JsonTest {
    @Test
    void requireUtf8_utf16ByteOrderMarks_refusedEitherOrder() {
        for (byte[] bom : new byte[][] {{(byte) 0xFE, (byte) 0xFF}, {(byte) 0xFF, (byte) 0xFE},
                {(byte) 0xFE, (byte) 0xFF, '{', '}'}, {(byte) 0xFF, (byte) 0xFE, '{', '}'}}) {
            assertThatThrownBy(() -> Json.requireUtf8(bom, "test payload", "K7"))
                    .isInstanceOf(InvalidPayloadException.class)
                    .hasMessageContaining("not UTF-8 (a UTF-16 byte order mark)");
        }
    }

    @Test
    void requireUtf8_halfAByteOrderMarkOrUtf8_accepted() {
        for (byte[] ok : new byte[][] {{}, {(byte) 0xFE}, {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFE},
                {(byte) 0xFF, (byte) 0xFF}, {'{', (byte) 0xFF}, {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '1'},
                "{}".getBytes(StandardCharsets.UTF_8)}) {
            assertThatCode(() -> Json.requireUtf8(ok, "test payload", "K7")).doesNotThrowAnyException();
        }
    }

    @Test
    void requireUtf8_zeroByteInFirstFour_refusedNamingOffset() {
        assertThatThrownBy(() -> Json.requireUtf8(new byte[] {'{', '}', ' ', 0}, "test payload", "K7"))
                .hasMessageContaining("a zero byte at offset 3");
        assertThatCode(() -> Json.requireUtf8(new byte[] {'"', 'a', 'b', 'c', 0}, "test payload", "K7"))
                .doesNotThrowAnyException(); // only the first four bytes tell the encoding
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|an object", "[]|an array", "\"s\"|a string", "1|an integer", "1.5|a number with a fraction",
            "true|a boolean", "false|a boolean", "null|null", "' '|nothing (empty payload)"})
    void describe_eachFirstToken_readsAsInAMessage(String json, String expected) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            assertThat(Json.describe(p)).isEqualTo(expected);
        }
    }

    @Test
    void describe_structuralToken_namesToken() throws IOException {
        try (JsonParser p = new JsonFactory().createParser("{\"a\":1}")) {
            p.nextToken();
            p.nextToken();
            assertThat(Json.describe(p)).isEqualTo("FIELD_NAME");
        }
    }

    @Test
    void originalMessage_parseError_withoutSourceLocation() throws IOException {
        try (JsonParser p = new JsonFactory().createParser("{x")) {
            p.nextToken();
            assertThatThrownBy(p::nextToken).isInstanceOfSatisfying(IOException.class, e -> {
                assertThat(Json.originalMessage(e)).isNotEmpty().doesNotContain("line: 1");
                assertThat(e.getMessage()).contains("line: 1");
            });
        }
    }

    @Test
    void originalMessage_otherIOException_itsMessage() {
        assertThat(Json.originalMessage(new IOException("stream closed"))).isEqualTo("stream closed");
    }

    @Test
    void strictFactory_limitsAndDuplicates_enforced() throws IOException {
        JsonFactory f = Json.strictFactory(2, 5, 100);
        try (JsonParser p = f.createParser("{\"a\":1,\"a\":2}")) {
            assertThatThrownBy(() -> {
                while (p.nextToken() != null) {
                    // read on
                }
            }).hasMessageContaining("Duplicate field 'a'");
        }
        try (JsonParser p = f.createParser("[[[1]]]")) {
            assertThatThrownBy(() -> {
                while (p.nextToken() != null) {
                    // read on
                }
            }).hasMessageContaining("depth");
        }
    }
}
