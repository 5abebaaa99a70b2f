package io.kp1.http;

import io.kp1.InvalidTopicException;
import io.kp1.ResourcePath;
import io.kp1.client.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client's URLs (K12, D9) and the requests it refuses before sending anything (D8, D9, K12). */
class Kp1HttpClientTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Kp1HttpClient client(String base) {
        return Kp1HttpClient.builder(HTTP, URI.create(base)).build();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "https://host/kpc | /json | https://host/kpc/kp1/demo_v1/dcx/JTjdbENzHh/json",
        "https://host/kpc/ | /json | https://host/kpc/kp1/demo_v1/dcx/JTjdbENzHh/json",
        "http://127.0.0.1:8080 | /json | http://127.0.0.1:8080/kp1/demo_v1/dcx/JTjdbENzHh/json",
        "http://127.0.0.1:8080/ | /get/keys | http://127.0.0.1:8080/kp1/demo_v1/dcx/JTjdbENzHh/get/keys",
        "https://host/a%20b/kpc | /json | https://host/a%20b/kpc/kp1/demo_v1/dcx/JTjdbENzHh/json",
    })
    void uriOf_basePrefixes_keptAsGiven_K12(String base, String resource, String expected) {
        assertThat(client(base).uriOf(ResourcePath.of("demo_v1", "dcx", "JTjdbENzHh", resource)))
                .isEqualTo(URI.create(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a b | a%20b",
        "\u00e9t\u00e9 | %C3%A9t%C3%A9",
        "\u6e2c | %E6%B8%AC",
        "\uD83D\uDE00 | %F0%9F%98%80",
        "%2F | %252F",
        "a;b=c | a%3Bb%3Dc",
        "x?y | x%3Fy",
        "A-z_0.9~ | A-z_0.9~",
        "'\"<>\\^`{|}' | %22%3C%3E%5C%5E%60%7B%7C%7D",
    })
    void uriOf_eachLevelPercentEncodedAsUtf8_D9(String level, String encoded) {
        ResourcePath p = ResourcePath.builder(level, level).endpointToken(level).addSegment(level).build();
        assertThat(client("https://host").uriOf(p).toString())
                .isEqualTo("https://host/kp1/" + encoded + "/" + encoded + "/" + encoded + "/" + encoded);
    }

    @Test
    void uriOf_endpointUnawarePath_noTokenLevel_D7() {
        assertThat(client("https://host/kpc").uriOf(ResourcePath.of("app", "registry", null, "/items")).toString())
                .isEqualTo("https://host/kpc/kp1/app/registry/items");
    }

    @Test
    void uriOf_digitsOnlyLastLevel_refusedBeforeSending_D8_D9() {
        assertThatThrownBy(() -> client("https://host").uriOf(ResourcePath.of("app", "cmx", "JTjdbENzHh", "/config/42")))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Invalid 1/KP resource path \"kp1/app/cmx/JT******Hh/config/42\": digits-only last level "
                        + "would parse as a request ID at index 30, the HTTP client sends no request ID, so the server "
                        + "would take this level for one (D9) (D8)");
    }

    @Test
    void request_digitsOnlyToken_refusedBeforeSending_D8_D9() {
        Endpoint e = client("https://host").endpoint("app", "12345678");
        assertThatThrownBy(() -> e.request("dcx", "", new byte[0]))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("digits-only last level");
    }

    @ParameterizedTest
    @ValueSource(strings = {".", ".."})
    void request_dotLevel_refusedBeforeSending_D9(String level) {
        Endpoint e = client("https://host").endpoint("app", "JTjdbENzHh");
        assertThatThrownBy(() -> e.request("dcx", "/" + level + "/json", new byte[0]))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessage("Invalid 1/KP resource path \"kp1/app/dcx/JT******Hh/" + level + "/json\": dot segment at "
                        + "index 23, HTTP servers refuse or remove . and .. path segments (D9)");
    }

    @Test
    void endpoint_dotToken_refused_D9() {
        assertThatThrownBy(() -> client("https://host").endpoint("app", ".."))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("dot segment");
    }

    @Test
    void request_invalidLevel_refusedWithCoreRule_D3() {
        Endpoint e = client("https://host").endpoint("app", "JTjdbENzHh");
        assertThatThrownBy(() -> e.request("dcx", "/a//b", new byte[0])).isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("(D3)");
    }

    @Test
    void observeAndOnPush_unsupportedOverHttp_K12() {
        Endpoint e = client("https://host").endpoint("app", "JTjdbENzHh");
        assertThat(e.supportsObserve()).isFalse();
        assertThatThrownBy(() -> e.observe("cmx", "/config/json", new byte[0], r -> { }))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("(K12)");
        assertThatThrownBy(() -> e.onPush("cex", "/command/reboot", r -> { }))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("(K12)");
    }

    @Test
    void endpoint_toString_redactsToken_D16() {
        Endpoint e = client("https://host").endpoint("app", "JTjdbENzHh");
        assertThat(e.toString()).contains("JT******Hh").doesNotContain("JTjdbENzHh");
        assertThat(e.endpointToken()).isEqualTo("JTjdbENzHh");
        assertThat(e.appVersion()).isEqualTo("app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kpc", "/kpc", "ftp://host/kpc", "https://host/kpc?x=1", "https://host/kpc#f", "mailto:a@b"})
    void builder_baseUriNotHttpOrWithQuery_refused(String base) {
        assertThatThrownBy(() -> Kp1HttpClient.builder(HTTP, URI.create(base)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Base URI");
    }

    @Test
    void builder_nonPositiveTimeout_refused() {
        Kp1HttpClient.Builder b = Kp1HttpClient.builder(HTTP, URI.create("https://host"));
        assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.build().requestTimeout()).isEqualTo(Kp1HttpClient.DEFAULT_REQUEST_TIMEOUT);
    }
}
