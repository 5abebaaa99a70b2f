package io.kp1.mqtt.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void redact_kp1Topic_tokenLevelRedacted_D16() {
        assertThat(Topics.redact("kp1/demo_v1/dcx/JTjdbENzHh/json/42"))
                .isEqualTo("\"kp1/demo_v1/dcx/JT******Hh/json/42\"");
    }

    @Test
    void redact_shortToken_allStars_D16() {
        assertThat(Topics.redact("kp1/app/dcx/abc/json")).isEqualTo("\"kp1/app/dcx/***/json\"");
    }

    @Test
    void redact_fewerThanFourLevels_unchanged() {
        assertThat(Topics.redact("kp1/app/dcx")).isEqualTo("\"kp1/app/dcx\"");
        assertThat(Topics.redact("")).isEqualTo("\"\"");
        assertThat(Topics.redact("kp1/#")).isEqualTo("\"kp1/#\"");
    }

    @Test
    void redact_tokenIsLastLevel_redacted_D16() {
        assertThat(Topics.redact("kp1/app/dcx/JTjdbENzHh")).isEqualTo("\"kp1/app/dcx/JT******Hh\"");
    }

    @Test
    void redact_controlCharacters_escaped() {
        assertThat(Topics.redact("a\nb/\"q\"")).isEqualTo("\"a\\u000ab/\\u0022q\\u0022\"");
    }

    @Test
    void redact_longInput_cutWithLength() {
        String longTopic = "kp1/app/dcx/JTjdbENzHh/" + "x".repeat(500);
        assertThat(Topics.redact(longTopic)).endsWith("...(" + longTopic.length() + " chars)\"").doesNotContain("JTjdbENzHh");
    }

    @Test
    void redact_filterWithWildcardInTokenLevel_keptReadable() {
        assertThat(Topics.redact("kp1/+/dcx/#")).isEqualTo("\"kp1/+/dcx/#\"");
        assertThat(Topics.redact("kp1/app/dcx/+/json/#")).isEqualTo("\"kp1/app/dcx/+/json/#\"");
    }

    @Test
    void redact_null_saysNull() {
        assertThat(Topics.redact(null)).isEqualTo("null");
    }

    @Property
    void redact_anyTokenOfEightOrMore_neverAppearsWhole_D16(@ForAll @AlphaChars @StringLength(min = 8, max = 64) String token) {
        assertThat(Topics.redact("kp1/app/dcx/" + token + "/json")).doesNotContain(token);
    }
}
