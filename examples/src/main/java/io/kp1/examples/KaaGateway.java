package io.kp1.examples;

import io.kp1.extension.cep.Commands;
import io.kp1.extension.cmp.ConfigResponse;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Authenticator;
import java.net.PasswordAuthentication;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The demo's gateway pointed at a real server: a Kaa deployment (Kaa Cloud, say) or any 1/KP
 * server, with your application version and endpoint tokens.
 *
 * <pre>{@code
 * java -cp examples/target/kp1-examples.jar io.kp1.examples.KaaGateway \
 *     --url https://cloud.kaaiot.com/kpc --app-version <your app version> \
 *     --token <endpoint token> [--token <another> | --tokens-file tokens.txt] \
 *     [--command-type reboot] [--rounds 3 --interval-seconds 10] [--write-metadata]
 * java -cp examples/target/kp1-examples.jar io.kp1.examples.KaaGateway \
 *     --url mqtts://mqtt.example.com:8883 --username gw --password secret --app-version <v> --token <t>
 * }</pre>
 *
 * <p>Each round, every endpoint pushes a sample (2/DCP), reads its metadata (10/EPMP; with
 * {@code --write-metadata} also writes name, firmwareVersion and model), fetches its
 * configuration and reports it applied (7/CMP), and, for each {@code --command-type}, polls its
 * commands, runs them (a success result) and reports the results (11/CEP). A summary table
 * follows; the exit status is 0 when nothing failed, 1 otherwise, 2 for a bad command line.
 *
 * <p>The URL's scheme picks the transport ({@link GatewayTransport}): {@code http://} and
 * {@code https://} a 1/KP HTTP base (K12); {@code mqtt://host[:1883]} and
 * {@code mqtts://host[:8883]} an MQTT broker, every endpoint on one connection (K10). Connection
 * settings (K13): {@code --username}/{@code --password} answer the server's HTTP Basic challenge,
 * or go in the MQTT CONNECT; {@code --trust-store} (PKCS#12 or JKS) replaces the JDK's trusted CAs
 * for a server with a private CA; {@code --key-store} presents a TLS client certificate (both need
 * {@code https://} or {@code mqtts://}). Tokens never appear whole in the output (D16).
 */
public final class KaaGateway {
    private static final Set<String> FLAGS = Set.of("help", "write-metadata");
    private static final Set<String> OPTIONS = Set.of("url", "app-version", "token", "tokens-file",
            "username", "password", "trust-store", "trust-store-password", "key-store", "key-store-password",
            "command-type", "rounds", "interval-seconds", "samples", "timeout-seconds", "concurrency");

    private KaaGateway() {
    }

    /** Runs the gateway and exits with its status. */
    public static void main(String[] args) {
        int status = run(args, System.out, Demo.isTerminal());
        System.out.flush();
        System.exit(status);
    }

    static String usage() {
        return String.join(System.lineSeparator(),
                "usage: java -cp kp1-examples.jar io.kp1.examples.KaaGateway --url URL --app-version V --token T [options]",
                "  --url URL                  the server: its 1/KP HTTP base, e.g. https://cloud.kaaiot.com/kpc",
                "                             (requests go to URL/kp1/<app version>/<extension>/<token>/...),",
                "                             or its MQTT broker, mqtt://host[:1883] or mqtts://host[:8883]",
                "  --app-version V            the application version name, e.g. demo_application_v1",
                "  --token T                  an endpoint token; repeat for more endpoints",
                "  --tokens-file F            endpoint tokens, one per line (# starts a comment)",
                "  --username U --password P  HTTP Basic credentials, sent when the server asks, or MQTT",
                "                             CONNECT credentials (K13)",
                "  --trust-store F [--trust-store-password P]  CAs to trust instead of the JDK's (PKCS#12 or JKS)",
                "  --key-store F [--key-store-password P]      a TLS client certificate to present (K13)",
                "  --command-type C           poll, run and report commands of this type; repeatable",
                "  --write-metadata           also write name, firmwareVersion and model (10/EPMP update)",
                "  --rounds R                 rounds to run (default 1)",
                "  --interval-seconds S       pause between rounds (default 10)",
                "  --samples N                samples per data request (default 1)",
                "  --timeout-seconds S        per-request timeout (default 10)",
                "  --concurrency C            endpoints served at once (default 16)",
                "  --help                     this text",
                "");
    }

    /**
     * Runs the gateway.
     *
     * @return 0 when nothing failed, 1 when something did, 2 for a bad command line
     */
    static int run(String[] args, PrintStream out, boolean live) {
        Settings s;
        try {
            Args a = Args.parse(args, FLAGS, OPTIONS);
            if (a.has("help")) {
                out.print(usage());
                return 0;
            }
            s = Settings.of(a);
        } catch (IllegalArgumentException | IOException e) {
            out.println(e.getMessage());
            out.print(usage());
            return 2;
        }
        GatewayTransport transport;
        try {
            transport = open(s);
        } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
            out.println("Cannot set up the connection: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            out.println(e.getMessage()); // the MQTT connection failed
            return 1;
        }
        Stats stats = new Stats();
        boolean ok = true;
        try (transport; Progress progress = new Progress(out, live, stats)) {
            Gateway gw;
            try {
                gw = new Gateway(transport, s.appVersion, s.tokens, stats, progress, s.concurrency);
            } catch (IllegalArgumentException e) {
                out.println(e.getMessage()); // names the rule; tokens are redacted (D16)
                return 2;
            }
            out.printf(Locale.ROOT, "kp1-java KaaGateway: %d endpoint(s) of %s over %s%n", s.tokens.size(),
                    s.appVersion, transport.description());
            int n = s.tokens.size();
            for (int round = 1; round <= s.rounds; round++) {
                if (round > 1) {
                    sleep(s.interval);
                }
                out.printf(Locale.ROOT, "round %d/%d%n", round, s.rounds);
                ok &= gw.run("data collection", d -> d.pushData(s.samples),
                        o -> String.format(Locale.ROOT, "%d/%d endpoints pushed %d sample(s)", o.ok(), n, s.samples))
                        .allOk();
                if (s.writeMetadata) {
                    ok &= gw.run("metadata", Gateway.Device::syncMetadata,
                            o -> String.format(Locale.ROOT, "%d/%d endpoints wrote and read back their metadata",
                                    o.ok(), n)).allOk();
                } else {
                    AtomicInteger keys = new AtomicInteger();
                    ok &= gw.run("metadata", d -> d.readMetadata().thenApply(m -> keys.addAndGet(m.size())),
                            o -> String.format(Locale.ROOT, "%d/%d endpoints read their metadata (%d values)", o.ok(), n,
                                    keys.get())).allOk();
                }
                ok &= gw.run("configuration", Gateway.Device::fetchConfiguration,
                        o -> String.format(Locale.ROOT, "%d/%d endpoints asked; %s", o.ok(), n,
                                configurations(gw))).allOk();
                for (String type : s.commandTypes) {
                    AtomicInteger ran = new AtomicInteger();
                    ok &= gw.run("commands " + type, d -> d.runCommands(type).thenApply(r -> ran.addAndGet(r.size())),
                            o -> String.format(Locale.ROOT, "%d/%d endpoints polled; %d command(s) ran and reported",
                                    o.ok(), n, ran.get())).allOk();
                }
            }
            out.println();
            out.println("Summary");
            out.print(stats.table());
            long[] t = stats.totals();
            ok &= t[2] == 0;
            out.printf("%nResult: %s%n", ok ? "OK, nothing failed" : "FAILED, see above");
        }
        return ok ? 0 : 1;
    }

    /** What the endpoints have: "applied 9701cab2...", "2 configurations applied", or "none assigned". */
    private static String configurations(Gateway gw) {
        Set<String> ids = new java.util.TreeSet<>();
        for (Gateway.Device d : gw.devices()) {
            ConfigResponse c = d.configuration();
            if (c != null) {
                ids.add(c.configId());
            }
        }
        if (ids.isEmpty()) {
            return "no configuration assigned";
        }
        if (ids.size() == 1) {
            String id = ids.iterator().next();
            return "configuration " + (id.length() > 8 ? id.substring(0, 8) + "..." : id) + " applied";
        }
        return ids.size() + " different configurations applied";
    }

    private static GatewayTransport open(Settings s) throws IOException, GeneralSecurityException {
        switch (s.transport) {
            case MQTT:
                boolean tls = s.url.getScheme().equalsIgnoreCase("mqtts");
                GatewayTransport.MqttConnection c = GatewayTransport.MqttConnection.plain(s.url.getHost(),
                        s.url.getPort() > 0 ? s.url.getPort() : tls ? 8883 : 1883);
                if (tls) {
                    c = c.withTls(trustManagers(s), keyManagers(s));
                }
                if (s.username != null) {
                    c = c.withCredentials(s.username, s.password);
                }
                return GatewayTransport.mqtt(c, s.timeout);
            case HTTP:
            default:
                HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(s.timeout);
                if (s.username != null) {
                    PasswordAuthentication credentials = new PasswordAuthentication(s.username,
                            s.password == null ? new char[0] : s.password.toCharArray());
                    b.authenticator(new Authenticator() {
                        @Override
                        protected PasswordAuthentication getPasswordAuthentication() {
                            return credentials;
                        }
                    });
                }
                if (s.trustStore != null || s.keyStore != null) {
                    SSLContext ctx = SSLContext.getInstance("TLS");
                    TrustManagerFactory tmf = trustManagers(s);
                    KeyManagerFactory kmf = keyManagers(s);
                    ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(),
                            null);
                    b.sslContext(ctx);
                }
                return GatewayTransport.http(b.build(), s.url, s.timeout, s.concurrency);
        }
    }

    /** The trust store's CAs, or null for the JDK's. */
    private static TrustManagerFactory trustManagers(Settings s) throws IOException, GeneralSecurityException {
        if (s.trustStore == null) {
            return null;
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(s.trustStore, s.trustStorePassword));
        return tmf;
    }

    /** The key store's client certificate, or null. */
    private static KeyManagerFactory keyManagers(Settings s) throws IOException, GeneralSecurityException {
        if (s.keyStore == null) {
            return null;
        }
        char[] pw = s.keyStorePassword == null ? new char[0] : s.keyStorePassword.toCharArray();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(s.keyStore, s.keyStorePassword), pw);
        return kmf;
    }

    /** A PKCS#12 or JKS file (the JDK tells them apart). */
    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        try {
            return KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
        } catch (IOException e) {
            throw new IOException("Cannot read the key store " + file + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command line, checked. */
    private static final class Settings {
        URI url;
        String appVersion;
        List<String> tokens;
        GatewayTransport.Kind transport;
        String username;
        String password;
        Path trustStore;
        String trustStorePassword;
        Path keyStore;
        String keyStorePassword;
        List<String> commandTypes;
        boolean writeMetadata;
        int rounds;
        Duration interval;
        int samples;
        Duration timeout;
        int concurrency;

        static Settings of(Args a) throws IOException {
            Settings s = new Settings();
            try {
                s.url = new URI(require(a, "url"));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("Invalid --url: " + e.getMessage(), e);
            }
            s.appVersion = require(a, "app-version");
            s.tokens = new ArrayList<>(a.all("token"));
            for (String f : a.all("tokens-file")) {
                for (String line : Files.readAllLines(Path.of(f))) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        s.tokens.add(t);
                    }
                }
            }
            for (String type : a.all("command-type")) {
                if (!Commands.isValidType(type)) {
                    throw new IllegalArgumentException("Invalid --command-type \"" + type + "\": must match "
                            + Commands.TYPE_PATTERN + " (11/CEP)");
                }
            }
            if (s.tokens.isEmpty()) {
                throw new IllegalArgumentException("Give at least one endpoint token (--token or --tokens-file)");
            }
            s.transport = transportOf(s.url);
            s.username = a.value("username", null);
            s.password = a.value("password", null);
            if (s.password != null && s.username == null) {
                throw new IllegalArgumentException("--password needs --username");
            }
            s.trustStore = a.value("trust-store", null) == null ? null : Path.of(a.value("trust-store", null));
            s.trustStorePassword = a.value("trust-store-password", null);
            s.keyStore = a.value("key-store", null) == null ? null : Path.of(a.value("key-store", null));
            s.keyStorePassword = a.value("key-store-password", null);
            if ((s.trustStore != null || s.keyStore != null) && s.transport == GatewayTransport.Kind.MQTT
                    && !s.url.getScheme().equalsIgnoreCase("mqtts")) {
                throw new IllegalArgumentException("--trust-store and --key-store need TLS: use mqtts:// (K13)");
            }
            s.commandTypes = a.all("command-type");
            s.writeMetadata = a.has("write-metadata");
            s.rounds = a.intValue("rounds", 1, 1, 1_000_000);
            s.interval = Duration.ofSeconds(a.intValue("interval-seconds", 10, 0, 86_400));
            s.samples = a.intValue("samples", 1, 1, 10_000);
            s.timeout = Duration.ofSeconds(a.intValue("timeout-seconds", 10, 1, 3_600));
            s.concurrency = a.intValue("concurrency", 16, 1, 1024);
            return s;
        }

        /** http(s):// is HTTP (K12); mqtt(s)://host[:port] is MQTT. */
        private static GatewayTransport.Kind transportOf(URI url) {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
            switch (scheme) {
                case "http":
                case "https":
                    return GatewayTransport.Kind.HTTP;
                case "mqtt":
                case "mqtts":
                    if (url.getHost() == null || !(url.getRawPath() == null || url.getRawPath().isEmpty()
                            || url.getRawPath().equals("/")) || url.getRawQuery() != null || url.getRawUserInfo() != null) {
                        throw new IllegalArgumentException("Invalid --url \"" + url + "\": an MQTT broker is "
                                + scheme + "://host[:port], without path, query or user (use --username)");
                    }
                    return GatewayTransport.Kind.MQTT;
                default:
                    throw new IllegalArgumentException("Invalid --url \"" + url + "\": use http://, https:// (a 1/KP"
                            + " HTTP base, K12), mqtt:// or mqtts:// (an MQTT broker)");
            }
        }

        private static String require(Args a, String name) {
            String v = a.value(name, null);
            if (v == null || v.isBlank()) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return v;
        }
    }
}
