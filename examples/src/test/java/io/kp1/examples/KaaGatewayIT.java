package io.kp1.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kp1.examples.box.Fault;
import io.kp1.examples.box.Faults;
import io.kp1.examples.box.KaaInABox;
import io.kp1.extension.cep.CommandResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway for real servers, pointed at Kaa in a box over HTTP. */
class KaaGatewayIT {
    private KaaInABox box;

    @BeforeEach
    void start() {
        box = KaaInABox.builder().mqtt(false)
                .defaultConfiguration(JsonNodeFactory.instance.objectNode().put("period", 10)).start();
    }

    @AfterEach
    void stop() {
        box.close();
    }

    private static String run(int expectedStatus, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = KaaGateway.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; output:%n%s", out).isEqualTo(expectedStatus);
        return out;
    }

    @Test
    void gateway_twoEndpoints_everyStepSucceeds_commandsRunAndReported(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.txt"), "# fleet\nJTjdbENzHh\n\nKettle42\n");
        List<CompletableFuture<CommandResult>> results = new ArrayList<>();
        for (String t : List.of("JTjdbENzHh", "Kettle42")) {
            results.add(box.commands().enqueue(t, "reboot", JsonNodeFactory.instance.objectNode()));
        }

        String out = run(0, "--url", box.httpBaseUri().toString(), "--app-version", "smart_kettle_v1",
                "--tokens-file", tokens.toString(), "--command-type", "reboot", "--write-metadata",
                "--rounds", "2", "--interval-seconds", "0", "--samples", "2");

        assertThat(out).contains("2 endpoint(s) of smart_kettle_v1 over HTTP, Kp1HttpClient -> " + box.httpBaseUri())
                .contains("round 2/2")
                .contains("2/2 endpoints pushed 2 sample(s)")
                .contains("2/2 endpoints wrote and read back their metadata")
                .contains("configuration " + box.configurations().current("Kettle42").configId().substring(0, 8))
                .contains("2 command(s) ran and reported")
                .contains("Result: OK, nothing failed")
                .doesNotContain("JTjdbENzHh");
        assertThat(box.data().samples("Kettle42")).hasSize(4);
        assertThat(results).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        assertThat(box.configurations().applied("JTjdbENzHh")).isPresent();
    }

    @Test
    void gateway_serverNeverAnswers_reportsTheTimeouts_exitsOne() {
        box.faults(Faults.always(Fault.drop()));

        String out = run(1, "--url", box.httpBaseUri().toString(), "--app-version", "smart_kettle_v1",
                "--token", "Kettle42", "--timeout-seconds", "1");

        assertThat(out).contains("0/1 endpoints pushed").contains("first error: endpoint #1: HttpTimeoutException")
                .contains("Result: FAILED");
    }

    @Test
    void gateway_badCommandLine_saysWhy_exitsTwo() {
        String url = box.httpBaseUri().toString();
        assertThat(run(2, "--app-version", "v1", "--token", "t")).contains("--url is required");
        assertThat(run(2, "--url", url, "--app-version", "v1")).contains("at least one endpoint token");
        assertThat(run(2, "--url", "broker:1883", "--app-version", "v1", "--token", "t"))
                .contains("Invalid --url \"broker:1883\": use http://, https://");
        assertThat(run(2, "--url", url, "--app-version", "v1", "--token", "t", "--command-type", "re boot"))
                .contains("Invalid --command-type \"re boot\"");
        assertThat(run(2, "--url", url, "--app-version", "v1", "--token", "JTjdbEN+zHh"))
                .contains("Invalid endpoint token \"JT*******Hh\": wildcard character at index 7 (D4)");
        assertThat(run(2, "--url", url, "--app-version", "v1", "--token", "t", "--trust-store", "/nonexistent.p12"))
                .contains("Cannot set up the connection");
        assertThat(run(2, "--url", url, "--app-version", "v1", "--token", "t", "--password", "x"))
                .contains("--password needs --username");
    }

    @Test
    void gateway_basicCredentials_unusedWhenTheServerDoesNotAsk() {
        String out = run(0, "--url", box.httpBaseUri().toString(), "--app-version", "v1", "--token", "t1",
                "--username", "gateway", "--password", "secret");

        assertThat(out).contains("Result: OK").doesNotContain("secret");
    }
}
