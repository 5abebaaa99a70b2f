package io.kp1.extension.cep;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kp1.extension.PayloadFuzz;
import io.kp1.extension.PayloadLimits;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz test of the 11/CEP payload readers; the first byte picks the reader (0 command
 * request, 1 command response, 2 result request). Corpus under
 * {@code src/test/resources/io/kp1/extension/cep/CepPayloadFuzzTestInputs/readPayload}.
 * Contract: only {@code InvalidPayloadException} (11/CEP) escapes; what is accepted writes back
 * and reads back equal.
 */
class CepPayloadFuzzTest {
    private static final PayloadLimits D = PayloadLimits.DEFAULTS;

    @FuzzTest(maxDuration = "10m")
    void readPayload(byte[] bytes) {
        int which = PayloadFuzz.selector(bytes, 3);
        byte[] p = PayloadFuzz.payload(bytes);
        for (PayloadLimits limits : PayloadFuzz.LIMITS) {
            switch (which) {
                case 0 -> {
                    Optional<Boolean> observe = PayloadFuzz.read("11/CEP", () -> CepPayloads.readCommandRequest(p, limits));
                    if (observe != null && observe.isPresent()) {
                        assertThat(CepPayloads.readCommandRequest(CepPayloads.writeCommandRequest(observe.get(), D), D))
                                .isEqualTo(observe);
                    }
                }
                case 1 -> {
                    List<Command> commands = PayloadFuzz.read("11/CEP", () -> CepPayloads.readCommands(p, limits));
                    if (commands != null) {
                        assertThat(CepPayloads.readCommands(CepPayloads.writeCommands(commands, D), D))
                                .isEqualTo(commands);
                    }
                }
                default -> {
                    List<CommandResult> results = PayloadFuzz.read("11/CEP", () -> CepPayloads.readResults(p, limits));
                    if (results != null) {
                        assertThat(results).isNotEmpty();
                        assertThat(CepPayloads.readResults(CepPayloads.writeResults(results, D), D))
                                .isEqualTo(results);
                    }
                }
            }
        }
    }
}
