package io.kp1.extension.dcp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kp1.extension.PayloadFuzz;
import io.kp1.extension.PayloadLimits;
import io.kp1.extension.internal.StrictJson;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz test of the 2/DCP request reader; corpus under
 * {@code src/test/resources/io/kp1/extension/dcp/DcpPayloadFuzzTestInputs/readRequest}.
 * Contract: only {@code InvalidPayloadException} (2/DCP) escapes; an accepted batch, written
 * back as an array, reads back equal.
 */
class DcpPayloadFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readRequest(byte[] bytes) {
        for (PayloadLimits limits : PayloadFuzz.LIMITS) {
            List<JsonNode> samples = PayloadFuzz.read("2/DCP", () -> DataCollection.readRequest(bytes, limits));
            if (samples == null) {
                continue;
            }
            ArrayNode batch = JsonNodeFactory.instance.arrayNode();
            samples.forEach(batch::add);
            byte[] written = StrictJson.write(batch, "2/DCP request", "2/DCP", PayloadLimits.DEFAULTS);
            assertThat(DataCollection.readRequest(written, PayloadLimits.DEFAULTS)).isEqualTo(samples);
        }
    }
}
