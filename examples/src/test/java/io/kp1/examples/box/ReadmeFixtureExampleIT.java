package io.kp1.examples.box;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kp1.client.Endpoint;
import io.kp1.extension.cep.CommandResult;
import io.kp1.extension.cep.Commands;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.http.Kp1HttpClient;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The README's "Kaa in a box as a test fixture" snippet, as written there (keep them in step). */
class ReadmeFixtureExampleIT {
    @Test
    void readmeSnippet_runsAsWritten() {
        JsonNode json = JsonNodeFactory.instance.objectNode().put("period", 10);
        JsonNode newConfig = JsonNodeFactory.instance.objectNode().put("period", 5);
        JsonNode payload = JsonNodeFactory.instance.objectNode();
        int status;
        KaaInABox.FaultCounters counters;

        // --- README snippet, minus the comments ---
        try (KaaInABox box = KaaInABox.builder()
                .mqtt(false)
                .defaultConfiguration(json)
                .start()) {
            Endpoint e = Kp1HttpClient.builder(HttpClient.newHttpClient(), box.httpBaseUri()).build()
                    .endpoint("smart_kettle_v1", "kettle");
            DataCollection.on(e).pushAll(List.of(Map.of("t", 97))).join();
            assertThat(box.data().samples("kettle")).hasToString("[{\"t\":97}]");
            box.metadata().get("kettle");
            String id = box.configurations().set("kettle", newConfig);
            CompletableFuture<CommandResult> r = box.commands().enqueue("kettle", "boil", payload);
            Commands.on(e).execute("boil", c -> c.fail(409, "Empty")).join();
            status = r.join().statusCode();

            box.faults(Faults.builder()
                    .rule(reply -> reply.extension().equals("dcx"), Fault.drop(), 1)
                    .seed(42).duplicate(0.05).delay(0.10, Duration.ofMillis(300))
                    .build());
            counters = box.faultCounters();
            assertThat(id).isEqualTo(box.configurations().current("kettle").configId());
        }
        // --- end of snippet ---

        assertThat(status).isEqualTo(409);
        assertThat(counters.total()).isEqualTo(counters.passed()).isEqualTo(3);
    }
}
