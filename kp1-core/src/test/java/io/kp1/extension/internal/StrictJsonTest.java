package io.kp1.extension.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.InvalidPayloadException;
import io.kp1.extension.PayloadLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strict bounded reader and the checking writer: every refusal names the field. */
class StrictJsonTest {
    private static final PayloadLimits SMALL = new PayloadLimits(4, 8, 64);

    private static JsonNode read(String json, PayloadLimits limits) {
        return StrictJson.read(json.getBytes(StandardCharsets.UTF_8), "test payload", "TEST", limits);
    }

    private static InvalidPayloadException refused(String json, PayloadLimits limits) {
        try {
            read(json, limits);
        } catch (InvalidPayloadException e) {
            return e;
        }
        throw new AssertionError("Expected " + json + " to be refused");
    }

    @ParameterizedTest(name = "{0} -> field \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "''                                 | ''          | expected a JSON value, got nothing (empty payload)",
            "'   '                              | ''          | expected a JSON value, got nothing (empty payload)",
            "'{\"a\":1,\"a\":2}'                | /a          | duplicate property",
            "'{\"a\":[{\"b\":1,\"b\":1}]}'      | /a/0/b      | duplicate property",
            "'[1,2'                             | /1          | malformed JSON",
            "'{\"a\":[1,}'                      | /a/1        | malformed JSON",
            "'[1] 2'                            | ''          | trailing content after the JSON value",
            "'[[[[[1]]]]]'                      | /0/0/0/0    | over a read limit",
            "'{\"a\":\"123456789\"}'            | /a          | over a read limit",
            "'{\"123456789\":1}'                | ''          | over a read limit",
    })
    void read_malformedOrPastLimits_namesField(String json, String field, String problem) {
        InvalidPayloadException e = refused(json, SMALL);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.problem()).startsWith(problem);
        assertThat(e.getMessage()).startsWith("Invalid test payload").endsWith("(TEST)");
    }

    @ParameterizedTest
    @CsvSource({"'[2E2222222222222222222222222222]', /0", "'{\"a\":-9.9E+99999999999}', /a"})
    void read_floatExponentPastBigDecimal_refusedAsOutOfRangeNotNumberFormatException(String json, String field) {
        // Found by CmpPayloadFuzzTest#readPayload: Jackson threw NumberFormatException for these.
        InvalidPayloadException e = refused(json, PayloadLimits.DEFAULTS);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.problem()).startsWith("number out of range: ");
        assertThat(e.getMessage()).endsWith("(TEST)");
    }

    @Test
    void read_exactNumberPast64Characters_refusedAsTheWriterWould_soWhatIsReadWritesBack() {
        // Found by EpmpPayloadFuzzTest#readPayload: read as 7.111...1E+510, then refused by write.
        String big = "7" + "1".repeat(59) + "E446"; // 64 characters: within Jackson's own length check
        InvalidPayloadException e = refused("{\"s\":" + big + "}", PayloadLimits.DEFAULTS);
        assertThat(e.field()).isEqualTo("/s");
        assertThat(e.problem()).isEqualTo("number of 66 characters is longer than the limit of 64");

        JsonNode atLimit = read("[" + "9".repeat(64) + "]", PayloadLimits.DEFAULTS);
        byte[] written = StrictJson.write(atLimit, "test payload", "TEST", PayloadLimits.DEFAULTS);
        assertThat(StrictJson.read(written, "test payload", "TEST", PayloadLimits.DEFAULTS)).isEqualTo(atLimit);
    }

    @Test
    void read_overSizeLimit_refusedBeforeParsing() {
        InvalidPayloadException e = refused("[" + "1,".repeat(40) + "1]", SMALL);
        assertThat(e.getMessage()).isEqualTo("Invalid test payload: payload of 83 bytes is over the limit of 64 (TEST)");
    }

    @Test
    void read_utf16_refusedAsNotUtf8() {
        byte[] utf16 = "[1]".getBytes(StandardCharsets.UTF_16BE);
        assertThatThrownBy(() -> StrictJson.read(utf16, "test payload", "TEST", SMALL))
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("not UTF-8");
    }

    @Test
    void read_depthAtLimit_accepted() {
        assertThat(read("[[[[1]]]]", SMALL).get(0).get(0).get(0).get(0).intValue()).isEqualTo(1);
    }

    @Test
    void read_numbers_keepTheirWidth() {
        JsonNode n = read("[1, 3000000000, 123456789012345678901234567890, 1.5, 1e400]", PayloadLimits.DEFAULTS);
        assertThat(n.get(0).isInt()).isTrue();
        assertThat(n.get(1).isLong()).isTrue();
        assertThat(n.get(2).isBigInteger()).isTrue();
        assertThat(n.get(3)).isEqualTo(DoubleNode.valueOf(1.5));
        // 1e400 is no double: kept exact, so that it is never written back as "Infinity".
        assertThat(n.get(4)).isEqualTo(DecimalNode.valueOf(new BigDecimal("1e400")));
        assertThat(new String(StrictJson.write(n.get(4), "t", "T", PayloadLimits.DEFAULTS), StandardCharsets.UTF_8))
                .isEqualTo("1E+400");
    }

    @Test
    void write_nonFiniteNumber_refusedNamingField() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.putArray("a").add(1).add(Double.NaN);
        assertThatThrownBy(() -> StrictJson.write(o, "2/DCP request", "2/DCP", PayloadLimits.DEFAULTS))
                .isInstanceOf(InvalidPayloadException.class)
                .hasMessage("Invalid 2/DCP request at /a/1: not a finite number: NaN (JSON has no NaN or Infinity) (2/DCP)");
    }

    @Test
    void write_pastLimits_refusedNamingField() {
        ArrayNode deep = JsonNodeFactory.instance.arrayNode();
        deep.addArray().addArray().addArray().addArray().add(1);
        assertThatThrownBy(() -> StrictJson.write(deep, "t", "T", SMALL))
                .hasMessage("Invalid t at /0/0/0/0: nested deeper than the limit of 4 (T)");
        ObjectNode longName = JsonNodeFactory.instance.objectNode().put("123456789", 1);
        assertThatThrownBy(() -> StrictJson.write(longName, "t", "T", SMALL))
                .hasMessage("Invalid t at /123456789: property name of 9 characters is longer than the limit of 8 (T)");
        ArrayNode big = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 40; i++) {
            big.add(i);
        }
        assertThatThrownBy(() -> StrictJson.write(big, "t", "T", SMALL))
                .hasMessageContaining("bytes is over the limit of 64");
    }

    @Test
    void write_missingNode_refused() {
        assertThatThrownBy(() -> StrictJson.write(MissingNode.getInstance(), "t", "T", SMALL))
                .hasMessageContaining("not a plain JSON value");
    }

    @Test
    void read_pointerOfEscapedName_followsRfc6901() {
        InvalidPayloadException e = refused("{\"a/b~c\":{\"x\":1,\"x\":2}}", PayloadLimits.DEFAULTS);
        assertThat(e.field()).isEqualTo("/a~1b~0c/x");
    }
}
