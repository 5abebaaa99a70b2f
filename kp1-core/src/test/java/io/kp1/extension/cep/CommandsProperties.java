package io.kp1.extension.cep;

import com.fasterxml.jackson.databind.JsonNode;
import io.kp1.extension.ExchangeSchemas;
import io.kp1.extension.InMemoryEndpoint;
import io.kp1.extension.JsonArbitraries;
import io.kp1.extension.PayloadLimits;
import io.kp1.server.Router;
import io.kp1.testkit.SchemaAssertions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** 11/CEP properties: commands and results round trip through the routes, schema-valid; type rules. */
class CommandsProperties {
    private static final Pattern TYPE = Pattern.compile("^[a-zA-Z0-9_-]+$");

    @Provide
    Arbitrary<List<Command>> commands() {
        Arbitrary<Optional<JsonNode>> payloads = JsonArbitraries.values(2).optional();
        return Combinators.combine(Arbitraries.longs(), payloads)
                .as((id, p) -> p.map(v -> Command.of(id, v)).orElseGet(() -> Command.of(id)))
                .list().ofMaxSize(5).uniqueElements(Command::id);
    }

    @Provide
    Arbitrary<List<CommandResult>> results() {
        Arbitrary<CommandResult> one = Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(100, 599),
                JsonArbitraries.strings().optional(), JsonArbitraries.values(2).optional())
                .as((id, status, reason, payload) -> {
                    CommandResult r = CommandResult.of(id, status);
                    r = reason.map(r::withReasonPhrase).orElse(r);
                    return payload.map(r::withPayload).orElse(r);
                });
        return one.list().ofMinSize(1).ofMaxSize(5).uniqueElements(CommandResult::id);
    }

    @Property(tries = 200)
    void poll_anyOutstandingCommands_readBackEqualAndSchemaValid(@ForAll("commands") List<Command> commands) {
        InMemoryCommandQueue queue = new InMemoryCommandQueue();
        commands.forEach(c -> queue.add("reboot", c));
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(Commands.routes(queue).addTo(Router.builder()).build());
        assertThat(Commands.on(ep).poll("reboot").join()).isEqualTo(commands);
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Property(tries = 200)
    void report_anyResults_queueGetsThemAndRequestIsAnArrayOfSchemaValidResults(
            @ForAll("results") List<CommandResult> results) {
        InMemoryCommandQueue queue = new InMemoryCommandQueue();
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(Commands.routes(queue).addTo(Router.builder()).build());
        Commands.on(ep).report("close-door", results).join();
        assertThat(queue.results).containsExactlyElementsOf(results.stream().map(r -> "close-door " + r).toList());
        ExchangeSchemas.assertAllValid(ep.exchanges());
        // And each single result, in the schema file's one-object form, reads back too.
        byte[] single = CepPayloads.writeResults(List.of(results.get(0)), PayloadLimits.DEFAULTS);
        String object = new String(single, java.nio.charset.StandardCharsets.UTF_8);
        object = object.substring(1, object.length() - 1);
        SchemaAssertions.assertValid(SchemaAssertions.CEP_RESULT_REQUEST, object);
        assertThat(CepPayloads.readResults(object.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                PayloadLimits.DEFAULTS)).containsExactly(results.get(0));
    }

    @Provide
    Arbitrary<String> types() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("az09_-").ofMinLength(1).ofMaxLength(6),
                Arbitraries.strings().withChars("az_- .+#é/").ofMaxLength(4));
    }

    @Property(tries = 300)
    void anyType_sentOnlyIfValid(@ForAll("types") String type) {
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(Commands.routes(new InMemoryCommandQueue())
                .addTo(Router.builder()).build());
        if (TYPE.matcher(type).matches()) {
            assertThat(Commands.on(ep).poll(type).join()).isEmpty();
        } else {
            assertThatThrownBy(() -> Commands.on(ep).poll(type)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Commands.on(ep).report(type, CommandResult.ok(1)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(ep.exchanges()).isEmpty();
        }
    }
}
