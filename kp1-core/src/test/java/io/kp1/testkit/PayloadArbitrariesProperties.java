package io.kp1.testkit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.extension.cep.Command;
import io.kp1.extension.cep.CommandQueue;
import io.kp1.extension.cep.CommandResult;
import io.kp1.extension.cep.Commands;
import io.kp1.extension.cmp.ConfigResponse;
import io.kp1.extension.cmp.Configuration;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.extension.epmp.Metadata;
import io.kp1.extension.epmp.MetadataStore;
import io.kp1.server.Outcome;
import io.kp1.server.Request;
import io.kp1.server.Router;
import io.kp1.testkit.PayloadArbitraries.ExtensionRequest;
import io.kp1.testkit.PayloadArbitraries.InvalidPayload;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The labels of {@link PayloadArbitraries} hold for our own readers: every valid request is
 * answered with success by the typed extension routes, every invalid one with a 400 whose K7
 * reason names its rule and field ({@code Invalid <what>[ at <field>]: <problem> (<rule>)}).
 */
class PayloadArbitrariesProperties {
    private static final String APP = "kit_v1";
    private static final String TOKEN = "PayloadTok42";

    private final Router router = routes();

    private static Router routes() {
        Router.Builder b = Router.builder();
        DataCollection.routes((req, samples) -> CompletableFuture.completedFuture(null)).addTo(b);
        Metadata.routes(new EmptyStore()).addTo(b);
        Configuration.routes((req, name, body) -> CompletableFuture.completedFuture(ConfigResponse.absent())).addTo(b);
        Commands.routes(new EmptyQueue()).addTo(b);
        return b.build();
    }

    private Outcome route(ExtensionRequest r) {
        Topic topic = Topic.request(ResourcePath.of(APP, r.extension(), TOKEN, r.resource()), 7);
        return router.route(Request.fromMqtt(topic, r.payload(), 1)).toCompletableFuture().join();
    }

    @Property(tries = 400)
    void validRequest_answeredWithSuccess_extensionTable(@ForAll("valid") ExtensionRequest r) {
        Statistics.collect(r.extension());
        Outcome out = route(r);
        assertThat(out.isSuccess()).as("%s -> %s", r, out).isTrue();
    }

    @Property(tries = 600)
    void invalidRequest_400NamingItsRuleAndField(@ForAll("invalid") InvalidPayload bad) {
        Statistics.collect(bad.rule());
        Outcome out = route(bad.request());
        assertThat(out.httpStatus()).as("%s -> %s", bad, out).isEqualTo(400);
        String reason = out.reply().error().reasonPhrase();
        assertThat(reason).as("%s", bad)
                .startsWith("Invalid " + bad.rule() + " ")
                .endsWith(" (" + bad.rule() + ")")
                .contains(bad.field().isEmpty() ? "request: " : "request at " + bad.field() + ": ");
        SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, out.payload());
    }

    @Provide
    Arbitrary<ExtensionRequest> valid() {
        return PayloadArbitraries.validRequests();
    }

    @Provide
    Arbitrary<InvalidPayload> invalid() {
        return PayloadArbitraries.invalidRequests();
    }

    /** Stores nothing, answers empty metadata. */
    private static final class EmptyStore implements MetadataStore {
        @Override
        public CompletionStage<ObjectNode> getAll(Request request) {
            return CompletableFuture.completedFuture(JsonNodeFactory.instance.objectNode());
        }

        @Override
        public CompletionStage<Void> fullUpdate(Request request, ObjectNode metadata) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> partialUpdate(Request request, ObjectNode metadata) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> delete(Request request, Set<String> keys) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** No commands pending, every result taken. */
    private static final class EmptyQueue implements CommandQueue {
        @Override
        public CompletionStage<List<Command>> pending(Request request, String type, Optional<Boolean> observe) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public CompletionStage<Void> results(Request request, String type, List<CommandResult> results) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
