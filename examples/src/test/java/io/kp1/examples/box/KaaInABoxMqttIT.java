package io.kp1.examples.box;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kp1.extension.cep.CommandResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kaa in a box over MQTT, with a hand-written device (a plain HiveMQ client): the four protocols,
 * pushes (K11), and every fault. One box (one embedded broker) for the class.
 */
class KaaInABoxMqttIT {
    private static final String APP = "box_test_v1";
    private static final Duration NO_REPLY = Duration.ofMillis(700);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static KaaInABox box;

    @BeforeAll
    static void start() {
        box = KaaInABox.builder()
                .http(false)
                .reorderWindow(Duration.ofMillis(400))
                .defaultConfiguration(JsonNodeFactory.instance.objectNode().put("period", 10))
                .start();
    }

    @AfterAll
    static void stop() {
        box.close();
    }

    @AfterEach
    void noFaults() {
        box.faults(Faults.none());
    }

    private static String topic(String ext, String token, String resource, int id) {
        return "kp1/" + APP + "/" + ext + "/" + token + resource + "/" + id;
    }

    private static MqttProbe probe(String name) throws Exception {
        MqttProbe p = MqttProbe.connect(box, name);
        p.subscribe("kp1/" + APP + "/+/" + name + "/#");
        return p;
    }

    @Test
    void dcx_requestWithId_storedAndAnsweredOnStatus_K5() throws Exception {
        try (MqttProbe p = probe("dcx-ok")) {
            p.publish(topic("dcx", "dcx-ok", "/json", 7), "[{\"t\":1},{\"t\":2}]");

            MqttProbe.Message m = p.next(WAIT);
            assertThat(m.topic()).isEqualTo(topic("dcx", "dcx-ok", "/json", 7) + "/status");
            assertThat(m.payload()).isEmpty();
            assertThat(box.data().samples("dcx-ok")).hasSize(2);
        }
    }

    @Test
    void epmxAndCmx_answeredOverMqtt_withTheStoresContents() throws Exception {
        try (MqttProbe p = probe("md-ok")) {
            p.publish(topic("epmx", "md-ok", "/update/keys", 1), "{\"name\":\"Kettle\"}");
            assertThat(p.next(WAIT).topic()).endsWith("/update/keys/1/status");
            p.publish(topic("epmx", "md-ok", "/get", 2), "{\"keys\":[\"name\"]}");
            assertThat(p.next(WAIT).payload()).isEqualTo("{\"name\":\"Kettle\"}");
            assertThat(box.metadata().get("md-ok").get("name").asText()).isEqualTo("Kettle");

            p.publish(topic("cmx", "md-ok", "/config/json", 3), "{\"observe\":false}");
            MqttProbe.Message config = p.next(WAIT);
            assertThat(config.topic()).endsWith("/config/json/3/status");
            assertThat(config.payload()).contains("\"config\":{\"period\":10}")
                    .contains(box.configurations().current("md-ok").configId());
        }
    }

    @Test
    void cmx_observer_getsTheNewConfigurationPushed_K11() throws Exception {
        try (MqttProbe p = probe("cfg-push")) {
            p.publish(topic("cmx", "cfg-push", "/config/json", 1), "{\"observe\":true}");
            assertThat(p.next(WAIT).topic()).endsWith("/config/json/1/status");

            String id = box.configurations().set("cfg-push", JsonNodeFactory.instance.objectNode().put("period", 1));

            MqttProbe.Message push = p.next(WAIT);
            assertThat(push.topic()).isEqualTo("kp1/" + APP + "/cmx/cfg-push/config/json/status");
            assertThat(push.payload()).contains(id).contains("\"period\":1");
        }
    }

    @Test
    void cex_observer_getsCommandPushed_andItsResultCompletesTheFuture_K11() throws Exception {
        try (MqttProbe p = probe("cmd-push")) {
            p.publish(topic("cex", "cmd-push", "/command/reboot", 1), "{\"observe\":true}");
            assertThat(p.next(WAIT).payload()).isEqualTo("[]");

            CompletableFuture<CommandResult> result = box.commands().enqueue("cmd-push", "reboot",
                    JsonNodeFactory.instance.objectNode().put("delay", 0));
            MqttProbe.Message push = p.next(WAIT);
            assertThat(push.topic()).isEqualTo("kp1/" + APP + "/cex/cmd-push/command/reboot/status");
            long id = box.commands().outstanding("cmd-push", "reboot").get(0).id();
            assertThat(push.payload()).isEqualTo("[{\"id\":" + id + ",\"payload\":{\"delay\":0}}]");

            p.publish(topic("cex", "cmd-push", "/result/reboot", 2), "[{\"id\":" + id + ",\"statusCode\":200}]");
            assertThat(p.next(WAIT).payload()).isEqualTo("{\"statusCode\":200,\"reasonPhrase\":\"OK\"}");
            assertThat(result.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(box.commands().outstanding("cmd-push", "reboot")).isEmpty();
        }
    }

    @Test
    void drop_requestProcessedButNoReply_theDeviceTimesOut_D14() throws Exception {
        box.faults(Faults.always(Fault.drop()));
        long dropped = box.faultCounters().dropped();
        try (MqttProbe p = probe("drop")) {
            p.publish(topic("dcx", "drop", "/json", 1), "[1]");

            assertThat(p.next(NO_REPLY)).as("a dropped reply").isNull();
            assertThat(box.data().samples("drop")).hasSize(1);
            assertThat(box.faultCounters().dropped()).isEqualTo(dropped + 1);
        }
    }

    @Test
    void duplicate_theSameReplyArrivesTwice_D15() throws Exception {
        box.faults(Faults.always(Fault.duplicate()));
        long duplicated = box.faultCounters().duplicated();
        try (MqttProbe p = probe("dup")) {
            p.publish(topic("epmx", "dup", "/get/keys", 5), "");

            MqttProbe.Message first = p.next(WAIT);
            MqttProbe.Message second = p.next(WAIT);
            assertThat(second).isEqualTo(first);
            assertThat(first.topic()).endsWith("/get/keys/5/status");
            assertThat(p.next(NO_REPLY)).as("no third copy").isNull();
            assertThat(box.faultCounters().duplicated()).isEqualTo(duplicated + 1);
        }
    }

    @Test
    void delay_theReplyArrivesNoSoonerThanTheDelay() throws Exception {
        box.faults(Faults.always(Fault.delay(Duration.ofMillis(500))));
        try (MqttProbe p = probe("late")) {
            long t0 = System.nanoTime();
            p.publish(topic("dcx", "late", "/json", 1), "[1]");

            MqttProbe.Message m = p.next(WAIT);
            assertThat(m.topic()).endsWith("/json/1/status");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        }
    }

    @Test
    void reorder_theNextReplyOvertakesTheHeldOne() throws Exception {
        box.faults(Faults.builder().rule(r -> r.requestId().orElse(0) == 1, Fault.reorder(), 1).build());
        long reordered = box.faultCounters().reordered();
        try (MqttProbe p = probe("reorder")) {
            p.publish(topic("dcx", "reorder", "/json", 1), "[1]");
            awaitReordered(reordered + 1);
            p.publish(topic("dcx", "reorder", "/json", 2), "[2]");

            assertThat(p.next(WAIT).topic()).endsWith("/json/2/status");
            assertThat(p.next(WAIT).topic()).endsWith("/json/1/status");
        }
    }

    @Test
    void reorder_withoutALaterReply_theHeldOneGoesAfterTheWindow() throws Exception {
        box.faults(Faults.always(Fault.reorder()));
        try (MqttProbe p = probe("alone")) {
            long t0 = System.nanoTime();
            p.publish(topic("dcx", "alone", "/json", 1), "[1]");

            assertThat(p.next(WAIT).topic()).endsWith("/json/1/status");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        }
    }

    @Test
    void disconnect_theBrokerDisconnectsTheRequester_beforeAnyReply_D14() throws Exception {
        box.faults(Faults.always(Fault.disconnect()));
        long disconnected = box.faultCounters().disconnected();
        try (MqttProbe p = probe("kicked")) {
            p.publish(topic("dcx", "kicked", "/json", 1), "[1]");

            p.disconnected().get(10, TimeUnit.SECONDS);
            assertThat(p.next(NO_REPLY)).isNull();
            assertThat(box.data().samples("kicked")).hasSize(1);
            assertThat(box.faultCounters().disconnected()).isEqualTo(disconnected + 1);
        }
    }

    @Test
    void rule_withLimitedUses_thenRepliesPassAgain() throws Exception {
        box.faults(Faults.builder().rule(r -> r.extension().equals("dcx"), Fault.drop(), 1).build());
        try (MqttProbe p = probe("once")) {
            p.publish(topic("dcx", "once", "/json", 1), "[1]");
            p.publish(topic("dcx", "once", "/json", 2), "[2]");

            MqttProbe.Message m = p.next(WAIT);
            assertThat(m.topic()).endsWith("/json/2/status");
            assertThat(p.next(NO_REPLY)).isNull();
        }
    }

    @Test
    void errorReply_ruleSeesItsStatusCode_K7() throws Exception {
        box.faults(Faults.builder().rule(r -> r.statusCode() == 404, Fault.drop()).build());
        try (MqttProbe p = probe("status")) {
            p.publish(topic("epmx", "status", "/nothing/here", 1), "");
            p.publish(topic("epmx", "status", "/get/keys", 2), "");

            assertThat(p.next(WAIT).topic()).endsWith("/get/keys/2/status");
            assertThat(p.next(NO_REPLY)).as("the 404 was dropped").isNull();
        }
    }

    private static void awaitReordered(long count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (box.faultCounters().reordered() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(box.faultCounters().reordered()).isEqualTo(count);
    }
}
