package io.kp1.extension;

import io.kp1.InvalidPayloadException;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared checks of the extension payload fuzz tests ({@code *PayloadFuzzTest}): a reader either
 * returns or throws {@link InvalidPayloadException} naming the extension's rule; any other
 * throwable escapes and is a finding.
 *
 * <pre>{@code
 * for (PayloadLimits limits : PayloadFuzz.LIMITS) {
 *     List<JsonNode> samples = PayloadFuzz.read("2/DCP", () -> DataCollection.readRequest(bytes, limits));
 *     if (samples != null) { ...round trip... }
 * }
 * }</pre>
 */
public final class PayloadFuzz {
    /** The defaults, and limits small enough for fuzz inputs to cross every one of them. */
    public static final List<PayloadLimits> LIMITS = List.of(PayloadLimits.DEFAULTS, new PayloadLimits(4, 16, 256));

    private PayloadFuzz() {
    }

    /** The reader's value, or null when it refused the payload with the documented exception. */
    public static <T> T read(String rule, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (InvalidPayloadException e) {
            assertThat(e.rule()).startsWith(rule);
            assertThat(e.getMessage()).contains("(" + e.rule() + ")");
            return null;
        }
    }

    /** The first byte picks one of {@code n} readers ({@code '0'} the first); the rest is the payload. */
    public static int selector(byte[] bytes, int n) {
        return bytes.length == 0 ? 0 : Math.floorMod(bytes[0] - '0', n); // seeds start with an ASCII digit
    }

    /** The payload after the selector byte. */
    public static byte[] payload(byte[] bytes) {
        return bytes.length == 0 ? bytes : java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
}
