package io.kp1.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.kp1.Reply;
import io.kp1.client.Endpoint;
import io.kp1.correlation.CorrelationException;
import io.kp1.examples.box.Fault;
import io.kp1.examples.box.Faults;
import io.kp1.examples.box.KaaInABox;
import io.kp1.extension.cep.CommandResult;
import io.kp1.mqtt.Kp1MqttClient;
import io.kp1.mqtt.MqttEndpoint;
import io.kp1.mqtt.hivemq.HiveMqConnectionEvents;
import io.kp1.mqtt.hivemq.HiveMqTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway for real servers over MQTT ({@code mqtt://}), pointed at Kaa in a box's embedded
 * broker; and the MQTT gateway client meeting the box's faults (D14, D15). One box for the class.
 */
class KaaGatewayMqttIT {
    private static final String APP = "smart_kettle_v1";
    private static KaaInABox box;

    @BeforeAll
    static void start() {
        box = KaaInABox.builder().http(false)
                .defaultConfiguration(JsonNodeFactory.instance.objectNode().put("period", 10)).start();
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    @AfterEach
    void noFaults() {
        box.faults(Faults.none());
    }

    private static String url() {
        return "mqtt://" + box.mqttHost() + ":" + box.mqttPort();
    }

    private static String run(int expectedStatus, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = KaaGateway.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; output:%n%s", out).isEqualTo(expectedStatus);
        return out;
    }

    @Test
    void gateway_mqttUrl_twoEndpointsOnOneConnection_everyStepSucceeds_K10() {
        List<CompletableFuture<CommandResult>> results = new ArrayList<>();
        for (String t : List.of("MqttKettle1", "MqttKettle2")) {
            results.add(box.commands().enqueue(t, "reboot", JsonNodeFactory.instance.objectNode()));
        }

        String out = run(0, "--url", url(), "--app-version", APP, "--token", "MqttKettle1", "--token",
                "MqttKettle2", "--command-type", "reboot", "--write-metadata", "--samples", "2");

        assertThat(out).contains("2 endpoint(s) of smart_kettle_v1 over MQTT, Kp1MqttClient on one HiveMQ client -> "
                        + url())
                .contains("2/2 endpoints pushed 2 sample(s)")
                .contains("2/2 endpoints wrote and read back their metadata")
                .contains("configuration " + box.configurations().current("MqttKettle1").configId().substring(0, 8))
                .contains("2 command(s) ran and reported")
                .contains("MQTT dcx /json")
                .contains("Result: OK, nothing failed")
                .doesNotContain("MqttKettle1");
        assertThat(box.data().samples("MqttKettle2")).hasSize(2);
        assertThat(results).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(200));
        assertThat(box.configurations().applied("MqttKettle1")).isPresent();
    }

    @Test
    void gateway_mqttBrokerAsksNoPassword_credentialsAccepted_notPrinted() {
        String out = run(0, "--url", url(), "--app-version", APP, "--token", "MqttKettle3",
                "--username", "gateway", "--password", "secret");

        assertThat(out).contains("mqtt://gateway@" + box.mqttHost()).contains("Result: OK").doesNotContain("secret");
    }

    @Test
    void gateway_serverNeverAnswersOverMqtt_reportsTheTimeouts_exitsOne_D14() {
        box.faults(Faults.always(Fault.drop()));

        String out = run(1, "--url", url(), "--app-version", APP, "--token", "MqttKettle4", "--timeout-seconds", "1");

        assertThat(out).contains("0/1 endpoints pushed").contains("first error: endpoint #1: CorrelationException")
                .contains("Result: FAILED");
    }

    @Test
    void gateway_badMqttSettings_saysWhy() {
        assertThat(run(2, "--url", url() + "/kpc", "--app-version", APP, "--token", "t"))
                .contains("an MQTT broker is mqtt://host[:port], without path");
        assertThat(run(2, "--url", "ftp://host", "--app-version", APP, "--token", "t"))
                .contains("use http://, https:// (a 1/KP HTTP base, K12), mqtt:// or mqtts://");
        assertThat(run(2, "--url", url(), "--app-version", APP, "--token", "t", "--trust-store", "ca.p12"))
                .contains("--trust-store and --key-store need TLS: use mqtts:// (K13)");
        assertThat(run(1, "--url", "mqtt://127.0.0.1:1", "--app-version", APP, "--token", "t", "--timeout-seconds", "2"))
                .contains("Cannot connect to mqtt://127.0.0.1:1");
    }

    @Test
    void mqttTransport_replyDropped_requestTimesOutWithCorrelationException_D14() {
        box.faults(Faults.always(Fault.drop()));
        try (GatewayTransport t = GatewayTransport.mqtt(
                GatewayTransport.MqttConnection.plain(box.mqttHost(), box.mqttPort()), Duration.ofMillis(500))) {
            Endpoint e = t.endpoint(APP, "DropKettle");

            assertThat(t.kind()).isEqualTo(GatewayTransport.Kind.MQTT);
            assertThat(e.supportsObserve()).isTrue();
            CompletableFuture<Reply> f = e.request("dcx", "/json", "[{\"t\":1}]");
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(CorrelationException.class)
                    .cause().satisfies(c -> assertThat(((CorrelationException) c).reason())
                            .isEqualTo(CorrelationException.Reason.TIMEOUT));
            assertThat(box.data().samples("DropKettle")).as("processed, only the reply was lost").hasSize(1);
        }
    }

    @Test
    void mqttClient_replyDuplicated_requestCompletesOnce_copyCountedAndDropped_D15() throws Exception {
        box.faults(Faults.always(Fault.duplicate()));
        long duplicated = box.faultCounters().duplicated();
        // What GatewayTransport.mqtt builds, kept in hand here for the client's counters.
        HiveMqConnectionEvents events = new HiveMqConnectionEvents();
        Mqtt5AsyncClient mqtt = events.addTo(Mqtt5Client.builder().identifier("dup-gateway")
                .serverHost(box.mqttHost()).serverPort(box.mqttPort())).buildAsync();
        try (Kp1MqttClient client = Kp1MqttClient.builder(HiveMqTransport.of(mqtt, events))
                .requestTimeout(Duration.ofSeconds(10)).build()) {
            mqtt.connect().get(10, TimeUnit.SECONDS);
            MqttEndpoint e = client.endpoint(APP, "DupKettle");
            List<Reply> replies = new ArrayList<>();
            CompletableFuture<Reply> f = e.request("epmx", "/get/keys", new byte[0]);
            f.whenComplete((r, t) -> replies.add(r));

            assertThat(f.get(10, TimeUnit.SECONDS).isSuccess()).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (client.stats().correlation().duplicate() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(box.faultCounters().duplicated()).isEqualTo(duplicated + 1);
            assertThat(client.stats().correlation().duplicate()).as("the second copy (D15)").isEqualTo(1);
            assertThat(client.stats().correlation().replied()).isEqualTo(1);
            assertThat(replies).hasSize(1);
        } finally {
            mqtt.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void mqttTransport_closed_pendingRequestEnds_D14() {
        box.faults(Faults.always(Fault.drop()));
        GatewayTransport t = GatewayTransport.mqtt(
                GatewayTransport.MqttConnection.plain(box.mqttHost(), box.mqttPort()), Duration.ofSeconds(30));
        CompletableFuture<Reply> f = t.endpoint(APP, "CloseKettle").request("dcx", "/json", "[1]");

        t.close();

        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
        assertThat(f).isCompletedExceptionally();
    }
}
