package io.kp1.extension.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.kp1.InvalidPayloadException;
import io.kp1.extension.PayloadLimits;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each {@link PayloadLimits} limit at its edge, read and written: the largest allowed value
 * passes, one more is refused naming the field. Also shown pointers at their length cap, and
 * limits objects beyond the reader's factory cache.
 */
class StrictJsonBoundariesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final PayloadLimits SMALL = new PayloadLimits(4, 8, 64);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode read(String json, PayloadLimits limits) {
        return StrictJson.read(utf8(json), "t", "T", limits);
    }

    private static byte[] write(JsonNode node, PayloadLimits limits) {
        return StrictJson.write(node, "t", "T", limits);
    }

    @Test
    void read_payloadOfExactlyMaxBytes_accepted_oneMoreRefused() {
        String at = "[1" + " ".repeat(61) + "]";
        assertThat(utf8(at)).hasSize(64);

        assertThat(read(at, SMALL).get(0).intValue()).isEqualTo(1);
        assertThatThrownBy(() -> read(at + " ", SMALL)).isInstanceOf(InvalidPayloadException.class)
                .hasMessage("Invalid t: payload of 65 bytes is over the limit of 64 (T)");
    }

    @Test
    void write_payloadOfExactlyMaxBytes_accepted_oneMoreRefused() {
        TextNode at = TextNode.valueOf("x".repeat(6));           // "xxxxxx" is 8 bytes
        PayloadLimits eight = new PayloadLimits(4, 8, 8);

        assertThat(write(at, eight)).hasSize(8);
        assertThatThrownBy(() -> write(TextNode.valueOf("x".repeat(7)), new PayloadLimits(4, 8, 8)))
                .hasMessage("Invalid t: payload of 9 bytes is over the limit of 8 (T)");
    }

    @Test
    void write_stringAndNameOfExactlyMaxLength_accepted_oneMoreRefused() {
        ObjectNode at = NODES.objectNode().put("12345678", "abcdefgh");
        assertThat(read(new String(write(at, SMALL), StandardCharsets.UTF_8), SMALL)).isEqualTo(at);

        assertThatThrownBy(() -> write(NODES.objectNode().put("k", "abcdefghi"), SMALL))
                .hasMessage("Invalid t at /k: string of 9 characters is longer than the limit of 8 (T)");
    }

    @Test
    void write_objectsAndArraysAtMaxDepth_accepted_oneDeeperRefused() {
        ArrayNode arrays = NODES.arrayNode();
        arrays.addArray().addArray().addArray().add(1);         // depth 4
        ObjectNode objects = NODES.objectNode();
        objects.putObject("a").putObject("b").putObject("c").put("d", 1);

        assertThat(write(arrays, SMALL)).isNotEmpty();
        assertThat(write(objects, SMALL)).isNotEmpty();

        ObjectNode deeperObjects = NODES.objectNode();
        deeperObjects.putObject("a").putObject("b").putObject("c").putObject("d");
        assertThatThrownBy(() -> write(deeperObjects, SMALL))
                .hasMessage("Invalid t at /a/b/c/d: nested deeper than the limit of 4 (T)");
        ObjectNode arrayInObjects = NODES.objectNode();
        arrayInObjects.putObject("a").putObject("b").putObject("c").putArray("d");
        assertThatThrownBy(() -> write(arrayInObjects, SMALL))
                .hasMessage("Invalid t at /a/b/c/d: nested deeper than the limit of 4 (T)");
    }

    @Test
    void check_embeddedValueAtGivenDepth_countsFromThere() {
        ObjectNode one = NODES.objectNode().put("a", 1);

        StrictJson.check(one, "/0/payload", 4, "t", "T", SMALL);
        assertThatThrownBy(() -> StrictJson.check(one, "/0/payload", 5, "t", "T", SMALL))
                .hasMessage("Invalid t at /0/payload: nested deeper than the limit of 4 (T)");
    }

    @Test
    void write_exactNumbersOf64Characters_accepted_65Refused() {
        BigInteger big64 = new BigInteger("9".repeat(64));
        BigDecimal dec64 = new BigDecimal("1." + "1".repeat(62));
        assertThat(write(BigIntegerNode.valueOf(big64), PayloadLimits.DEFAULTS)).hasSize(64);
        assertThat(write(DecimalNode.valueOf(dec64), PayloadLimits.DEFAULTS)).hasSize(64);

        assertThatThrownBy(() -> write(NODES.arrayNode().add(new BigInteger("9".repeat(65))), PayloadLimits.DEFAULTS))
                .hasMessage("Invalid t at /0: number of 65 characters is longer than the limit of 64 (T)");
        assertThatThrownBy(() -> write(NODES.arrayNode().add(new BigDecimal("1." + "1".repeat(63))),
                PayloadLimits.DEFAULTS))
                .hasMessage("Invalid t at /0: number of 65 characters is longer than the limit of 64 (T)");
    }

    @Test
    void write_nonFiniteFloat_refusedLikeDouble() {
        assertThatThrownBy(() -> write(NODES.arrayNode().add(FloatNode.valueOf(Float.POSITIVE_INFINITY)),
                PayloadLimits.DEFAULTS))
                .hasMessage("Invalid t at /0: not a finite number: Infinity (JSON has no NaN or Infinity) (T)");
        assertThat(write(NODES.arrayNode().add(FloatNode.valueOf(1.5f)), PayloadLimits.DEFAULTS))
                .isEqualTo(utf8("[1.5]"));
    }

    @Test
    void write_pointerOf200Characters_shownWhole_longerCut() {
        PayloadLimits limits = new PayloadLimits(4, 200, 4096);
        String name199 = "n".repeat(199);
        String name200 = "n".repeat(200);

        assertThatThrownBy(() -> write(NODES.objectNode().put(name199, "s".repeat(201)), limits))
                .isInstanceOfSatisfying(InvalidPayloadException.class,
                        e -> assertThat(e.field()).isEqualTo("/" + name199));
        assertThatThrownBy(() -> write(NODES.objectNode().put(name200, "s".repeat(201)), limits))
                .isInstanceOfSatisfying(InvalidPayloadException.class,
                        e -> assertThat(e.field()).isEqualTo("/" + name199 + "..."));
    }

    @Test
    void read_manyDistinctLimits_eachEnforcesItsOwn_pastFactoryCache() {
        // More limits objects than the reader caches factories for: each must still be applied.
        for (int depth = 2; depth < 42; depth++) {
            PayloadLimits limits = new PayloadLimits(depth, 8, 1024);
            String atLimit = "[".repeat(depth) + "]".repeat(depth);
            String deeper = "[" + atLimit + "]";

            assertThat(read(atLimit, limits)).isNotNull();
            assertThatThrownBy(() -> read(deeper, limits)).as("depth %d", depth)
                    .isInstanceOf(InvalidPayloadException.class).hasMessageContaining("over a read limit");
        }
    }
}
