package io.kp1.correlation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/** Paths, topics and log capture shared by the correlation tests. */
final class Fixtures {
    static final String APP = "demo_v1";
    static final String TOKEN_A = "JTjdbENzHh";
    static final String TOKEN_B = "A8mQ2vLx0p";
    static final ResourcePath JSON_A = ResourcePath.of(APP, "dcx", TOKEN_A, "/json");
    static final ResourcePath JSON_B = ResourcePath.of(APP, "dcx", TOKEN_B, "/json");
    static final ResourcePath KEYS_A = ResourcePath.of(APP, "epmx", TOKEN_A, "/get/keys");
    static final ResourcePath CONFIG_A = ResourcePath.of(APP, "cmx", TOKEN_A, "/config/json");
    static final ResourcePath REBOOT_A = ResourcePath.of(APP, "cex", TOKEN_A, "/command/reboot");
    static final long SECOND = 1_000_000_000L;
    static final byte[] EMPTY = new byte[0];
    static final byte[] NOT_FOUND = "{\"statusCode\":404,\"reasonPhrase\":\"no such key\"}".getBytes(StandardCharsets.UTF_8);

    private Fixtures() {
    }

    /** The {@code /status} reply topic of a request, parsed from text as a transport would. */
    static Topic status(PendingRequest r) {
        return Topic.parseReply(r.topic().name() + Topic.STATUS_SUFFIX);
    }

    /** The {@code /error} reply topic of a request, parsed from text. */
    static Topic error(PendingRequest r) {
        return Topic.parseReply(r.topic().name() + Topic.ERROR_SUFFIX);
    }

    /** The {@code /status} reply topic for {@code path} and {@code id}, parsed from text. */
    static Topic status(ResourcePath path, int id) {
        return Topic.parseReply(path.asString() + "/" + id + Topic.STATUS_SUFFIX);
    }

    /** Keeps the correlator's debug logs out of the test output. */
    static void quietLogs() {
        logger().setLevel(Level.INFO);
    }

    /** Captures the correlator's log events at DEBUG and above until {@link #stopCapture} is called. */
    static ListAppender<ILoggingEvent> captureLogs() {
        Logger logger = logger();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false); // keep captured events off the console
        logger.setLevel(Level.DEBUG);
        return appender;
    }

    static void stopCapture(ListAppender<ILoggingEvent> appender) {
        logger().detachAppender(appender);
        logger().setAdditive(true);
        quietLogs();
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(Correlator.class);
    }
}
