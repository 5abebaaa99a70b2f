package io.kp1.mqtt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Eclipse Mosquitto 2.0 (the Debian package {@code mosquitto}, which {@code .ci/run} installs) run
 * as a child process with a generated configuration on free loopback ports.
 *
 * <pre>{@code
 * try (MosquittoBroker broker = MosquittoBroker.launch()) {
 *     String uri = broker.pahoUri(MqttTestBroker.Listener.TCP);   // tcp://127.0.0.1:40123
 *     broker.stop();    // SIGTERM: every client sees its connection drop at once
 *     broker.start();   // same ports, fresh in-memory state
 * }
 * try (MosquittoBroker broker = MosquittoBroker.launchPersistent("max_queued_messages 100000")) {
 *     broker.restart(); // SIGTERM saves mosquitto.db; persistent sessions and their queues survive
 * }
 * }</pre>
 *
 * <p>Configuration ({@code per_listener_settings true}, no persistence unless
 * {@link #launchPersistent}): {@code TCP} uses the
 * dynamic-security plugin shipped with the package to refuse subscriptions to
 * {@link #DENIED_FILTER}; {@code PASSWORD} has a password file with {@link #USERNAME} (hashed here
 * in Mosquitto's {@code $7$} PBKDF2-SHA512 format); {@code TLS} and {@code MUTUAL_TLS} use PEM files
 * from {@link TlsMaterial}; {@code WEBSOCKET} uses Mosquitto's built-in libwebsockets (which binds
 * every interface even when told loopback; tests only connect over loopback).
 *
 * <p>The executable is found at {@code -Dkp1.mosquitto=PATH}, {@code /usr/sbin/mosquitto} or on the
 * {@code PATH}; without it, {@link #launch()} fails and says how to install it. The broker's log is
 * {@code mosquitto.log} in its temporary folder; a failed start quotes its end.
 */
public final class MosquittoBroker implements MqttTestBroker {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

    private final Path dir;
    private final Path executable;
    private final boolean persistent;
    private final List<String> extraConfig;
    private final Map<Listener, Integer> ports = new EnumMap<>(Listener.class);
    private final Thread shutdownHook = new Thread(this::kill, "kill mosquitto");
    private Process process;

    private MosquittoBroker(Path executable, boolean persistent, List<String> extraConfig) throws IOException {
        this.executable = executable;
        this.persistent = persistent;
        this.extraConfig = List.copyOf(extraConfig);
        this.dir = Files.createTempDirectory("kp1-mosquitto-");
        for (Listener l : Listener.values()) {
            ports.put(l, MqttTestBroker.freePort());
        }
        writeConfig();
        // A JVM that dies without close() must not leave a broker behind.
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Makes a broker with every {@link Listener} and starts it. */
    public static MosquittoBroker launch() {
        return launch(false, List.of());
    }

    /**
     * Makes a broker as {@link #launch()} does, but with {@code persistence true} (the database in
     * its temporary folder), as a production broker runs: {@link #stop()} sends SIGTERM, on which
     * Mosquitto saves its database, so that after {@link #restart()} persistent sessions are back
     * with their subscriptions and the QoS 1 and 2 messages queued for them.
     *
     * @param extraGlobalConfig lines added to the general section, before the listeners
     *                          (for example {@code "max_queued_messages 100000"})
     */
    public static MosquittoBroker launchPersistent(String... extraGlobalConfig) {
        return launch(true, List.of(extraGlobalConfig));
    }

    private static MosquittoBroker launch(boolean persistent, List<String> extraConfig) {
        try {
            MosquittoBroker broker = new MosquittoBroker(findExecutable(), persistent, extraConfig);
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the Mosquitto executable can be found here. */
    public static boolean isInstalled() {
        return locate().isPresent();
    }

    @Override
    public int port(Listener listener) {
        return ports.get(listener);
    }

    @Override
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(executable.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + executable, e);
        }
        for (Listener l : Listener.values()) {
            if (!MqttTestBroker.awaitListening(port(l), START_TIMEOUT)) {
                String log = logTail();
                kill();
                throw new IllegalStateException("Mosquitto did not listen on " + l + " port " + port(l)
                        + " within " + START_TIMEOUT.toSeconds() + " s. Log:\n" + log);
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Mosquitto", e);
        }
        process = null;
        for (Listener l : Listener.values()) {
            MqttTestBroker.awaitClosed(port(l), Duration.ofSeconds(5));
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public String name() {
        return "mosquitto";
    }

    /** The broker's log so far (last 4 KiB), for failure messages. */
    public String logTail() {
        try {
            Path log = dir.resolve("mosquitto.log");
            if (!Files.exists(log)) {
                return "(no log)";
            }
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return s.length() > 4096 ? s.substring(s.length() - 4096) : s;
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down already.
        }
        MqttTestBroker.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return "MosquittoBroker" + ports;
    }

    private synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private void writeConfig() throws IOException {
        TlsMaterial.shared().writePem(dir);
        Files.writeString(dir.resolve("passwd"), USERNAME + ":" + hashPassword(PASSWORD) + "\n");
        Files.writeString(dir.resolve("dynsec.json"), """
                {
                  "defaultACLAccess": {"publishClientSend": true, "publishClientReceive": true,
                                       "subscribe": true, "unsubscribe": true},
                  "clients": [],
                  "groups": [{"groupname": "anonymous", "roles": [{"rolename": "anonymous"}]}],
                  "roles": [{"rolename": "anonymous", "acls": [
                    {"acltype": "subscribePattern", "topic": "%s", "priority": 10, "allow": false}
                  ]}],
                  "anonymousGroup": "anonymous"
                }
                """.formatted(DENIED_FILTER));
        String bind = host();
        String tls = "cafile " + dir.resolve("ca.pem") + "\ncertfile " + dir.resolve("server.pem")
                + "\nkeyfile " + dir.resolve("server.key") + "\n";
        String conf = "# Generated by kp1-java's MosquittoBroker test fixture\n"
                + "per_listener_settings true\n"
                + (persistent
                        ? "persistence true\npersistence_location " + dir + "/\n"
                        : "persistence false\n")
                // Loopback: without it, Nagle's algorithm against delayed ACKs stalls small replies ~40 ms.
                + "set_tcp_nodelay true\n"
                // Mosquitto drops root privileges to user "mosquitto" unless told to stay who runs it.
                + "user " + System.getProperty("user.name") + "\n"
                + "log_dest stdout\n"
                + "log_type error\nlog_type warning\nlog_type notice\nlog_type information\n"
                + extraConfig.stream().map(line -> line + "\n").collect(java.util.stream.Collectors.joining())
                + "\nlistener " + port(Listener.TCP) + " " + bind + "\n"
                + "allow_anonymous true\n"
                + "plugin " + dynamicSecurityPlugin() + "\n"
                + "plugin_opt_config_file " + dir.resolve("dynsec.json") + "\n"
                + "\nlistener " + port(Listener.PASSWORD) + " " + bind + "\n"
                + "allow_anonymous false\n"
                + "password_file " + dir.resolve("passwd") + "\n"
                + "\nlistener " + port(Listener.TLS) + " " + bind + "\n"
                + "allow_anonymous true\n" + tls
                + "\nlistener " + port(Listener.MUTUAL_TLS) + " " + bind + "\n"
                + "allow_anonymous true\n" + tls
                + "require_certificate true\n"
                + "\nlistener " + port(Listener.WEBSOCKET) + " " + bind + "\n"
                + "protocol websockets\n"
                + "allow_anonymous true\n";
        Files.writeString(dir.resolve("mosquitto.conf"), conf);
    }

    /** Mosquitto 2.0's password file format: {@code $7$iterations$salt$hash}, PBKDF2-HMAC-SHA512. */
    static String hashPassword(String password) {
        try {
            byte[] salt = new byte[12];
            new SecureRandom().nextBytes(salt);
            int iterations = 101;
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 64 * 8);
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
            Base64.Encoder b64 = Base64.getEncoder();
            return "$7$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path findExecutable() {
        return locate().orElseThrow(() -> new IllegalStateException(
                "Mosquitto is not installed: these tests run a real broker. Install the Debian package "
                        + "(apt-get install mosquitto; .ci/run does) or pass -Dkp1.mosquitto=/path/to/mosquitto"));
    }

    private static Optional<Path> locate() {
        String configured = System.getProperty("kp1.mosquitto");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        Stream<Path> candidates = Stream.concat(
                Stream.of(Path.of("/usr/sbin/mosquitto"), Path.of("/usr/local/sbin/mosquitto")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                        .filter(s -> !s.isEmpty())
                        .map(s -> Path.of(s, "mosquitto")));
        return candidates.filter(Files::isExecutable).findFirst();
    }

    private static Path dynamicSecurityPlugin() {
        for (Path root : List.of(Path.of("/usr/lib"), Path.of("/usr/local/lib"), Path.of("/usr/lib64"))) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> s = Files.find(root, 2, (p, a) -> p.getFileName().toString().equals("mosquitto_dynamic_security.so"))) {
                Optional<Path> found = s.findFirst();
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (IOException e) {
                // Unreadable folder: look in the next one.
            }
        }
        throw new IllegalStateException("mosquitto_dynamic_security.so not found under /usr/lib: "
                + "it comes with Mosquitto 2.0's Debian package");
    }
}
