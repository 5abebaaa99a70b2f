package io.kp1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The public redaction helpers that the bindings use for their logs (D16). */
class RedactionApiTest {

    @Test
    void redact_requestTopic_tokenLevelRedacted_D16() {
        assertThat(Topic.redact("kp1/demo_v1/dcx/JTjdbENzHh/json/42")).isEqualTo("kp1/demo_v1/dcx/JT******Hh/json/42");
    }

    @Test
    void redact_filterWithWildcardLevels_keptReadable_D16() {
        assertThat(Topic.redact("kp1/+/dcx/#")).isEqualTo("kp1/+/dcx/#");
        assertThat(Topic.redact("kp1/app/dcx/+/json/#")).isEqualTo("kp1/app/dcx/+/json/#");
    }

    @Test
    void redact_tokenStartingWithWildcardCharacter_stillRedacted_D16() {
        assertThat(Topic.redact("kp1/app/dcx/+JTjdbENzH/json")).isEqualTo("kp1/app/dcx/+J******zH/json");
    }

    @Test
    void redact_null_saysNull() {
        assertThat(Topic.redact(null)).isEqualTo("null");
        assertThat(ResourcePath.redactToken(null)).isEqualTo("null");
    }

    @Test
    void redactToken_longAndShort_D16() {
        assertThat(ResourcePath.redactToken("JTjdbENzHh")).isEqualTo("JT******Hh");
        assertThat(ResourcePath.redactToken("abc")).isEqualTo("***");
    }
}
