package io.kp1.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The level helpers behind the D4 topic length limit and the D1 digits test, at the edges of
 * each UTF-8 width and of the range they look at.
 */
class LevelsTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "a", "\u007f", "\u0080", "\u07ff", "\u0800", "\uffff", "\ud83d\ude00",
            "a\u00e9\u20ac\ud83d\ude00z", "\u07ff\u0800\u0080\u007f"})
    void utf8Length_wellFormed_equalsEncodedLength_D4(String s) {
        assertThat(Levels.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void utf8Length_eachWidthBoundary_countsOneToFourBytes_D4() {
        assertThat(Levels.utf8Length("\u007f")).isEqualTo(1);
        assertThat(Levels.utf8Length("\u0080")).isEqualTo(2);
        assertThat(Levels.utf8Length("\u07ff")).isEqualTo(2);
        assertThat(Levels.utf8Length("\u0800")).isEqualTo(3);
        assertThat(Levels.utf8Length("\ud83d\ude00")).isEqualTo(4);
    }

    @Test
    void utf8Length_loneSurrogates_countThreeBytesEach_D4() {
        assertThat(Levels.utf8Length("\ud83d")).isEqualTo(3);           // high surrogate at the end
        assertThat(Levels.utf8Length("a\ud83d")).isEqualTo(4);
        assertThat(Levels.utf8Length("\ude00")).isEqualTo(3);           // low surrogate alone
        assertThat(Levels.utf8Length("\ud83da")).isEqualTo(4);          // high surrogate before a non-surrogate
        assertThat(Levels.utf8Length("\ude00\ud83d")).isEqualTo(6);     // reversed pair
    }

    @Test
    void isDigits_emptyOrReversedRange_false_D1() {
        assertThat(Levels.isDigits("123", 1, 1)).isFalse();
        assertThat(Levels.isDigits("123", 2, 1)).isFalse();
    }

    @Test
    void isDigits_rangeOfDigitsInsideText_onlyRangeLooked_D1() {
        assertThat(Levels.isDigits("ab42/x", 2, 4)).isTrue();
        assertThat(Levels.isDigits("ab42/x", 2, 5)).isFalse();
        assertThat(Levels.isDigits("ab42/x", 1, 4)).isFalse();
        assertThat(Levels.isDigits("0", 0, 1)).isTrue();
        assertThat(Levels.isDigits("9", 0, 1)).isTrue();
        assertThat(Levels.isDigits("/", 0, 1)).isFalse(); // '0' - 1
        assertThat(Levels.isDigits(":", 0, 1)).isFalse(); // '9' + 1
    }
}
