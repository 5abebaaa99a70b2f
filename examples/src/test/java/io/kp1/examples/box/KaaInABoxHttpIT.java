package io.kp1.examples.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.extension.cep.CommandResult;
import io.kp1.extension.cep.Commands;
import io.kp1.extension.cmp.ConfigResponse;
import io.kp1.extension.cmp.Configuration;
import io.kp1.extension.dcp.DataCollection;
import io.kp1.extension.epmp.Metadata;
import io.kp1.http.Kp1HttpClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kaa in a box over HTTP (K12), through kp1-java's own HTTP client and the typed facades; and its faults. */
class KaaInABoxHttpIT {
    private static final String APP = "box_http_v1";
    private KaaInABox box;
    private Kp1HttpClient client;

    @BeforeEach
    void start() {
        box = KaaInABox.builder()
                .mqtt(false)
                .defaultConfiguration(JsonNodeFactory.instance.objectNode().put("period", 10))
                .start();
        client = Kp1HttpClient.builder(HttpClient.newHttpClient(), box.httpBaseUri())
                .requestTimeout(Duration.ofSeconds(5))
                .build();
    }

    @AfterEach
    void stop() {
        box.close();
    }

    @Test
    void fourProtocols_overHttp_withTheTypedFacades() throws Exception {
        Endpoint e = client.endpoint(APP, "kettle");

        DataCollection.on(e).pushAll(List.of(Map.of("t", 97), Map.of("t", 98))).join();
        assertThat(box.data().samples("kettle")).hasSize(2);

        ObjectNode md = JsonNodeFactory.instance.objectNode().put("name", "Kettle");
        Metadata.on(e).fullUpdate(md).join();
        assertThat(Metadata.on(e).getAll().join()).isEqualTo(md);

        Configuration cfg = Configuration.on(e);
        ConfigResponse first = cfg.get().join();
        assertThat(first.config().get("period").asInt()).isEqualTo(10);
        assertThat(cfg.get(first.configId()).join().isUnchanged()).as("304 or {}, D10").isTrue();
        String next = box.configurations().set("kettle", JsonNodeFactory.instance.objectNode().put("period", 5));
        assertThat(cfg.get(first.configId()).join().configId()).isEqualTo(next);
        cfg.applied(next).join();
        assertThat(box.configurations().applied("kettle").orElseThrow().configId()).isEqualTo(next);

        CompletableFuture<CommandResult> result = box.commands().enqueue("kettle", "boil",
                JsonNodeFactory.instance.objectNode());
        assertThat(Commands.on(e).execute("boil", c -> c.fail(409, "Empty")).join()).hasSize(1);
        assertThat(result.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(409);
    }

    @Test
    void drop_theRequestIsProcessed_theClientTimesOut_D14() {
        box.faults(Faults.always(Fault.drop()));
        Kp1HttpClient impatient = Kp1HttpClient.builder(HttpClient.newHttpClient(), box.httpBaseUri())
                .requestTimeout(Duration.ofMillis(500))
                .build();

        CompletableFuture<Reply> f = impatient.endpoint(APP, "dropped").request("dcx", "/json", "[1]");

        assertThatThrownBy(f::join).hasRootCauseInstanceOf(HttpTimeoutException.class);
        assertThat(box.data().samples("dropped")).hasSize(1);
        assertThat(box.faultCounters().dropped()).isEqualTo(1);
    }

    @Test
    void drop_closingTheBox_closesTheHeldConnection() throws Exception {
        box.faults(Faults.always(Fault.drop()));
        CompletableFuture<Reply> f = client.endpoint(APP, "held").request("dcx", "/json", "[1]");
        awaitCount(() -> box.faultCounters().dropped(), 1);

        box.close();

        assertThatThrownBy(() -> f.get(3, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void delay_theResponseComesNoSoonerThanTheDelay() {
        box.faults(Faults.always(Fault.delay(Duration.ofMillis(400))));
        long t0 = System.nanoTime();

        Reply r = client.endpoint(APP, "late").request("epmx", "/get/keys", new byte[0]).join();

        assertThat(r.isSuccess()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(box.faultCounters().delayed()).isEqualTo(1);
    }

    @Test
    void disconnect_theConnectionClosesWithoutAResponse_D14() {
        box.faults(Faults.always(Fault.disconnect()));

        CompletableFuture<Reply> f = client.endpoint(APP, "cut").request("dcx", "/json", "[1]");

        assertThatThrownBy(f::join).hasCauseInstanceOf(IOException.class)
                .extracting(Throwable::getCause).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(box.data().samples("cut")).hasSize(1);
        assertThat(box.faultCounters().disconnected()).isEqualTo(1);
    }

    @Test
    void duplicateAndReorder_overHttp_theResponseIsSentOnce_K12() {
        box.faults(Faults.builder().rule(r -> r.resource().equals("/json"), Fault.duplicate())
                .rule(r -> true, Fault.reorder()).build());
        Endpoint e = client.endpoint(APP, "once");

        assertThat(e.request("dcx", "/json", "[1]").join().isSuccess()).isTrue();
        assertThat(e.request("epmx", "/get/keys", new byte[0]).join().isSuccess()).isTrue();
        assertThat(box.faultCounters().duplicated()).isEqualTo(1);
        assertThat(box.faultCounters().reordered()).isEqualTo(1);
    }

    @Test
    void errorResponses_passThroughWithTheirStatus_D10() {
        box.faults(Faults.builder().rule(r -> r.statusCode() == 404 && r.transport() == OutgoingReply.Transport.HTTP,
                Fault.delay(Duration.ofMillis(1))).build());

        Reply r = client.endpoint(APP, "nf").request("epmx", "/nothing", new byte[0]).join();

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(box.faultCounters().delayed()).isEqualTo(1);
    }

    @Test
    void mqttAccessors_withoutMqtt_sayWhy() {
        assertThat(box.hasMqtt()).isFalse();
        assertThatThrownBy(box::mqttPort).isInstanceOf(IllegalStateException.class).hasMessageContaining("no MQTT");
    }

    private static void awaitCount(java.util.function.LongSupplier count, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (count.getAsLong() < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(count.getAsLong()).isEqualTo(expected);
    }
}
