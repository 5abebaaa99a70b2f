package io.kp1.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * jqwik arbitraries for JSON trees in the forms the strict reader produces (int-range integers
 * as {@code IntNode}, other longs as {@code LongNode}, larger ones as {@code BigIntegerNode},
 * finite doubles as {@code DoubleNode}), so that a write-then-read round trip compares with
 * {@code equals}. Strings include control characters, quotes, backslashes and non-ASCII text.
 */
public final class JsonArbitraries {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonArbitraries() {
    }

    /** Any JSON value, nested at most {@code depth} levels of arrays and objects. */
    public static Arbitrary<JsonNode> values(int depth) {
        if (depth <= 0) {
            return scalars();
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalars()),
                net.jqwik.api.Tuple.of(1, arrays(depth)),
                net.jqwik.api.Tuple.of(1, objects(depth, names())));
    }

    /** Strings of any valid UTF-16 (no lone surrogates), including JSON's escaped characters. */
    public static Arbitrary<String> strings() {
        return Arbitraries.strings()
                .withCharRange('\u0000', '\u007f')
                .withCharRange('\u00a0', '\u04ff')
                .withCharRange('\u4e00', '\u4e20')
                .ofMaxLength(12);
    }

    /** Property names: any strings. */
    public static Arbitrary<String> names() {
        return strings();
    }

    /** Scalars: null, booleans, integers of every width, finite doubles, strings. */
    public static Arbitrary<JsonNode> scalars() {
        return Arbitraries.oneOf(List.of(
                Arbitraries.just(NullNode.getInstance()),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE),
                Arbitraries.integers().map(IntNode::valueOf),
                Arbitraries.longs().filter(l -> l < Integer.MIN_VALUE || l > Integer.MAX_VALUE).map(LongNode::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(63), BigInteger.TEN.pow(40))
                        .map(BigIntegerNode::valueOf),
                Arbitraries.doubles().filter(Double::isFinite).map(DoubleNode::valueOf),
                strings().map(TextNode::valueOf)));
    }

    /** Arrays of values. */
    public static Arbitrary<JsonNode> arrays(int depth) {
        return Arbitraries.lazy(() -> values(depth - 1)).list().ofMaxSize(4).map(items -> {
            ArrayNode a = NODES.arrayNode();
            items.forEach(a::add);
            return a;
        });
    }

    /** Objects whose property names come from {@code names}. */
    public static Arbitrary<JsonNode> objects(int depth, Arbitrary<String> names) {
        return Arbitraries.maps(names, Arbitraries.lazy(() -> values(depth - 1))).ofMaxSize(4).map(JsonArbitraries::object);
    }

    /** An object of these entries. */
    public static ObjectNode object(Map<String, JsonNode> entries) {
        ObjectNode o = NODES.objectNode();
        entries.forEach(o::set);
        return o;
    }
}
