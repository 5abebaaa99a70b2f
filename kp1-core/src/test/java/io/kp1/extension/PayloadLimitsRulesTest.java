package io.kp1.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.kp1.extension.cep.Commands;
import io.kp1.extension.cep.CommandQueue;
import io.kp1.extension.cmp.Configuration;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.extension.epmp.MetadataStore;
import io.kp1.extension.epmp.Metadata;
import io.kp1.server.Request;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import io.kp1.server.Outcome;
import io.kp1.server.Router;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PayloadLimits} through the extension routes (issue 7, "Bad input"): a request past the
 * size, depth or string-length limit is answered 400 with a K7 reason that names the limit, and
 * never reaches the host's sink, store or queue, however many arrive.
 */
class PayloadLimitsRulesTest {
    private static final PayloadLimits SMALL = new PayloadLimits(4, 16, 256);

    private final List<List<JsonNode>> received = new ArrayList<>();
    private final Router dcx = DataCollection.routes((req, samples) -> {
        received.add(samples);
        return CompletableFuture.completedFuture(null);
    }, SMALL).addTo(Router.builder()).build();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "maxBytes       | [\"" + "aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\","
                + "\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\","
                + "\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\",\"aaaaaaaaaaaaaaa\"] | bytes is over the limit of 256",
        "maxDepth       | [[[[[1]]]]]                                     | over a read limit",
        "maxStringLength | [\"aaaaaaaaaaaaaaaaa\"]                        | over a read limit",
        "propertyName   | [{\"aaaaaaaaaaaaaaaaa\":1}]                     | over a read limit",
    })
    void route_dcpRequestPastOneLimit_400NamingItAndSinkNeverCalled_2DCP(String limit, String body, String problem) {
        Outcome out = ExtensionFixtures.post(dcx, "dcx", "/json", body);

        assertThat(out.httpStatus()).isEqualTo(400);
        assertThat(out.reply().error().reasonPhrase()).startsWith("Invalid 2/DCP request").contains(problem)
                .endsWith("(2/DCP)");
        assertThat(received).isEmpty();
    }

    @Test
    void route_dcpRequestsAtEachLimit_accepted_2DCP() {
        assertThat(ExtensionFixtures.post(dcx, "dcx", "/json", "[[[1]]]").httpStatus()).isEqualTo(200);
        assertThat(ExtensionFixtures.post(dcx, "dcx", "/json", "[\"aaaaaaaaaaaaaaaa\"]").httpStatus()).isEqualTo(200);
        assertThat(received).hasSize(2);
    }

    @Test
    void route_100TimesTheLimitOfOversizedRequests_each400_nothingRetained_2DCP() {
        String body = "[" + "1,".repeat(100 * SMALL.maxBytes()) + "1]";
        for (int i = 0; i < 100; i++) {
            assertThat(ExtensionFixtures.post(dcx, "dcx", "/json", body).httpStatus()).isEqualTo(400);
        }
        assertThat(received).isEmpty();
    }

    @ParameterizedTest(name = "{0}{1}")
    @CsvSource(delimiter = '|', value = {
        "epmx | /update          | 10/EPMP",
        "cmx  | /applied/json/main | 7/CMP",
        "cex  | /result/reboot   | 11/CEP",
    })
    void route_otherExtensionsPastMaxBytes_400NamingTheLimit(String instance, String resource, String rule) {
        Router router = Metadata.routes(new NoStore(), SMALL)
                .addTo(Configuration.routes((req, name, body) -> CompletableFuture.completedFuture(null), SMALL)
                        .addTo(Commands.routes(new NoQueue(), SMALL).addTo(Router.builder())))
                .build();
        String body = "{\"name\":\"" + "a".repeat(300) + "\"}";

        Outcome out = ExtensionFixtures.post(router, instance, resource, body);

        assertThat(out.httpStatus()).isEqualTo(400);
        assertThat(out.reply().error().reasonPhrase()).contains("bytes is over the limit of 256").endsWith("(" + rule + ")");
    }

    /** Fails the test if a request past the limits reaches it. */
    private static final class NoStore implements MetadataStore {
        @Override
        public CompletionStage<ObjectNode> getAll(Request request) {
            throw new AssertionError("reached the store");
        }

        @Override
        public CompletionStage<Void> fullUpdate(Request request, ObjectNode metadata) {
            throw new AssertionError("reached the store");
        }

        @Override
        public CompletionStage<Void> partialUpdate(Request request, ObjectNode metadata) {
            throw new AssertionError("reached the store");
        }

        @Override
        public CompletionStage<Void> delete(Request request, Set<String> keys) {
            throw new AssertionError("reached the store");
        }
    }

    /** Fails the test if a request past the limits reaches it. */
    private static final class NoQueue implements CommandQueue {
        @Override
        public CompletionStage<List<io.kp1.extension.cep.Command>> pending(Request request, String type,
                                                                          Optional<Boolean> observe) {
            throw new AssertionError("reached the queue");
        }

        @Override
        public CompletionStage<Void> results(Request request, String type,
                                             List<io.kp1.extension.cep.CommandResult> results) {
            throw new AssertionError("reached the queue");
        }
    }
}
