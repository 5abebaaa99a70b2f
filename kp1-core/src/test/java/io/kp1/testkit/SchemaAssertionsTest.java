package io.kp1.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema helper itself: every RFC schema loads offline, and the helper can fail. */
class SchemaAssertionsTest {
    static final List<String> ALL = SchemaAssertions.ALL;

    @ParameterizedTest
    @FieldSource("ALL")
    void schema_everyRfcSchema_loadsOffline(String name) {
        assertThat(SchemaAssertions.schema(name)).isNotNull();
        assertThat(SchemaAssertions.schema(name)).isSameAs(SchemaAssertions.schema(name));
    }

    @Test
    void schema_unknownName_throws() {
        assertThatThrownBy(() -> SchemaAssertions.schema("0099-nothing.schema.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("No schema schemas/0099-nothing.schema.json on the class path");
    }

    @Test
    void errorResponse_rfcExampleShape_validAndBrokenOnesInvalid_K7() {
        SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, "{\"statusCode\":400,\"reasonPhrase\":\"x\"}");

        assertThat(SchemaAssertions.violations(SchemaAssertions.ERROR_RESPONSE, "{\"statusCode\":400}"))
                .singleElement().asString().contains("reasonPhrase");
        assertThat(SchemaAssertions.violations(SchemaAssertions.ERROR_RESPONSE,
                "{\"statusCode\":400,\"reasonPhrase\":\"x\",\"extra\":1}")).singleElement().asString().contains("extra");
        assertThatThrownBy(() -> SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, "{\"statusCode\":\"400\"}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("0001-error-response.schema.json");
        assertThatThrownBy(() -> SchemaAssertions.assertInvalid(SchemaAssertions.ERROR_RESPONSE,
                "{\"statusCode\":400,\"reasonPhrase\":\"x\"}")).isInstanceOf(AssertionError.class);
    }

    @Test
    void violations_notJsonNotUtf8DuplicateOrTrailing_reported() {
        String schema = SchemaAssertions.ERROR_RESPONSE;

        assertThat(SchemaAssertions.violations(schema, "")).containsExactly("not JSON: empty payload");
        assertThat(SchemaAssertions.violations(schema, "{")).singleElement().asString().startsWith("not JSON");
        assertThat(SchemaAssertions.violations(schema, "{\"statusCode\":1,\"statusCode\":2,\"reasonPhrase\":\"x\"}"))
                .singleElement().asString().startsWith("not JSON");
        assertThat(SchemaAssertions.violations(schema, "{\"statusCode\":1,\"reasonPhrase\":\"x\"} {}"))
                .singleElement().asString().startsWith("not JSON");
        assertThat(SchemaAssertions.violations(schema,
                "{\"statusCode\":1,\"reasonPhrase\":\"x\"}".getBytes(StandardCharsets.UTF_16LE))).isNotEmpty();
        assertThat(SchemaAssertions.violations(schema, new byte[] {'"', (byte) 0xC3, 0x28, '"'}))
                .singleElement().asString().startsWith("not UTF-8");
    }

    @Test
    void unversionedSchemas_readAsDraft04_examplesFromTheRfcs() {
        // 7/CMP, 11/CEP declare "http://json-schema.org/schema#"; their RFC examples must pass, broken ones fail.
        SchemaAssertions.assertValid(SchemaAssertions.CMP_CONFIG_REQUEST, "{\"observe\":true}");
        SchemaAssertions.assertValid(SchemaAssertions.CMP_CONFIG_REQUEST,
                "{\"configId\":\"97016dbe8bb4adff8f754ecbf24612f2\"}");
        SchemaAssertions.assertInvalid(SchemaAssertions.CMP_CONFIG_REQUEST, "{\"observe\":\"yes\"}");
        SchemaAssertions.assertValid(SchemaAssertions.CMP_APPLIED_REQUEST, "{\"configId\":\"97016dbe8bb4adff8f754ecbf24612f2\","
                + "\"statusCode\":400,\"reasonPhrase\":\"WPA2 is not supported\"}");
        SchemaAssertions.assertInvalid(SchemaAssertions.CMP_APPLIED_REQUEST, "{\"statusCode\":200}");
        SchemaAssertions.assertValid(SchemaAssertions.CEP_COMMAND_RESPONSE, "[{\"id\":1,\"payload\":{\"x\":1}}]");
        SchemaAssertions.assertInvalid(SchemaAssertions.CEP_COMMAND_RESPONSE, "[{\"payload\":1}]");
        SchemaAssertions.assertValid(SchemaAssertions.EPMP_DELETE_KEYS_REQUEST, "[\"location\",\"areaId\"]");
        SchemaAssertions.assertInvalid(SchemaAssertions.EPMP_DELETE_KEYS_REQUEST, "[]");
    }
}
