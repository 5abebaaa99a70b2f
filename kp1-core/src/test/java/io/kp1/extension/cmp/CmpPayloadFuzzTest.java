package io.kp1.extension.cmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kp1.extension.PayloadFuzz;
import io.kp1.extension.PayloadLimits;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz test of the 7/CMP payload codecs; the first byte picks the type (0
 * {@link ConfigRequest}, 1 {@link ConfigResponse}, 2 {@link AppliedReport}). Corpus under
 * {@code src/test/resources/io/kp1/extension/cmp/CmpPayloadFuzzTestInputs/readPayload}.
 * Contract: {@code fromJson} throws only {@code InvalidPayloadException} (7/CMP); what it
 * accepts, {@code toJson} writes back and {@code fromJson} reads back equal.
 */
class CmpPayloadFuzzTest {
    private static final PayloadLimits D = PayloadLimits.DEFAULTS;

    @FuzzTest(maxDuration = "10m")
    void readPayload(byte[] bytes) {
        int which = PayloadFuzz.selector(bytes, 3);
        byte[] p = PayloadFuzz.payload(bytes);
        for (PayloadLimits limits : PayloadFuzz.LIMITS) {
            switch (which) {
                case 0 -> {
                    ConfigRequest r = PayloadFuzz.read("7/CMP", () -> ConfigRequest.fromJson(p, limits));
                    if (r != null) {
                        assertThat(ConfigRequest.fromJson(r.toJson(D), D)).isEqualTo(r);
                    }
                }
                case 1 -> {
                    ConfigResponse r = PayloadFuzz.read("7/CMP", () -> ConfigResponse.fromJson(p, limits));
                    if (r != null) {
                        assertThat(ConfigResponse.fromJson(r.toJson(D), D)).isEqualTo(r);
                    }
                }
                default -> {
                    AppliedReport r = PayloadFuzz.read("7/CMP", () -> AppliedReport.fromJson(p, limits));
                    if (r != null) {
                        assertThat(AppliedReport.fromJson(r.toJson(D), D)).isEqualTo(r);
                    }
                }
            }
        }
    }
}
