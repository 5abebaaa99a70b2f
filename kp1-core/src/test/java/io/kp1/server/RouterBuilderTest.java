package io.kp1.server;

import io.kp1.Reply;
import io.kp1.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Build-time checks of {@link Router.Builder}: bad patterns, duplicates and conflicts fail with a clear message. */
class RouterBuilderTest {
    private static final Router.Handler OK = req -> CompletableFuture.completedFuture(Reply.ok());

    @Test
    void on_samePatternTwice_throwsDuplicateNamingRoute() {
        Router.Builder b = Router.builder().on("dcx", "/json", OK);

        assertThatThrownBy(() -> b.on("dcx", "/json", OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Duplicate route dcx /json: already declared");
    }

    @Test
    void on_samePatternOtherVariableName_throwsConflictNamingBoth() {
        Router.Builder b = Router.builder().on("cex", "/command/{type}", OK);

        assertThatThrownBy(() -> b.on("cex", "/command/{name}", OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Route cex /command/{name} conflicts with cex /command/{type}: both match the same paths"
                        + " (they differ only in variable names)");
    }

    @Test
    void on_rootAsSlashAndAsEmpty_throwsDuplicate() {
        Router.Builder b = Router.builder().on("ping", "", OK);

        assertThatThrownBy(() -> b.on("ping", "/", OK)).hasMessageContaining("Duplicate route ping \"\"");
    }

    @Test
    void on_samePatternOtherExtensionOrVersion_allowed() {
        Router r = Router.builder()
                .on("dcx", "/json", OK)
                .on("dcx2", "/json", OK)
                .onAppVersion("v2", "dcx", "/json", OK)
                .onAppVersion("v3", "dcx", "/json", OK)
                .on("cex", "/command/{type}", OK)
                .on("cex", "/command/reboot", OK) // overlapping, not conflicting: the literal wins
                .build();

        assertThat(r.extensions()).containsExactly("dcx", "dcx2", "cex");
    }

    @Test
    void onAppVersion_sameVersionTwice_throwsDuplicate() {
        Router.Builder b = Router.builder().onAppVersion("v2", "dcx", "/json", OK);

        assertThatThrownBy(() -> b.onAppVersion("v2", "dcx", "/json", OK))
                .hasMessage("Duplicate route v2 dcx /json: already declared");
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', value = {
        "json            | must start with '/' (or be \"\" for no resource levels) at index 0",
        "/config//json   | empty level (D3) at index 8",
        "/json/          | empty level (D3) at index 6",
        "/a/{}/b         | variable name \"\" must match [A-Za-z_][A-Za-z0-9_]* at index 3",
        "/a/{1x}         | variable name \"1x\" must match [A-Za-z_][A-Za-z0-9_]* at index 3",
        "/a/{x-y}        | variable name \"x-y\" must match [A-Za-z_][A-Za-z0-9_]* at index 3",
        "/a/x{y}         | a variable must be a whole level, like /command/{type} at index 4",
        "/a/{y           | a variable must be a whole level, like /command/{type} at index 3",
        "/{x}/{x}        | variable {x} appears twice at index 5",
        "/a/+            | wildcard character (D4) at index 3",
        "/a/#/b          | wildcard character (D4) at index 3",
        "/protobuf/42    | a digits-only last level can never match: it is read as a request ID (K4, D1) at index 10",
    })
    void on_invalidPattern_throwsNamingPatternPositionAndRule(String pattern, String why) {
        assertThatThrownBy(() -> Router.builder().on("cmx", pattern, OK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid route pattern \"" + pattern + "\" for extension instance cmx: " + why);
    }

    @Test
    void on_digitsLevelNotLast_allowed() {
        Router r = Router.builder().on("x", "/v/2/json", OK).build();

        Outcome out = r.route(Request.fromMqtt(Topic.parseRequest("kp1/app/x/tok/v/2/json/1"), new byte[0], 0))
                .toCompletableFuture().join();
        assertThat(out.isSuccess()).isTrue();
    }

    @Test
    void on_invalidExtensionName_throwsNamingRule() {
        assertThatThrownBy(() -> Router.builder().on("", "/json", OK)).hasMessageContaining("empty level");
        assertThatThrownBy(() -> Router.builder().on("d/x", "/json", OK)).hasMessageContaining("'/'");
        assertThatThrownBy(() -> Router.builder().on("d+", "/json", OK)).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> Router.builder().onAppVersion("a#", "dcx", "/json", OK))
                .hasMessageContaining("wildcard");
    }

    @Test
    void on_nullArguments_throwNpeNamingArgument() {
        assertThatThrownBy(() -> Router.builder().on("dcx", "/json", null)).hasMessageContaining("handler");
        assertThatThrownBy(() -> Router.builder().on("dcx", null, OK)).hasMessageContaining("pattern");
        assertThatThrownBy(() -> Router.builder().on(null, "/json", OK)).hasMessageContaining("extension");
    }

    @Test
    void build_builderReusedAfterBuild_firstRouterUnchanged() {
        Router.Builder b = Router.builder().on("dcx", "/json", OK);
        Router first = b.build();
        b.on("dcx", "/other", OK);
        Router second = b.build();

        Request other = Request.fromMqtt(Topic.parseRequest("kp1/app/dcx/tok/other/1"), new byte[0], 0);
        assertThat(first.route(other).toCompletableFuture().join().httpStatus()).isEqualTo(404);
        assertThat(second.route(other).toCompletableFuture().join().httpStatus()).isEqualTo(200);
    }

    @Test
    void build_noRoutes_everyRequest404() {
        Router empty = Router.builder().build();

        Outcome out = empty.route(Request.fromMqtt(Topic.parseRequest("kp1/app/dcx/tok/json/1"), new byte[0], 0))
                .toCompletableFuture().join();
        assertThat(empty.extensions()).isEmpty();
        assertThat(out.httpStatus()).isEqualTo(404);
    }
}
