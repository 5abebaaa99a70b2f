package io.kp1;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kp1.testkit.FuzzText;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz test of the K7 error-payload codec; corpus under
 * {@code src/test/resources/io/kp1/ErrorResponseFuzzTestInputs/errorPayload}.
 *
 * <p>Contract: {@link ErrorResponse#fromJson} throws only {@link InvalidPayloadException} naming
 * K7; what it accepts writes back and reads back equal; {@link ErrorResponse#of} refuses only
 * with {@link IllegalArgumentException}, and what it makes reads back equal.
 */
class ErrorResponseFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void errorPayload(byte[] bytes) {
        // 1. The bytes as a payload from the wire.
        try {
            ErrorResponse e = ErrorResponse.fromJson(bytes);
            assertThat(e.statusCode()).isBetween(100, 599);
            assertThat(e.reasonPhrase().length()).isLessThanOrEqualTo(ErrorResponse.MAX_REASON_LENGTH);
            assertThat(ErrorResponse.fromJson(e.toJson())).isEqualTo(e);
        } catch (InvalidPayloadException e) {
            assertThat(e.rule()).isEqualTo("K7");
            assertThat(e.getMessage()).endsWith("(K7)");
        }
        // 2. The bytes as values: a status code (two bytes) and a reason phrase (the rest).
        if (bytes.length < 2) {
            return;
        }
        int status = ((bytes[0] & 0xFF) << 8 | (bytes[1] & 0xFF)) % 700;
        String reason = FuzzText.text(Arrays.copyOfRange(bytes, 2, bytes.length));
        ErrorResponse made;
        try {
            made = ErrorResponse.of(status, reason);
        } catch (IllegalArgumentException e) {
            assertThat(e).isNotInstanceOf(InvalidTopicException.class);
            assertThat(status < 100 || status > 599 || reason.length() > ErrorResponse.MAX_REASON_LENGTH).isTrue();
            return;
        }
        assertThat(ErrorResponse.fromJson(made.toJson())).isEqualTo(made);
    }
}
