package io.kp1.mqtt.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.kp1.ErrorResponse;
import io.kp1.mqtt.Kp1MqttServer;
import io.kp1.mqtt.testing.MosquittoBroker;
import io.kp1.mqtt.testing.MqttTestBroker;
import io.kp1.mqtt.testing.TestClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interoperability with clients we did not write: Mosquitto's {@code mosquitto_pub} and
 * {@code mosquitto_sub} (Debian package {@code mosquitto-clients}, which {@code .ci/run} installs)
 * act as the device, with the topics of Kaa's documentation, against {@link Kp1MqttServer} on
 * Eclipse Paho with its default per-extension subscriptions.
 *
 * <pre>{@code
 * mosquitto_sub -t 'kp1/demo_application_v1/dcx/JTjdbENzHh/json/#' -q 2 -F '%q %t %p'
 * mosquitto_pub -t 'kp1/demo_application_v1/dcx/JTjdbENzHh/json/42' -q 1 -m '[{"temperature":23}]'
 * # 1 kp1/demo_application_v1/dcx/JTjdbENzHh/json/42 [{"temperature":23}]
 * # 1 kp1/demo_application_v1/dcx/JTjdbENzHh/json/42/status
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MosquittoClientsInteropIT {
    private static final String APP = "demo_application_v1";
    private static final String TOKEN = "JTjdbENzHh";
    private static final long TIMEOUT_SECONDS = 15;

    private MosquittoBroker broker;
    private TestClients.Connected serverClient;
    private Kp1MqttServer server;
    private String pub;
    private String sub;
    private String stdbuf;

    /** A message as mosquitto_sub printed it with {@code -F '%q %t %p'}. */
    record Printed(int qos, String topic, String payload) {
    }

    @BeforeAll
    void startBrokerAndServer() throws Exception {
        pub = executable("mosquitto_pub", "mosquitto-clients (.ci/run installs it)");
        sub = executable("mosquitto_sub", "mosquitto-clients (.ci/run installs it)");
        stdbuf = executable("stdbuf", "coreutils");
        broker = MosquittoBroker.launch();
        serverClient = TestClients.connect(TestClients.Kind.PAHO, TestClients.options(broker, MqttTestBroker.Listener.TCP), null);
        server = Kp1MqttServer.builder(serverClient.transport(), new StubServices().router(true)).build();
        server.start().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @AfterAll
    void stopAll() {
        if (server != null) {
            server.close();
        }
        if (serverClient != null) {
            serverClient.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "QoS {0}, MQTT {1}")
    @CsvSource({"1, mqttv311", "0, mqttv311", "1, mqttv5", "0, mqttv5"})
    void dcxJsonWithRequestId_statusReply_withRequestQos_K5_K8(int qos, String version) throws Exception {
        String base = "kp1/" + APP + "/dcx/" + TOKEN + "/json";
        try (Subscriber s = subscribe(base + "/#", 2, version)) {
            publish(base + "/42", "[{\"temperature\":23}]", qos, version);

            List<Printed> seen = s.messages();
            assertThat(seen).containsExactly(
                    new Printed(qos, base + "/42", "[{\"temperature\":23}]"),
                    new Printed(qos, base + "/42/status", ""));
        }
    }

    @Test
    void epmxGetKeys_statusReplyWithTheKeys() throws Exception {
        String base = "kp1/" + APP + "/epmx/" + TOKEN + "/get/keys";
        try (Subscriber s = subscribe(base + "/#", 2, "mqttv311")) {
            publish(base + "/7", null, 1, "mqttv311");

            assertThat(s.messages()).containsExactly(
                    new Printed(1, base + "/7", ""),
                    new Printed(1, base + "/7/status", StubServices.KEYS));
        }
    }

    @Test
    void cexCommand_statusReplyFromAnAsyncHandler() throws Exception {
        String base = "kp1/" + APP + "/cex/" + TOKEN + "/command/reboot";
        try (Subscriber s = subscribe(base + "/#", 2, "mqttv5")) {
            publish(base + "/3", "{\"observe\":false}", 1, "mqttv5");

            assertThat(s.messages()).last().isEqualTo(new Printed(1, base + "/3/status",
                    "[{\"id\":1,\"payload\":\"reboot\"}]"));
        }
    }

    @Test
    void unknownResource_404ErrorReply() throws Exception {
        String base = "kp1/" + APP + "/epmx/" + TOKEN + "/get/everything";
        try (Subscriber s = subscribe(base + "/#", 2, "mqttv311")) {
            publish(base + "/8", null, 1, "mqttv311");

            Printed e = s.messages().get(1);
            assertThat(e.topic()).isEqualTo(base + "/8/error");
            assertThat(e.qos()).isEqualTo(1);
            ErrorResponse error = ErrorResponse.fromJson(e.payload().getBytes(StandardCharsets.UTF_8));
            assertThat(error.statusCode()).isEqualTo(404);
            assertThat(error.reasonPhrase()).contains("Unknown resource \"/get/everything\"");
        }
    }

    @Test
    void requestIdZero_400ErrorReply_INVALID_REQUEST_ID_D1() throws Exception {
        String base = "kp1/" + APP + "/dcx/" + TOKEN + "/json";
        try (Subscriber s = subscribe(base + "/#", 2, "mqttv311")) {
            publish(base + "/0", "[{\"temperature\":23}]", 0, "mqttv311");

            Printed e = s.messages().get(1);
            assertThat(e.topic()).isEqualTo(base + "/0/error");
            assertThat(e.qos()).isZero();
            ErrorResponse error = ErrorResponse.fromJson(e.payload().getBytes(StandardCharsets.UTF_8));
            assertThat(error.statusCode()).isEqualTo(400);
            assertThat(error.reasonPhrase()).startsWith("INVALID_REQUEST_ID: ").contains("JT******Hh").doesNotContain(TOKEN);
        }
    }

    @Test
    void fireAndForgetWithBadPayload_errorReplyWithoutId_D11() throws Exception {
        String base = "kp1/" + APP + "/dcx/" + TOKEN + "/json";
        try (Subscriber s = subscribe(base + "/#", 2, "mqttv311")) {
            publish(base, "23", 1, "mqttv311");

            Printed e = s.messages().get(1);
            assertThat(e.topic()).isEqualTo(base + "/error");
            assertThat(ErrorResponse.fromJson(e.payload().getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        }
    }

    // ---- running the Mosquitto clients ----

    private static String executable(String name, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin", name))) {
            return "/usr/bin/" + name;
        }
        throw new IllegalStateException(name + " not found on the PATH: install the Debian package " + debianPackage);
    }

    private List<String> connection(String version) {
        return List.of("-h", broker.host(), "-p", String.valueOf(broker.port(MqttTestBroker.Listener.TCP)), "-V", version);
    }

    private void publish(String topic, String payload, int qos, String version) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(pub));
        cmd.addAll(connection(version));
        cmd.addAll(List.of("-q", String.valueOf(qos), "-t", topic));
        if (payload == null) {
            cmd.add("-n"); // a null (empty) message, as 10/EPMP's /get/keys takes
        } else {
            cmd.addAll(List.of("-m", payload));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mosquitto_pub did not finish: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("mosquitto_pub exit code; output: %s", out).isZero();
    }

    /** Starts mosquitto_sub and returns once its SUBACK arrived. */
    private Subscriber subscribe(String filter, int count, String version) throws Exception {
        // mosquitto_sub writes to a pipe here, which the C library buffers until exit: stdbuf (GNU
        // coreutils) makes it line-buffered, so that the SUBACK line arrives when it happens.
        List<String> cmd = new ArrayList<>(List.of(stdbuf, "-oL", sub));
        cmd.addAll(connection(version));
        cmd.addAll(List.of("-d", "-q", "2", "-t", filter, "-F", "%q %t %p", "-C", String.valueOf(count),
                "-W", String.valueOf(TIMEOUT_SECONDS)));
        Subscriber s = new Subscriber(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        if (!s.subscribed.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            s.close();
            throw new AssertionError("mosquitto_sub got no SUBACK; output: " + s.output());
        }
        return s;
    }

    /** A running mosquitto_sub: its debug lines tell when it subscribed; the others are messages. */
    private static final class Subscriber implements AutoCloseable {
        private final Process process;
        private final CountDownLatch subscribed = new CountDownLatch(1);
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        Subscriber(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "mosquitto_sub reader");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    if (line.startsWith("Client ") && line.contains("received SUBACK")) {
                        subscribed.countDown();
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        }

        /** Waits for mosquitto_sub to exit (after its message count) and returns the messages it printed. */
        List<Printed> messages() throws InterruptedException {
            if (!process.waitFor(TIMEOUT_SECONDS + 5, TimeUnit.SECONDS)) {
                throw new AssertionError("mosquitto_sub did not receive its messages; output: " + output());
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
            List<Printed> out = new ArrayList<>();
            for (String line : output()) {
                // Debug lines start with "Client " or "Subscribed"; messages with their QoS digit.
                if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
                    String[] parts = line.split(" ", 3);
                    out.add(new Printed(Integer.parseInt(parts[0]), parts[1], parts.length > 2 ? parts[2] : ""));
                }
            }
            assertThat(process.exitValue()).as("mosquitto_sub exit code (27: timed out); output: %s", output()).isZero();
            return out;
        }

        List<String> output() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
