package io.kp1.extension.epmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.extension.ExchangeSchemas;
import io.kp1.extension.InMemoryEndpoint;
import io.kp1.extension.JsonArbitraries;
import io.kp1.server.Router;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 10/EPMP properties: key validation before sending, and metadata round trips that stay schema-valid. */
class MetadataProperties {
    private static final Pattern KEY = Pattern.compile("^[a-zA-Z0-9_]+$");

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withChars("abcXYZ019_").ofMinLength(1).ofMaxLength(8);
    }

    @Provide
    Arbitrary<String> anyKeys() {
        return Arbitraries.oneOf(keys(), Arbitraries.strings().withChars("ab_- ./é\t").ofMaxLength(4));
    }

    @Provide
    Arbitrary<ObjectNode> metadata() {
        return Arbitraries.maps(keys(), JsonArbitraries.values(2)).ofMinSize(1).ofMaxSize(5)
                .map(JsonArbitraries::object);
    }

    @Property(tries = 300)
    void get_anyKey_sentOnlyIfValid(@ForAll("anyKeys") String key) {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(Metadata.routes(new InMemoryMetadataStore(null))
                .addTo(Router.builder()).build());
        if (KEY.matcher(key).matches()) {
            assertThat(Metadata.on(ep).get(key).join()).isEmpty();
            ExchangeSchemas.assertAllValid(ep.exchanges());
        } else {
            assertThatThrownBy(() -> Metadata.on(ep).get(key)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("(10/EPMP)");
            assertThatThrownBy(() -> Metadata.on(ep).delete(key)).isInstanceOf(IllegalArgumentException.class);
            assertThat(ep.exchanges()).isEmpty();
        }
    }

    @Property(tries = 200)
    void updates_anyMetadata_readBackEqualAndEveryPayloadSchemaValid(@ForAll("metadata") ObjectNode full,
            @ForAll("metadata") ObjectNode patch) {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(Metadata.routes(new InMemoryMetadataStore(null))
                .addTo(Router.builder()).build());
        Metadata md = Metadata.on(ep);
        md.fullUpdate(full).join();
        assertThat(md.getAll().join()).isEqualTo(full);
        md.partialUpdate(patch).join();
        ObjectNode expected = full.deepCopy();
        expected.setAll(patch);
        assertThat(md.getAll().join()).isEqualTo(expected);
        List<String> names = md.keys().join();
        assertThat(Set.copyOf(names)).isEqualTo(Set.copyOf(iterable(expected)));
        md.delete(names.get(0)).join();
        assertThat(md.get(names).join().has(names.get(0))).isFalse();
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    private static List<String> iterable(JsonNode o) {
        return o.properties().stream().map(java.util.Map.Entry::getKey).toList();
    }
}
