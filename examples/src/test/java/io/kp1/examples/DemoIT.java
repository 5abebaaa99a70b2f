package io.kp1.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first command, end to end: the demo with a small fleet. */
class DemoIT {
    /** A summary row: operation, requests, replies, errors, p50, p99. */
    private static final Pattern ROW = Pattern.compile("^  (.+?)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+([\\d.]+|-)\\s+([\\d.]+|-)$");

    private static String run(int expectedStatus, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = Demo.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; output:%n%s", out).isEqualTo(expectedStatus);
        return out;
    }

    private static List<String[]> rows(String out) {
        return Arrays.stream(out.split("\\R"))
                .map(ROW::matcher)
                .filter(Matcher::matches)
                .map(m -> new String[] {m.group(1), m.group(2), m.group(3), m.group(4)})
                .toList();
    }

    @Test
    void demo_tenEndpoints_mqttThenHttp_everyStepSucceeds_andTheSummaryHasNoError() {
        String out = run(0, "--endpoints", "10", "--concurrency", "4");

        assertThat(out).contains("a gateway for 10 endpoints against Kaa in a box, over MQTT, then HTTP")
                .contains("Gateway over MQTT, Kp1MqttClient on one HiveMQ client")
                .contains("10/10 endpoints observe their configuration (K11)")
                .contains("pushed and applied it; the box has 10 reports")
                .contains("10/10 endpoints got reboot pushed and ran it; the box got 10 results with status 200")
                .contains("Gateway over HTTP, Kp1HttpClient")
                .contains("10/10 endpoints pushed 3 samples each; the box stored 30")
                .contains("10/10 endpoints wrote name, firmwareVersion, model and read them back")
                .contains("asked again, saw")
                .contains("10/10 endpoints polled, ran reboot; the box got 10 results with status 200")
                .contains("(push, K11)")
                .contains("Result: OK");
        assertThat(out.indexOf("Gateway over MQTT")).as("MQTT first").isLessThan(out.indexOf("Gateway over HTTP"));
        assertThat(out).as("tokens redacted, D16").doesNotContain("mqtt-0001/").doesNotContain("http-0001/");
        List<String[]> rows = rows(out);
        assertThat(rows).extracting(r -> r[0]).contains("MQTT dcx /json", "MQTT epmx /update/keys", "MQTT epmx /get",
                "MQTT cmx /config/json (observe)", "MQTT cmx /applied/json", "MQTT cex /command/reboot (observe)",
                "MQTT cex /result/reboot", "HTTP dcx /json", "HTTP epmx /update/keys", "HTTP epmx /get",
                "HTTP cmx /config/json", "HTTP cmx /applied/json", "HTTP cex /command/reboot",
                "HTTP cex /result/reboot", "raw MQTT dcx /json", "all");
        assertThat(rows).allSatisfy(r -> {
            assertThat(r[3]).as("errors of %s", r[0]).isEqualTo("0");
            assertThat(r[2]).as("replies of %s", r[0]).isEqualTo(r[1]);
        });
        assertThat(rows).filteredOn(r -> r[0].equals("MQTT dcx /json")).singleElement()
                .satisfies(r -> assertThat(r[1]).isEqualTo("10"));
        assertThat(rows).filteredOn(r -> r[0].equals("MQTT cmx /applied/json")).singleElement()
                .satisfies(r -> assertThat(r[1]).as("first and pushed configuration").isEqualTo("20"));
        assertThat(rows).filteredOn(r -> r[0].equals("HTTP cmx /config/json")).singleElement()
                .satisfies(r -> assertThat(r[1]).as("first and changed configuration").isEqualTo("20"));
    }

    @Test
    void demo_mqttOnly_runsTheMqttGatewayAndTheCloserLook() {
        String out = run(0, "--endpoints", "3", "--transport", "mqtt");

        assertThat(out).contains("3/3 endpoints got reboot pushed and ran it").contains("Result: OK")
                .doesNotContain("Gateway over HTTP").contains("A closer look at one endpoint's topics");
    }

    @Test
    void demo_withoutMqtt_runsTheHttpGatewayOnly() {
        String out = run(0, "--endpoints", "3", "--no-mqtt");

        assertThat(out).contains("3/3 endpoints polled, ran reboot").contains("Result: OK")
                .doesNotContain("Gateway over MQTT").doesNotContain("A closer look").doesNotContain("embedded HiveMQ");
    }

    @Test
    void demo_help_printsUsage_exitsZero() {
        assertThat(run(0, "--help")).contains("usage: java -jar kp1-examples.jar").contains("--endpoints N");
    }

    @Test
    void demo_badCommandLine_saysWhy_exitsTwo() {
        assertThat(run(2, "--endpoints", "0")).contains("--endpoints must be a whole number from 1 to 100000, was \"0\"");
        assertThat(run(2, "--endpoint", "5")).contains("Unknown option --endpoint");
        assertThat(run(2, "--transport", "coap")).contains("Unknown transport \"coap\"; choose one of mqtt, http, both");
        assertThat(run(2, "--no-mqtt", "--transport", "both")).contains("--no-mqtt runs the HTTP gateway only");
        assertThat(run(2, "--concurrency")).contains("--concurrency needs a value");
    }
}
