package io.kp1.extension.epmp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.PayloadFuzz;
import io.kp1.extension.PayloadLimits;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz test of the 10/EPMP payload readers; the first byte picks the reader (0 get-keys
 * response, 1 get request, 2 get response, 3 update request, 4 delete request). Corpus under
 * {@code src/test/resources/io/kp1/extension/epmp/EpmpPayloadFuzzTestInputs/readPayload}.
 * Contract: only {@code InvalidPayloadException} (10/EPMP) escapes; what is accepted writes back
 * and reads back equal.
 */
class EpmpPayloadFuzzTest {
    private static final PayloadLimits D = PayloadLimits.DEFAULTS;

    @FuzzTest(maxDuration = "10m")
    void readPayload(byte[] bytes) {
        int which = PayloadFuzz.selector(bytes, 5);
        byte[] p = PayloadFuzz.payload(bytes);
        for (PayloadLimits limits : PayloadFuzz.LIMITS) {
            switch (which) {
                case 0 -> {
                    List<String> keys = PayloadFuzz.read("10/EPMP", () -> EpmpPayloads.readKeysResponse(p, limits));
                    if (keys != null) {
                        assertThat(EpmpPayloads.readKeysResponse(
                                EpmpPayloads.writeKeys(keys, EpmpPayloads.KEYS_RESPONSE, D), D)).isEqualTo(keys);
                    }
                }
                case 1 -> {
                    boolean[] refused = {false};
                    Set<String> keys = PayloadFuzz.read("10/EPMP", () -> {
                        try {
                            return EpmpPayloads.readGetRequest(p, limits);
                        } catch (RuntimeException e) {
                            refused[0] = true;
                            throw e;
                        }
                    });
                    if (!refused[0]) {
                        assertThat(EpmpPayloads.readGetRequest(EpmpPayloads.writeGetRequest(keys, D), D))
                                .isEqualTo(keys);
                    }
                }
                case 2, 3 -> {
                    boolean update = which == 3;
                    ObjectNode m = PayloadFuzz.read("10/EPMP", () -> update
                            ? EpmpPayloads.readUpdateRequest(p, limits) : EpmpPayloads.readGetResponse(p, limits));
                    if (m != null) {
                        String what = update ? EpmpPayloads.UPDATE_REQUEST : EpmpPayloads.GET_RESPONSE;
                        byte[] written = EpmpPayloads.writeMetadata(m, what, D);
                        assertThat(update ? EpmpPayloads.readUpdateRequest(written, D)
                                : EpmpPayloads.readGetResponse(written, D)).isEqualTo(m);
                    }
                }
                default -> {
                    Set<String> keys = PayloadFuzz.read("10/EPMP", () -> EpmpPayloads.readDeleteRequest(p, limits));
                    if (keys != null) {
                        assertThat(keys).isNotEmpty();
                        assertThat(EpmpPayloads.readDeleteRequest(
                                EpmpPayloads.writeKeys(keys, EpmpPayloads.DELETE_REQUEST, D), D)).isEqualTo(keys);
                    }
                }
            }
        }
    }
}
