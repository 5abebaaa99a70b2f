package io.kp1.extension.cmp;

import com.fasterxml.jackson.databind.JsonNode;
import io.kp1.extension.InMemoryEndpoint;
import io.kp1.extension.JsonArbitraries;
import io.kp1.server.Router;
import io.kp1.testkit.SchemaAssertions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 7/CMP properties: every payload written is schema-valid and reads back equal; name rules. */
class ConfigurationProperties {
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_-]+$");

    @Provide
    Arbitrary<String> ids() {
        return JsonArbitraries.strings();
    }

    @Provide
    Arbitrary<JsonNode> configs() {
        return JsonArbitraries.values(3);
    }

    @Property(tries = 300)
    void configResponse_anyConfig_schemaValidAndReadsBack(@ForAll("ids") String id, @ForAll("configs") JsonNode config) {
        if (id.isEmpty() && !config.isNull()) {
            assertThatThrownBy(() -> ConfigResponse.of(id, config)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        ConfigResponse r = ConfigResponse.of(id, config);
        byte[] json = r.toJson();
        SchemaAssertions.assertValid(SchemaAssertions.CMP_CONFIG_RESPONSE, json);
        assertThat(ConfigResponse.fromJson(json)).isEqualTo(r);
    }

    @Property(tries = 200)
    void configRequest_anyFields_schemaValidAndReadsBack(@ForAll("maybeIds") Optional<String> id,
            @ForAll Optional<Boolean> observe) {
        ConfigRequest r = ConfigRequest.of();
        if (id.isPresent()) {
            r = r.withConfigId(id.get());
        }
        if (observe.isPresent()) {
            r = r.withObserve(observe.get());
        }
        byte[] json = r.toJson();
        SchemaAssertions.assertValid(SchemaAssertions.CMP_CONFIG_REQUEST, json);
        assertThat(ConfigRequest.fromJson(json)).isEqualTo(r);
    }

    @Provide
    Arbitrary<Optional<String>> maybeIds() {
        return ids().optional();
    }

    @Property(tries = 200)
    void appliedReport_appliedOrRejected_schemaValidAndReadsBack(@ForAll("ids") String id,
            @ForAll @IntRange(min = 100, max = 599) int status, @ForAll("ids") String reason) {
        AppliedReport r = status >= 200 && status < 300 ? AppliedReport.applied(id)
                : AppliedReport.rejected(id, status, reason);
        byte[] json = r.toJson();
        SchemaAssertions.assertValid(SchemaAssertions.CMP_APPLIED_REQUEST, json);
        assertThat(AppliedReport.fromJson(json)).isEqualTo(r);
        assertThat(AppliedReport.fromJson(json).isApplied()).isEqualTo(status >= 200 && status < 300);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("aZ9_-").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().withChars("aZ9_- ./+#é").ofMaxLength(5));
    }

    @Property(tries = 300)
    void named_anyName_acceptedIffPatternMatches_andServerAgrees(@ForAll("names") String name) {
        Router router = Configuration.routes((req, n, body) -> CompletableFuture.completedFuture(
                ConfigResponse.of("id-" + n, com.fasterxml.jackson.databind.node.NullNode.getInstance())))
                .addTo(Router.builder()).build();
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        if (name.isEmpty() || NAME.matcher(name).matches()) {
            assertThat(Configuration.on(ep).named(name).get().join().configId()).isEqualTo("id-" + name);
        } else {
            assertThatThrownBy(() -> Configuration.on(ep).named(name)).isInstanceOf(IllegalArgumentException.class);
            assertThat(Configuration.isValidName(name)).isFalse();
        }
    }
}
