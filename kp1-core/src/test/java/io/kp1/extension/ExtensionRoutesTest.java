package io.kp1.extension;

import io.kp1.ErrorResponse;
import io.kp1.extension.cep.Commands;
import io.kp1.extension.cmp.ConfigResponse;
import io.kp1.extension.cmp.Configuration;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.extension.epmp.Metadata;
import io.kp1.server.Router;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared pieces: routes of each protocol, the error exception, the limits. */
class ExtensionRoutesTest {
    private final ExtensionRoutes dcp = DataCollection.routes((r, s) -> CompletableFuture.completedFuture(null));
    private final ExtensionRoutes cmp = Configuration.routes((r, n, b) ->
            CompletableFuture.completedFuture(ConfigResponse.absent()));

    @Test
    void routes_patternsAndDefaultInstances() {
        assertThat(dcp.defaultInstance()).isEqualTo("dcx");
        assertThat(dcp.handlers()).containsOnlyKeys("/json");
        assertThat(cmp.defaultInstance()).isEqualTo("cmx");
        assertThat(cmp.handlers().keySet()).containsExactly("/config/json", "/config/json/{name}", "/applied/json",
                "/applied/json/{name}");
        assertThat(Metadata.routes(new io.kp1.extension.epmp.MetadataStoreStub()).handlers().keySet())
                .containsExactly("/get/keys", "/get", "/update", "/update/keys", "/delete/keys");
        assertThat(Commands.routes(new io.kp1.extension.cep.CommandQueueStub()).handlers().keySet())
                .containsExactly("/command/{type}", "/result/{type}");
    }

    @Test
    void addTo_allProtocolsOnOneRouter_andPerAppVersion() {
        Router.Builder b = Router.builder();
        dcp.addTo(b);
        cmp.addTo(b);
        cmp.addTo(b, "cmx2");
        dcp.handlers().forEach((pattern, h) -> b.onAppVersion("kettle_v2", "dcx", pattern, h));
        Router router = b.build();
        assertThat(router.extensions()).containsExactly("dcx", "cmx", "cmx2");
        assertThatThrownBy(() -> dcp.addTo(b)).as("a route the builder already has")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kp1ErrorException_messagesAndAccessors() {
        Kp1ErrorException server = new Kp1ErrorException(403, "Key serial is read-only");
        assertThat(server.getMessage()).isEqualTo("Error reply: 403 Key serial is read-only (K7)");
        assertThat(server.extension()).isNull();
        Kp1ErrorException client = new Kp1ErrorException(ErrorResponse.of(404, "Unknown resource"), "epmx", "/get");
        assertThat(client.getMessage()).isEqualTo("Error reply from epmx /get: 404 Unknown resource (K7)");
        assertThat(client.statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> new Kp1ErrorException(42, "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void payloadLimits_boundsChecked() {
        assertThat(PayloadLimits.DEFAULTS).isEqualTo(new PayloadLimits(64, 262_144, 1_048_576));
        assertThatThrownBy(() -> new PayloadLimits(1, 1, 2)).hasMessageContaining("maxDepth");
        assertThatThrownBy(() -> new PayloadLimits(2, 0, 2)).hasMessageContaining("maxStringLength");
        assertThatThrownBy(() -> new PayloadLimits(2, 1, 1)).hasMessageContaining("maxBytes");
    }
}
