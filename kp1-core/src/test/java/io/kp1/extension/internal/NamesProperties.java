package io.kp1.extension.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The name rules agree with the regular expressions of KP1.md on any string. */
class NamesProperties {
    private static final Pattern KEY = Pattern.compile(Names.METADATA_KEY_PATTERN);
    private static final Pattern NAME = Pattern.compile(Names.NAME_PATTERN);

    @Provide
    Arbitrary<String> nearNames() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("aZ09_-. /+#é\u0000").ofMaxLength(6),
                Arbitraries.strings().all().ofMaxLength(6));
    }

    @Property(tries = 500)
    void isMetadataKey_anyString_agreesWithTheRfcPattern(@ForAll("nearNames") String s) {
        assertThat(Names.isMetadataKey(s)).as("10/EPMP key %s", s).isEqualTo(KEY.matcher(s).matches());
    }

    @Property(tries = 500)
    void isName_anyString_agreesWithTheKp1Pattern(@ForAll("nearNames") String s) {
        assertThat(Names.isName(s)).as("7/CMP name, 11/CEP type %s", s).isEqualTo(NAME.matcher(s).matches());
    }

    @Property(tries = 300)
    void checkMetadataKey_invalidKey_throwsNamingRule(@ForAll("nearNames") String s) {
        if (KEY.matcher(s).matches()) {
            assertThat(Names.checkMetadataKey(s)).isEqualTo(s);
        } else {
            assertThatThrownBy(() -> Names.checkMetadataKey(s)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid metadata key \"").hasMessageEndingWith("(10/EPMP)");
        }
    }

    @Property(tries = 300)
    void checkCommandType_invalidType_throwsNamingRule(@ForAll("nearNames") String s) {
        if (NAME.matcher(s).matches()) {
            assertThat(Names.checkCommandType(s)).isEqualTo(s);
        } else {
            assertThatThrownBy(() -> Names.checkCommandType(s)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("(11/CEP)");
        }
    }
}
