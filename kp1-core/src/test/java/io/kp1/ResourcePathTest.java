package io.kp1;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ResourcePath: factories, builders, accessors and the request-ID scope (K1, K4, D7, D8). */
class ResourcePathTest {

    @Test
    void of_resourceWithOrWithoutLeadingSlash_samePath_K1() {
        ResourcePath withSlash = ResourcePath.of("demo_v1", "cex", "JTjdbENzHh", "/command/reboot");
        ResourcePath withoutSlash = ResourcePath.of("demo_v1", "cex", "JTjdbENzHh", "command/reboot");

        assertThat(withSlash).isEqualTo(withoutSlash).hasSameHashCodeAs(withoutSlash);
        assertThat(withSlash.asString()).isEqualTo("kp1/demo_v1/cex/JTjdbENzHh/command/reboot");
        assertThat(withSlash.appVersion()).isEqualTo("demo_v1");
        assertThat(withSlash.extension()).isEqualTo("cex");
        assertThat(withSlash.endpointToken()).isEqualTo("JTjdbENzHh");
        assertThat(withSlash.hasEndpointToken()).isTrue();
        assertThat(withSlash.resource()).isEqualTo("/command/reboot");
        assertThat(withSlash.resourceSegments()).containsExactly("command", "reboot");
    }

    @Test
    void of_emptyResource_pathEndsAtToken_K1() {
        ResourcePath p = ResourcePath.of("app", "dcx", "tok", "");

        assertThat(p.asString()).isEqualTo("kp1/app/dcx/tok");
        assertThat(p.resource()).isEmpty();
        assertThat(p.resourceSegments()).isEmpty();
        assertThat(p.endsWithDigitsLevel()).isFalse();
        assertThat(Topic.parseRequest("kp1/app/dcx/tok").path()).isEqualTo(p);
    }

    @Test
    void of_nullResource_throwsNullPointer() {
        assertThatThrownBy(() -> ResourcePath.of("app", "dcx", "tok", null))
                .isExactlyInstanceOf(NullPointerException.class).hasMessage("resource must not be null");
        assertThatThrownBy(() -> ResourcePath.builder(null, "dcx"))
                .isExactlyInstanceOf(NullPointerException.class).hasMessage("application version must not be null");
    }

    @Test
    void builder_segments_equalToResourceString() {
        ResourcePath bySegments = ResourcePath.builder("demo_v1", "cex").endpointToken("tok")
                .addSegment("command").addSegment("reboot").build();

        assertThat(bySegments).isEqualTo(ResourcePath.of("demo_v1", "cex", "tok", "/command/reboot"));
        assertThat(bySegments.resourceSegments()).containsExactly("command", "reboot");
    }

    @Test
    void builder_resource_replacesSegments() {
        ResourcePath p = ResourcePath.builder("app", "cmx").endpointToken("tok")
                .addSegment("old").resource("/config/json/main").build();

        assertThat(p.resource()).isEqualTo("/config/json/main");
        assertThat(ResourcePath.builder("app", "cmx").endpointToken("tok").addSegment("x").resource("").build()
                .resource()).isEmpty();
    }

    @Test
    void resourceSegments_isUnmodifiable() {
        List<String> segments = ResourcePath.of("app", "dcx", "tok", "/a/b").resourceSegments();

        assertThatThrownBy(() -> segments.add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void newBuilder_unchanged_roundTrips() {
        ResourcePath p = ResourcePath.of("app", "cmx", "tok", "/config/json/main");

        assertThat(p.newBuilder().build()).isEqualTo(p);
    }

    @Test
    void newBuilder_edited_leavesOriginalAlone() {
        ResourcePath p = ResourcePath.of("app", "cmx", "tok", "/config/json");

        ResourcePath named = p.newBuilder().addSegment("main").build();
        ResourcePath otherEndpoint = p.newBuilder().endpointToken("tok2").build();
        ResourcePath unaware = p.newBuilder().endpointToken(null).build();

        assertThat(named.asString()).isEqualTo("kp1/app/cmx/tok/config/json/main");
        assertThat(otherEndpoint.asString()).isEqualTo("kp1/app/cmx/tok2/config/json");
        assertThat(unaware.asString()).isEqualTo("kp1/app/cmx/config/json");
        assertThat(unaware.hasEndpointToken()).isFalse();
        assertThat(p.asString()).isEqualTo("kp1/app/cmx/tok/config/json");
    }

    @Test
    void newBuilder_endpointUnawarePath_staysUnaware_D7() {
        ResourcePath p = ResourcePath.of("app", "registry", null, "/json");

        assertThat(p.newBuilder().build()).isEqualTo(p);
        assertThat(p.newBuilder().build().hasEndpointToken()).isFalse();
    }

    @Test
    void endpointUnaware_noTokenLevel_parsedByConfiguredParser_D7() {
        TopicParser parser = TopicParser.builder().endpointUnaware(List.of("registry", "epr")).build();
        ResourcePath p = ResourcePath.builder("app", "registry").addSegment("json").build();

        Topic t = Topic.request(p, 7);
        Topic parsed = parser.parseRequest(t.name());

        assertThat(p.asString()).isEqualTo("kp1/app/registry/json");
        assertThat(p.endpointToken()).isNull();
        assertThat(p.hasEndpointToken()).isFalse();
        assertThat(p.resource()).isEqualTo("/json");
        assertThat(parsed).isEqualTo(t);
        assertThat(parsed.path()).isEqualTo(p);
        assertThat(parser.parseReply(t.statusTopic().name())).isEqualTo(t.statusTopic());
        assertThat(parser.isEndpointAware("epr")).isFalse();
        // Without the configuration the same text reads "json" as a token: a different path.
        assertThat(Topic.parseRequest(t.name()).path()).isNotEqualTo(p);
        assertThat(Topic.parseRequest(t.name()).path().endpointToken()).isEqualTo("json");
    }

    @Test
    void equals_awareAndUnawareWithSameText_notEqual_D7() {
        ResourcePath aware = ResourcePath.of("app", "registry", "json", "");
        ResourcePath unaware = ResourcePath.of("app", "registry", null, "/json");

        assertThat(aware.asString()).isEqualTo(unaware.asString());
        assertThat(aware).isNotEqualTo(unaware);
    }

    @Test
    void equals_parsedAndBuilt_equalWithSameHash() {
        ResourcePath built = ResourcePath.of("app", "dcx", "tok", "/json");
        ResourcePath parsed = Topic.parseRequest("kp1/app/dcx/tok/json/42").path();

        assertThat(parsed).isEqualTo(built).hasSameHashCodeAs(built);
        assertThat(parsed).isNotEqualTo("kp1/app/dcx/tok/json");
    }

    @Test
    void sameScope_sameEndpointOtherResource_trueWithEqualHash_K4() {
        ResourcePath json = ResourcePath.of("app", "dcx", "tok", "/json");
        ResourcePath update = ResourcePath.of("app", "dcx", "tok", "/update/keys");
        ResourcePath parsed = Topic.parseReply("kp1/app/dcx/tok/other/9/status").path();

        assertThat(json.sameScope(update)).isTrue();
        assertThat(update.sameScope(json)).isTrue();
        assertThat(json.sameScope(parsed)).isTrue();
        assertThat(json.scopeHash()).isEqualTo(update.scopeHash()).isEqualTo(parsed.scopeHash());
        assertThat(json.sameScope(ResourcePath.of("app", "dcx", "tok", ""))).isTrue();
    }

    @Test
    void sameScope_otherTokenExtensionOrApp_false_K4() {
        ResourcePath p = ResourcePath.of("app", "dcx", "tok", "/json");

        assertThat(p.sameScope(ResourcePath.of("app", "dcx", "tok2", "/json"))).isFalse();
        assertThat(p.sameScope(ResourcePath.of("app", "dcx", "to", "/json"))).isFalse();
        assertThat(p.sameScope(ResourcePath.of("app", "dcy", "tok", "/json"))).isFalse();
        assertThat(p.sameScope(ResourcePath.of("apq", "dcx", "tok", "/json"))).isFalse();
        assertThat(p.sameScope(ResourcePath.of("app", "dcx", null, "/tok/json"))).isFalse();
    }

    @Test
    void sameScope_endpointUnaware_comparesAppAndExtension_K4() {
        ResourcePath a = ResourcePath.of("app", "registry", null, "/a");
        ResourcePath b = ResourcePath.of("app", "registry", null, "/b/c");

        assertThat(a.sameScope(b)).isTrue();
        assertThat(a.scopeHash()).isEqualTo(b.scopeHash());
        assertThat(a.sameScope(ResourcePath.of("app", "registry", "a", ""))).isFalse();
    }

    @Test
    void endsWithDigitsLevel_digitsOnlyLastLevel_D1_D8() {
        assertThat(ResourcePath.of("app", "dcx", "tok", "/protobuf/17").endsWithDigitsLevel()).isTrue();
        assertThat(ResourcePath.of("app", "dcx", "tok", "/0").endsWithDigitsLevel()).isTrue();
        assertThat(ResourcePath.of("app", "dcx", "12345", "").endsWithDigitsLevel()).isTrue();
        assertThat(ResourcePath.of("app", "123", null, "").endsWithDigitsLevel()).isTrue();
        assertThat(ResourcePath.of("app", "dcx", "tok", "/json").endsWithDigitsLevel()).isFalse();
        assertThat(ResourcePath.of("app", "dcx", "tok", "/17a").endsWithDigitsLevel()).isFalse();
        assertThat(ResourcePath.of("app", "dcx", "tok", "/\u0661\u0662").endsWithDigitsLevel()).isFalse();
        assertThat(ResourcePath.of("app", "dcx", "tok", "/17/json").endsWithDigitsLevel()).isFalse();
    }

    @Test
    void endsWithDigitsLevel_pathParsedFromTopicWithId_looksOnlyAtPath_D1_D8() {
        assertThat(Topic.parseRequest("kp1/app/cex/tok/reboot/7/42").path().endsWithDigitsLevel()).isTrue();
        assertThat(Topic.parseReply("kp1/app/cex/tok/reboot/7/42/status").path().endsWithDigitsLevel()).isTrue();
        assertThat(Topic.parseRequest("kp1/app/cex/tok/reboot/42").path().endsWithDigitsLevel()).isFalse();
    }

    @Test
    void resourceSegments_pathParsedFromTopicWithIdOrSuffix_stopsBeforeId_K14() {
        assertThat(Topic.parseRequest("kp1/app/cex/tok/command/reboot/6").path().resourceSegments())
                .containsExactly("command", "reboot");
        assertThat(Topic.parseReply("kp1/app/cex/tok/command/reboot/6/status").path().resourceSegments())
                .containsExactly("command", "reboot");
        assertThat(Topic.parseRequest("kp1/app/cex/tok/reboot/6").path().resourceSegments())
                .containsExactly("reboot");
    }

    @Test
    void textEquals_builtPathsOtherResource_false() {
        ResourcePath json = ResourcePath.of("app", "dcx", "tok", "/json");
        ResourcePath protobuf = ResourcePath.of("app", "dcx", "tok", "/protobuf");
        json.asString();
        protobuf.asString();

        assertThat(json.textEquals(protobuf)).isFalse();
        assertThat(json).isNotEqualTo(protobuf);
        assertThat(json.textEquals(ResourcePath.of("app", "dcx", "tok", "json"))).isTrue();
    }
}
