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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The README's first command: a gateway for many endpoints (100 by default) against "Kaa in a
 * box", first over MQTT, then the same over HTTP, all in one process, with nothing to install.
 *
 * <pre>{@code
 * java -jar examples/target/kp1-examples.jar                  # 100 endpoints, MQTT then HTTP
 * java -jar examples/target/kp1-examples.jar --endpoints 1000 --concurrency 64 --transport mqtt
 * }</pre>
 *
 * <ol>
 *   <li>Starts {@link KaaInABox}: an embedded MQTT broker, and 2/DCP, 10/EPMP, 7/CMP and 11/CEP
 *       services on in-memory stores, served over MQTT and HTTP.</li>
 *   <li>Runs the {@link Gateway} over MQTT ({@link GatewayTransport#mqtt}: every endpoint on one
 *       connection, K10): every endpoint pushes data, writes and reads back its metadata, and
 *       observes its configuration and its reboot commands (K11); the box changes every
 *       configuration and enqueues a reboot for every endpoint, which arrive as pushes; each
 *       endpoint applies the configuration and runs the command, and the box gets the reports.</li>
 *   <li>The same over HTTP ({@link GatewayTransport#http}), which has no push (K12): the endpoints
 *       ask again for their configuration and poll their commands.</li>
 *   <li>A closer look at one endpoint's topics: a raw MQTT client (topics by hand) walks
 *       through each protocol once, pushes included.</li>
 *   <li>Prints a summary table (rows per transport) and exits 0 if every step succeeded, 1
 *       otherwise (2 for a bad command line).</li>
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
    private final List<GatewayTransport.Kind> transports;
    private final boolean mqtt;
    private final Stats stats = new Stats();
    private boolean ok = true;

    private Demo(PrintStream out, boolean live, int endpoints, int concurrency, List<GatewayTransport.Kind> transports,
            boolean mqtt) {
        this.out = out;
        this.live = live;
        this.endpoints = endpoints;
        this.concurrency = concurrency;
        this.transports = transports;
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
            boolean mqtt = !a.has("no-mqtt");
            List<GatewayTransport.Kind> kinds = transports(a.value("transport", mqtt ? "both" : "http"));
            if (!mqtt && kinds.contains(GatewayTransport.Kind.MQTT)) {
                throw new IllegalArgumentException("--no-mqtt runs the HTTP gateway only; drop --transport or say http");
            }
            demo = new Demo(out, live, a.intValue("endpoints", 100, 1, 100_000),
                    a.intValue("concurrency", 16, 1, 1024), kinds, mqtt);
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.print(usage());
            return 2;
        }
        return demo.run(exiting);
    }

    /** {@code mqtt}, {@code http} or {@code both} (MQTT first). */
    private static List<GatewayTransport.Kind> transports(String name) {
        if (name.equalsIgnoreCase("both")) {
            return List.of(GatewayTransport.Kind.MQTT, GatewayTransport.Kind.HTTP);
        }
        try {
            return List.of(GatewayTransport.Kind.parse(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown transport \"" + name + "\"; choose one of mqtt, http, both");
        }
    }

    static String usage() {
        return String.join(System.lineSeparator(),
                "usage: java -jar kp1-examples.jar [options]",
                "  --endpoints N     endpoints behind the gateway (default 100)",
                "  --concurrency C   endpoints served at once (default 16)",
                "  --transport T     the gateway's transport: mqtt, http or both (default both: MQTT, then HTTP)",
                "  --no-mqtt         skip the embedded broker: HTTP only, no closer look (starts faster)",
                "  --help            this text",
                "");
    }

    private int run(boolean exiting) {
        long t0 = System.nanoTime();
        out.printf(Locale.ROOT, "kp1-java demo: a gateway for %d endpoints against Kaa in a box, over %s%n%n",
                endpoints, transports.stream().map(Enum::name).collect(Collectors.joining(", then ")));
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

            for (GatewayTransport.Kind kind : transports) {
                // Each transport's own fleet, so that one's configuration change is news to the other.
                String prefix = kind.name().toLowerCase(Locale.ROOT);
                List<String> tokens = new ArrayList<>(endpoints);
                for (int i = 1; i <= endpoints; i++) {
                    tokens.add(String.format(Locale.ROOT, "%s-%04d", prefix, i));
                }
                GatewayTransport t;
                try {
                    t = open(kind, box);
                } catch (RuntimeException e) {
                    out.println("The " + kind + " gateway cannot connect: " + Gateway.describe(e));
                    ok = false;
                    continue;
                }
                try (t) {
                    gateway(box, t, tokens, progress);
                }
            }
            if (box.hasMqtt()) {
                rawMqtt(box);
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

    private GatewayTransport open(GatewayTransport.Kind kind, KaaInABox box) {
        switch (kind) {
            case MQTT:
                return GatewayTransport.mqtt(GatewayTransport.MqttConnection.plain(box.mqttHost(), box.mqttPort()),
                        REQUEST_TIMEOUT);
            case HTTP:
            default:
                return GatewayTransport.http(HttpClient.newHttpClient(), box.httpBaseUri(), REQUEST_TIMEOUT,
                        concurrency);
        }
    }

    /** The gateway steps, over whichever transport; with push (MQTT, K11) where it has it. */
    private void gateway(KaaInABox box, GatewayTransport t, List<String> tokens, Progress progress) {
        out.printf(Locale.ROOT, "Gateway over %s: %d endpoints, %d at a time%n", t.description(), tokens.size(),
                concurrency);
        Gateway gw = new Gateway(t, APP_VERSION, tokens, stats, progress, concurrency);
        boolean push = gw.devices().get(0).endpoint().supportsObserve();
        int n = tokens.size();

        check(gw.run("data collection", d -> d.pushData(SAMPLES_PER_REQUEST),
                o -> String.format(Locale.ROOT, "%d/%d endpoints pushed %d samples each; the box stored %d", o.ok(), n,
                        SAMPLES_PER_REQUEST, samples(box, tokens))));

        check(gw.run("metadata", Gateway.Device::syncMetadata,
                o -> String.format(Locale.ROOT, "%d/%d endpoints wrote name, firmwareVersion, model and read them"
                        + " back", o.ok(), n)));

        String firstId = box.configurations().current(tokens.get(0)).configId();
        if (push) {
            check(gw.run("configuration", d -> timed(d.observeConfiguration()),
                    o -> String.format(Locale.ROOT, "%d/%d endpoints observe their configuration (K11) and applied"
                            + " %s", o.ok(), n, shortId(firstId))));
        } else {
            check(gw.run("configuration", Gateway.Device::fetchConfiguration,
                    o -> String.format(Locale.ROOT, "%d/%d endpoints applied configuration %s", o.ok(), n,
                            shortId(firstId))));
        }

        JsonNode next = JsonNodeFactory.instance.objectNode().put("samplePeriodSeconds", 5).put("unit", "celsius");
        gw.devices().forEach(Gateway.Device::expectConfiguration);
        String nextId = null;
        for (String token : tokens) {
            nextId = box.configurations().set(token, next);
        }
        progress.line("  (the box assigns configuration " + shortId(nextId) + " to every endpoint)");
        String expected = nextId;
        if (push) {
            check(gw.run("configuration change", d -> timed(d.expectedConfiguration()),
                    o -> String.format(Locale.ROOT, "%d/%d endpoints got %s pushed and applied it; the box has %d"
                            + " reports", o.ok(), n, shortId(expected), applied(box, tokens, expected))));
        } else {
            check(gw.run("configuration change", Gateway.Device::fetchChangedConfiguration,
                    o -> String.format(Locale.ROOT, "%d/%d endpoints asked again, saw %s and applied it; the box has"
                            + " %d reports", o.ok(), n, shortId(expected), applied(box, tokens, expected))));
        }

        if (push) {
            check(gw.run("command observation", d -> timed(d.observeCommands(COMMAND)),
                    o -> String.format(Locale.ROOT, "%d/%d endpoints observe their %s commands (K11)", o.ok(), n,
                            COMMAND)));
        }
        Map<String, CompletableFuture<CommandResult>> results = new HashMap<>();
        for (String token : tokens) {
            results.put(token, box.commands().enqueue(token, COMMAND, JsonNodeFactory.instance.objectNode()
                    .put("delaySeconds", 0)));
        }
        progress.line("  (the box enqueues a " + COMMAND + " command for every endpoint)");
        if (push) {
            check(gw.run("commands", d -> timed(results.get(d.token())),
                    o -> String.format(Locale.ROOT, "%d/%d endpoints got %s pushed and ran it; the box got %d results"
                            + " with status 200", o.ok(), n, COMMAND, succeeded(results))));
            gw.awaitIdle(REQUEST_TIMEOUT); // the results' replies, before the transport closes
            gw.devices().forEach(Gateway.Device::stopObserving);
        } else {
            check(gw.run("commands", d -> d.runSomeCommands(COMMAND),
                    o -> String.format(Locale.ROOT, "%d/%d endpoints polled, ran %s; the box got %d results with"
                            + " status 200", o.ok(), n, COMMAND, succeeded(results))));
        }
        out.println();
    }

    private static <T> CompletableFuture<T> timed(CompletableFuture<T> f) {
        return f.orTimeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The endpoints among {@code tokens} whose last report says {@code configId} applied (7/CMP). */
    private static long applied(KaaInABox box, List<String> tokens, String configId) {
        return tokens.stream().filter(t -> box.configurations().applied(t)
                .filter(r -> r.isApplied() && r.configId().equals(configId)).isPresent()).count();
    }

    private static long samples(KaaInABox box, List<String> tokens) {
        return tokens.stream().mapToLong(t -> box.data().samples(t).size()).sum();
    }

    /** A closer look at one endpoint's topics, from an MQTT client that writes them by hand. */
    private void rawMqtt(KaaInABox box) {
        out.printf("A closer look at one endpoint's topics: a raw MQTT client (topics by hand) on %s:%d%n",
                box.mqttHost(), box.mqttPort());
        try (RawMqttDevice device = RawMqttDevice.connect(box.mqttHost(), box.mqttPort(), APP_VERSION,
                REQUEST_TIMEOUT)) {
            closerLook(box, device, "raw-0001");
        } catch (Exception e) {
            out.println("  the raw MQTT client failed: " + Gateway.describe(e));
            ok = false;
        }
        out.println();
    }

    /** Each protocol once, with the topics and payloads on the wire, pushes (K11) included. */
    private void closerLook(KaaInABox box, RawMqttDevice device, String token) throws Exception {
        out.println("  (tokens redacted in output, D16)");
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
        Stats.Recorder r = stats.start("raw MQTT " + operationOf(topic));
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

    private static long succeeded(Map<String, CompletableFuture<CommandResult>> results) {
        return results.values().stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()
                && f.join().statusCode() == 200).count();
    }

    private static String shortId(String configId) {
        return configId == null ? "(none)" : configId.length() > 8 ? configId.substring(0, 8) + "..." : configId;
    }
}
