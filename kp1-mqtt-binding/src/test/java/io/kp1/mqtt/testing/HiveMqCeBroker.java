package io.kp1.mqtt.testing;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ Community Edition, embedded in the test JVM ({@code com.hivemq:hivemq-community-edition-embedded}),
 * with a generated configuration on free loopback ports.
 *
 * <pre>{@code
 * try (HiveMqCeBroker broker = HiveMqCeBroker.launch()) {
 *     int port = broker.port(MqttTestBroker.Listener.TCP);
 *     broker.restart();   // same ports, fresh in-memory state
 * }
 * }</pre>
 *
 * <p>Configuration: in-memory persistence, anonymous usage statistics off, a TCP, a TLS (PKCS#12
 * key store from {@link TlsMaterial}), a TLS with client authentication REQUIRED (trust store with
 * the test CA) and a WebSocket listener, plus a second TCP listener for {@link #USERNAME}; an
 * embedded extension authenticates that listener and refuses subscriptions to
 * {@link #DENIED_FILTER}.
 *
 * <p>Caveats found with 2025.5 on Java 17: a stopped instance cannot be started again (its metric
 * registry keeps the old gauges), so {@link #start()} after {@link #stop()} builds a new instance on
 * the same folders and ports; {@link #stop()} takes about four seconds (HiveMQ's shutdown waits);
 * it needs JCTools 4 while the HiveMQ client asks for 2.1 (the parent POM pins 4.0.5, which has
 * what both use). Its logging goes to the test's own SLF4J binding ({@code withoutLoggingBootstrap}).
 */
public final class HiveMqCeBroker implements MqttTestBroker {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final Map<MqttTestBroker.Listener, Integer> ports = new EnumMap<>(MqttTestBroker.Listener.class);
    private EmbeddedHiveMQ hivemq;

    private HiveMqCeBroker() throws IOException {
        dir = Files.createTempDirectory("kp1-hivemq-");
        for (MqttTestBroker.Listener l : MqttTestBroker.Listener.values()) {
            ports.put(l, MqttTestBroker.freePort());
        }
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(dir.resolve("extensions"));
        writeConfig();
    }

    /** Makes a broker with every {@link MqttTestBroker.Listener} and starts it. */
    public static HiveMqCeBroker launch() {
        try {
            HiveMqCeBroker broker = new HiveMqCeBroker();
            broker.start();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int port(MqttTestBroker.Listener listener) {
        return ports.get(listener);
    }

    @Override
    public synchronized void start() {
        if (hivemq != null) {
            return;
        }
        EmbeddedHiveMQ h = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(dir.resolve("conf"))
                .withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions"))
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("kp1-test-security")
                        .withName("kp1 test security")
                        .withVersion("1")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(new SecurityExtension(port(MqttTestBroker.Listener.PASSWORD)))
                        .build())
                .withoutLoggingBootstrap()
                .build();
        try {
            h.start().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting HiveMQ CE", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(h);
            throw new IllegalStateException("HiveMQ CE did not start", e);
        }
        hivemq = h;
        for (MqttTestBroker.Listener l : MqttTestBroker.Listener.values()) {
            if (!MqttTestBroker.awaitListening(port(l), Duration.ofSeconds(10))) {
                throw new IllegalStateException("HiveMQ CE does not listen on " + l + " port " + port(l));
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (hivemq == null) {
            return;
        }
        closeQuietly(hivemq);
        hivemq = null;
        for (MqttTestBroker.Listener l : MqttTestBroker.Listener.values()) {
            MqttTestBroker.awaitClosed(port(l), Duration.ofSeconds(5));
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return hivemq != null;
    }

    @Override
    public String name() {
        return "hivemq-ce";
    }

    @Override
    public void close() {
        stop();
        MqttTestBroker.deleteQuietly(dir);
    }

    @Override
    public String toString() {
        return "HiveMqCeBroker" + ports;
    }

    private static void closeQuietly(EmbeddedHiveMQ h) {
        try {
            h.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // Stopping is best effort; the next start uses a new instance.
        }
    }

    private void writeConfig() throws IOException {
        TlsMaterial tls = TlsMaterial.shared();
        Path keyStore = tls.writeServerKeyStore(dir.resolve("conf/server.p12"));
        Path trustStore = tls.writeCaTrustStore(dir.resolve("conf/ca-trust.p12"));
        String bind = host();
        String pw = TlsMaterial.STORE_PASSWORD;
        String keyStoreXml = "<keystore><path>" + keyStore + "</path><password>" + pw + "</password>"
                + "<private-key-password>" + pw + "</private-key-password></keystore>";
        String xml = "<?xml version=\"1.0\"?>\n<!-- Generated by kp1-java's HiveMqCeBroker test fixture -->\n"
                + "<hivemq>\n<listeners>\n"
                + tcp("tcp", port(MqttTestBroker.Listener.TCP), bind)
                + tcp("password", port(MqttTestBroker.Listener.PASSWORD), bind)
                + "<tls-tcp-listener><port>" + port(MqttTestBroker.Listener.TLS) + "</port><bind-address>" + bind
                + "</bind-address><name>tls</name><tls>" + keyStoreXml
                + "<client-authentication-mode>NONE</client-authentication-mode></tls></tls-tcp-listener>\n"
                + "<tls-tcp-listener><port>" + port(MqttTestBroker.Listener.MUTUAL_TLS) + "</port><bind-address>" + bind
                + "</bind-address><name>mutual-tls</name><tls>" + keyStoreXml
                + "<truststore><path>" + trustStore + "</path><password>" + pw + "</password></truststore>"
                + "<client-authentication-mode>REQUIRED</client-authentication-mode></tls></tls-tcp-listener>\n"
                + "<websocket-listener><port>" + port(MqttTestBroker.Listener.WEBSOCKET) + "</port><bind-address>" + bind
                + "</bind-address><name>websocket</name><path>" + WEBSOCKET_PATH + "</path>"
                + "<subprotocols><subprotocol>mqttv3.1</subprotocol><subprotocol>mqtt</subprotocol></subprotocols>"
                + "<allow-extensions>true</allow-extensions></websocket-listener>\n"
                + "</listeners>\n"
                + "<persistence><mode>in-memory</mode></persistence>\n"
                + "<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>\n"
                + "</hivemq>\n";
        Files.writeString(dir.resolve("conf/config.xml"), xml);
    }

    private static String tcp(String name, int port, String bind) {
        return "<tcp-listener><port>" + port + "</port><bind-address>" + bind + "</bind-address><name>" + name
                + "</name></tcp-listener>\n";
    }

    /** Password check on one listener and the {@link #DENIED_FILTER} rule, as an embedded extension. */
    private static final class SecurityExtension implements ExtensionMain {
        private final int passwordPort;

        SecurityExtension(int passwordPort) {
            this.passwordPort = passwordPort;
        }

        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            SimpleAuthenticator authenticator = this::authenticate;
            Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
            SubscriptionAuthorizer authorizer = (in, out) -> {
                if (in.getSubscription().getTopicFilter().equals(DENIED_FILTER)) {
                    out.failAuthorization();
                } else {
                    out.authorizeSuccessfully();
                }
            };
            Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }

        private void authenticate(SimpleAuthInput in, SimpleAuthOutput out) {
            boolean passwordListener = in.getConnectionInformation().getListener()
                    .map(com.hivemq.extension.sdk.api.client.parameter.Listener::getPort).filter(p -> p == passwordPort).isPresent();
            if (!passwordListener) {
                out.authenticateSuccessfully();
                return;
            }
            boolean userOk = in.getConnectPacket().getUserName().filter(USERNAME::equals).isPresent();
            boolean passwordOk = in.getConnectPacket().getPassword()
                    .map(HiveMqCeBroker::text)
                    .filter(PASSWORD::equals).isPresent();
            if (userOk && passwordOk) {
                out.authenticateSuccessfully();
            } else {
                out.failAuthentication();
            }
        }
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.asReadOnlyBuffer()).toString();
    }
}
