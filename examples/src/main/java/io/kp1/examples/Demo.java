package io.kp1.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.Topic;
import io.kp1.examples.box.KaaInABox;
import io.kp1.extension.cep.CommandResult;
import io.kp1.mqtt.Kp1MqttServer;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The README's first command: a gateway for many endpoints (100 by default) against "Kaa in a
 * box", all in one process, with nothing to install.
 *
 * <pre>{@code
 * java -jar examples/target/kp1-examples.jar                  # 100 endpoints
 * java -jar examples/target/kp1-examples.jar --endpoints 1000 --concurrency 64
 * }</pre>
 *
 * <ol>
 *   <li>Starts {@link KaaInABox}: an embedded MQTT broker, and 2/DCP, 10/EPMP, 7/CMP and 11/CEP
 *       services on in-memory stores, served over MQTT and HTTP.</li>
 *   <li>Runs the {@link Gateway} over HTTP ({@link GatewayTransport}): every endpoint pushes
 *       data, writes and reads back its metadata, applies its configuration; the box changes
 *       every configuration and every endpoint picks up the new one; the box enqueues a reboot
 *       command for every endpoint and gets its result.</li>
 *   <li>Has a raw MQTT device (one HiveMQ client, topics by hand) talk to the same box: data for
 *       every endpoint on one connection, then a closer look at each protocol, pushes included.</li>
 *   <li>Prints a summary table and exits 0 if every step succeeded, 1 otherwise (2 for a bad
 *       command line).</li>
 * </ol>
 *
 * <p>Progress is one line rewritten in place on a terminal, and a line every two seconds
 * otherwise.
 */
public final class Demo {
    static final String APP_VERSION = "demo_application_v1";
    private static final int SAMPLES_PER_REQUEST = 3;
    private static final String COMMAND = "reboot";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final boolean live;
    private final int endpoints;
    private final int concurrency;
    private final GatewayTransport.Kind transport;
    private final boolean mqtt;
    private final Stats stats = new Stats();
    private boolean ok = true;

    private Demo(PrintStream out, boolean live, int endpoints, int concurrency, GatewayTransport.Kind transport,
            boolean mqtt) {
        this.out = out;
        this.live = live;
        this.endpoints = endpoints;
        this.concurrency = concurrency;
        this.transport = transport;
        this.mqtt = mqtt;
    }

    /** Runs the demo and exits with its status. */
    public static void main(String[] args) {
        int status = run(args, System.out, isTerminal(), true);
        System.out.flush();
        System.exit(status); // the embedded broker stops with the JVM
    }

    /** Whether standard output is a terminal: progress is then rewritten in place. */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22 and later return a console for redirected output too; isTerminal() tells.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // Java 17 to 21: a console means a terminal
        }
    }

    /**
     * Runs the demo.
     *
     * @param live whether {@code out} is a terminal (progress rewritten in place)
     * @return 0 when every step succeeded, 1 when one failed, 2 for a bad command line
     */
    static int run(String[] args, PrintStream out, boolean live) {
        return run(args, out, live, false);
    }

    /** @param exiting whether the JVM exits right after: the broker is then left to stop with it */
    private static int run(String[] args, PrintStream out, boolean live, boolean exiting) {
        Demo demo;
        try {
            Args a = Args.parse(args, Set.of("help", "no-mqtt"), Set.of("endpoints", "concurrency", "transport"));
            if (a.has("help")) {
                out.print(usage());
                return 0;
            }
            demo = new Demo(out, live, a.intValue("endpoints", 100, 1, 100_000),
                    a.intValue("concurrency", 16, 1, 1024),
                    GatewayTransport.Kind.parse(a.value("transport", "http")), !a.has("no-mqtt"));
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.print(usage());
            return 2;
        }
        return demo.run(exiting);
    }

    static String usage() {
        return String.join(System.lineSeparator(),
                "usage: java -jar kp1-examples.jar [options]",
                "  --endpoints N     endpoints behind the gateway (default 100)",
                "  --concurrency C   endpoints served at once (default 16)",
                "  --transport T     the gateway's transport: http (mqtt follows with the MQTT gateway client)",
                "  --no-mqtt         skip the embedded broker and the raw MQTT device (starts faster)",
                "  --help            this text",
                "");
    }

    private int run(boolean exiting) {
        long t0 = System.nanoTime();
        out.printf(Locale.ROOT, "kp1-java demo: a gateway for %d endpoints against Kaa in a box%n%n", endpoints);
        ObjectNode firstConfig = JsonNodeFactory.instance.objectNode().put("samplePeriodSeconds", 10)
                .put("unit", "celsius");
        KaaInABox box;
        try {
            box = KaaInABox.builder().mqtt(mqtt).defaultConfiguration(firstConfig).start();
        } catch (RuntimeException e) {
            out.println("Kaa in a box did not start: " + Gateway.describe(e));
            return 1;
        }
        try (Progress progress = new Progress(out, live, stats)) {
            out.printf(Locale.ROOT, "Kaa in a box (started in %.1f s): 2/DCP dcx, 10/EPMP epmx, 7/CMP cmx, 11/CEP cex"
                    + " on in-memory stores%n", (System.nanoTime() - t0) / 1e9);
            if (box.hasMqtt()) {
                out.printf("  MQTT  embedded HiveMQ CE on %s:%d, served by Kp1MqttServer%n", box.mqttHost(),
                        box.mqttPort());
            }
            out.printf("  HTTP  %s, served by Kp1HttpHandler on the JDK HTTP server%n%n", box.httpBaseUri());

            List<String> tokens = new ArrayList<>(endpoints);
            for (int i = 1; i <= endpoints; i++) {
                tokens.add(String.format(Locale.ROOT, "demo-%04d", i));
            }
            try (GatewayTransport t = open(box)) {
                gateway(box, t, tokens, progress);
            }
            if (box.hasMqtt()) {
                rawMqtt(box, tokens, progress);
            }
            summary(box, t0);
        } finally {
            if (exiting) {
                box.closeForExit();
            } else {
                box.close();
            }
        }
        return ok ? 0 : 1;
    }

    private GatewayTransport open(KaaInABox box) {
        switch (transport) {
            case HTTP:
            default:
                return GatewayTransport.http(HttpClient.newHttpClient(), box.httpBaseUri(), REQUEST_TIMEOUT,
                        concurrency);
        }
    }

    /** The gateway steps, over whichever transport. */
    private void gateway(KaaInABox box, GatewayTransport t, List<String> tokens, Progress progress) {
        out.printf(Locale.ROOT, "Gateway over %s: %d endpoints, %d at a time%n", t.description(), tokens.size(),
                concurrency);
        Gateway gw = new Gateway(t, APP_VERSION, tokens, stats, progress, concurrency);
        int n = tokens.size();

        check(gw.run("data collection", d -> d.pushData(SAMPLES_PER_REQUEST),
                o -> String.format(Locale.ROOT, "%d/%d endpoints pushed %d samples each; the box stored %d", o.ok(), n,
                        SAMPLES_PER_REQUEST, box.data().sampleCount())));

        check(gw.run("metadata", Gateway.Device::syncMetadata,
                o -> String.format(Locale.ROOT, "%d/%d endpoints wrote name, firmwareVersion, model and read them"
                        + " back", o.ok(), n)));

        String firstId = box.configurations().current(tokens.get(0)).configId();
        check(gw.run("configuration", Gateway.Device::fetchConfiguration,
                o -> String.format(Locale.ROOT, "%d/%d endpoints applied configuration %s", o.ok(), n,
                        shortId(firstId))));

        JsonNode next = JsonNodeFactory.instance.objectNode().put("samplePeriodSeconds", 5).put("unit", "celsius");
        String nextId = null;
        for (String token : tokens) {
            nextId = box.configurations().set(token, next);
        }
        progress.line("  (the box assigns configuration " + shortId(nextId) + " to every endpoint)");
        String expected = nextId;
        check(gw.run("configuration change", Gateway.Device::fetchChangedConfiguration,
                o -> String.format(Locale.ROOT, "%d/%d endpoints saw %s and applied it; the box has %d reports",
                        o.ok(), n, shortId(expected), box.configurations().appliedCount(expected))));

        List<CompletableFuture<CommandResult>> results = new ArrayList<>(n);
        for (String token : tokens) {
            results.add(box.commands().enqueue(token, COMMAND, JsonNodeFactory.instance.objectNode()
                    .put("delaySeconds", 0)));
        }
        progress.line("  (the box enqueues a " + COMMAND + " command for every endpoint)");
        check(gw.run("commands", d -> d.runSomeCommands(COMMAND),
                o -> String.format(Locale.ROOT, "%d/%d endpoints ran %s; the box got %d results with status 200",
                        o.ok(), n, COMMAND, succeeded(results))));
        out.println();
    }

    /** The same box, from an MQTT device that writes its topics by hand. */
    private void rawMqtt(KaaInABox box, List<String> tokens, Progress progress) {
        out.printf("Raw MQTT device (one HiveMQ client, topics written by hand) on %s:%d%n", box.mqttHost(),
                box.mqttPort());
        try (RawMqttDevice device = RawMqttDevice.connect(box.mqttHost(), box.mqttPort(), APP_VERSION,
                REQUEST_TIMEOUT)) {
            Progress.Step step = progress.begin("data collection", tokens.size());
            List<CompletableFuture<RawMqttDevice.Message>> replies = new ArrayList<>(tokens.size());
            for (String token : tokens) {
                // Request ID 1 for every endpoint: IDs are unique per endpoint and extension (K4, D12).
                Stats.Recorder r = stats.start("dcx /json (raw MQTT)");
                CompletableFuture<RawMqttDevice.Message> f = device.request(
                        "kp1/" + APP_VERSION + "/dcx/" + token + "/json/1", "[{\"temperature\":21.5}]")
                        .orTimeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                f.whenComplete((m, t) -> {
                    r.done(m != null, m == null || m.isError());
                    step.advance(m != null && !m.isError());
                });
                replies.add(f);
            }
            CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).exceptionally(t -> null).join();
            int answered = step.done() - step.failed();
            step.end(String.format(Locale.ROOT, "%d/%d endpoints on one connection (K10), published at once,"
                    + " replies on .../json/1/status", answered, tokens.size()));
            ok &= answered == tokens.size();
            closerLook(box, device, tokens.get(0));
        } catch (Exception e) {
            out.println("  the raw MQTT device failed: " + Gateway.describe(e));
            ok = false;
        }
        out.println("  (the gateway above runs over MQTT unchanged once kp1-mqtt-binding's Kp1MqttClient ships)");
        out.println();
    }

    /** Each protocol once, with the topics and payloads on the wire, pushes (K11) included. */
    private void closerLook(KaaInABox box, RawMqttDevice device, String token) throws Exception {
        out.println("  a closer look at one endpoint (tokens redacted in output, D16):");
        String base = "kp1/" + APP_VERSION + "/";
        exchange(device, base + "dcx/" + token + "/json/2", "[{\"temperature\":21.5,\"humidity\":40}]");
        exchange(device, base + "epmx/" + token + "/get/keys/3", "");
        exchange(device, base + "cmx/" + token + "/config/json/4", "{\"observe\":true}");

        String configPush = base + "cmx/" + token + "/config/json/status";
        CompletableFuture<RawMqttDevice.Message> pushed = device.nextOn(configPush);
        box.configurations().set(token, JsonNodeFactory.instance.objectNode().put("samplePeriodSeconds", 1)
                .put("unit", "celsius"));
        out.println("       (the box assigns a new configuration)");
        show("<-", pushed.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "push, K11");

        exchange(device, base + "cex/" + token + "/command/" + COMMAND + "/5", "{\"observe\":true}");
        String commandPush = base + "cex/" + token + "/command/" + COMMAND + "/status";
        CompletableFuture<RawMqttDevice.Message> command = device.nextOn(commandPush);
        CompletableFuture<CommandResult> result = box.commands().enqueue(token, COMMAND,
                JsonNodeFactory.instance.objectNode().put("delaySeconds", 0));
        out.println("       (the box enqueues a " + COMMAND + " command)");
        RawMqttDevice.Message m = command.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        show("<-", m, "push, K11");
        long id = JSON.readTree(m.payload()).get(0).get("id").asLong();
        exchange(device, base + "cex/" + token + "/result/" + COMMAND + "/6",
                "[{\"id\":" + id + ",\"statusCode\":200,\"payload\":{\"done\":true}}]");
        CommandResult r = result.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        out.printf(Locale.ROOT, "       (the box has the result of command %d: %d)%n", r.id(), r.statusCode());
        ok &= r.statusCode() == 200;
    }

    private void exchange(RawMqttDevice device, String topic, String payload) throws Exception {
        show("->", new RawMqttDevice.Message(topic, payload), null);
        Stats.Recorder r = stats.start(operationOf(topic) + " (raw MQTT)");
        RawMqttDevice.Message reply;
        try {
            reply = device.request(topic, payload).get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            r.done(false, true);
            throw e;
        }
        r.done(true, reply.isError());
        ok &= !reply.isError();
        show("<-", reply, null);
    }

    /** {@code "cex /command/reboot"} for a request topic with an ID. */
    private static String operationOf(String topic) {
        Topic t = Topic.parseRequest(topic);
        return t.path().extension() + " " + t.path().resource();
    }

    private void show(String arrow, RawMqttDevice.Message m, String note) {
        // Topic.toString() redacts the endpoint token (D16).
        String topic = (arrow.equals("->") ? Topic.parseRequest(m.topic()) : Topic.parseReply(m.topic())).toString();
        String payload = m.payload().isEmpty() ? "(empty)" : m.payload();
        if (payload.length() > 52) {
            payload = payload.substring(0, 49) + "...";
        }
        out.printf(Locale.ROOT, "    %s %-66s %s%s%n", arrow, topic, payload, note == null ? "" : "  (" + note + ")");
    }

    private void summary(KaaInABox box, long t0) {
        out.println("Summary");
        out.print(stats.table());
        out.printf(Locale.ROOT, "  the box: %d samples from %d endpoints, %d metadata records, %d command results%n",
                box.data().sampleCount(), box.data().endpoints().size(), box.metadata().size(),
                box.commands().resultCount());
        if (box.hasMqtt()) {
            Kp1MqttServer.Counters c = box.mqttCounters();
            out.printf(Locale.ROOT, "  its MQTT server: %d requests routed, %d replies published, %d errors%n",
                    c.routed(), c.replied(), c.errors());
        }
        long[] totals = stats.totals();
        ok &= totals[2] == 0 && totals[0] == totals[1];
        out.printf(Locale.ROOT, "%nResult: %s (%.1f s)%n", ok ? "OK, every step succeeded" : "FAILED, see above",
                (System.nanoTime() - t0) / 1e9);
    }

    private void check(Gateway.Outcome o) {
        ok &= o.allOk();
    }

    private static long succeeded(List<CompletableFuture<CommandResult>> results) {
        return results.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()
                && f.join().statusCode() == 200).count();
    }

    private static String shortId(String configId) {
        return configId == null ? "(none)" : configId.length() > 8 ? configId.substring(0, 8) + "..." : configId;
    }
}
