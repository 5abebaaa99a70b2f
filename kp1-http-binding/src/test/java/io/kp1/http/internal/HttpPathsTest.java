package io.kp1.http.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Strict per-segment percent-decoding (D9) and the client's encoding, both ways. */
class HttpPathsTest {
    private static String decode(String raw) {
        return HttpPaths.decodeSegment(raw, 0, raw.length(), new int[1]);
    }

    private static int errorAt(String raw) {
        int[] at = {-1};
        assertThat(HttpPaths.decodeSegment(raw, 0, raw.length(), at)).as("decoding %s", raw).isNull();
        return at[0];
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "json | json",
        "a%20b | a b",
        "%C3%A9t%C3%A9 | \u00e9t\u00e9",
        "%c3%a9 | \u00e9",
        "%E6%B8%AC | \u6e2c",
        "%F0%9F%98%80 | \uD83D\uDE00",
        "%252F | %2F",
        "%2F | /",
        "a+b | a+b",
        "%2E%2e | ..",
        "~!$&()*,;=:@ | ~!$&()*,;=:@",
    })
    void decodeSegment_valid_decodedAsUtf8_D9(String raw, String decoded) {
        assertThat(decode(raw)).isEqualTo(decoded);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%ZZ | 0",
        "ab% | 2",
        "ab%4 | 2",
        "%4g | 0",
        "x%\u0661\u0662 | 2",
        "%C3%28 | 0",
        "%FF | 0",
        "%C0%AF | 0",
        "%ED%A0%80 | 0",
        "ok%E6%B8 | 2",
        "%80 | 0",
        "a b | 1",
        "a\u00e9 | 1",
        "a\tb | 1",
        "a\u007fb | 1",
    })
    void decodeSegment_malformed_nullWithIndex_D9(String raw, int index) {
        assertThat(errorAt(raw)).isEqualTo(index);
    }

    @Property(tries = 500)
    void appendEncoded_thenDecode_roundTrips_D9(@ForAll String level) {
        // Any valid UTF-16 text (jqwik's strings may hold lone surrogates: those are not levels, D4).
        if (!level.codePoints().allMatch(cp -> cp < 0xD800 || cp > 0xDFFF)) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        HttpPaths.appendEncoded(sb, level);
        String encoded = sb.toString();
        assertThat(encoded).matches("[A-Za-z0-9._~%-]*");
        assertThat(decode(encoded)).isEqualTo(level);
    }
}
