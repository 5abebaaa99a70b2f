package io.kp1.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Captures every log event of a logger tree (Logback) at a chosen level, to check what logs say:
 * above all that an endpoint token never appears whole at any level above TRACE (D16). The
 * text checked for each event is its formatted message, every argument's {@code toString()},
 * the throwable chain (class names, messages, causes, suppressed, stack frames) and the MDC.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start("io.kp1", Level.DEBUG)) {
 *     router.route(requestWhoseHandlerThrowsWithTheToken).toCompletableFuture().join();
 *     logs.assertNeverContains("JTjdbENzHh");     // and something was logged at all
 * }
 * }</pre>
 *
 * <p>While it runs, the logger's events go only to this capture (not to the console); closing
 * restores the level and additivity.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final Level oldLevel;
    private final boolean oldAdditive;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String loggerName, Level level) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        oldLevel = logger.getLevel();
        oldAdditive = logger.isAdditive();
        appender.start();
        logger.addAppender(appender);
        logger.setAdditive(false);
        logger.setLevel(level);
    }

    /** Starts capturing {@code loggerName} (e.g. {@code "io.kp1"}) and its children at {@code level} and above. */
    public static LogCapture start(String loggerName, Level level) {
        return new LogCapture(loggerName, level);
    }

    /** The events captured so far. */
    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    /** Every text an event carries: formatted message, arguments, throwable chain and MDC values. */
    public static List<String> texts(ILoggingEvent e) {
        List<String> texts = new ArrayList<>();
        texts.add(e.getFormattedMessage());
        texts.add(e.getMessage());
        if (e.getArgumentArray() != null) {
            for (Object a : e.getArgumentArray()) {
                texts.add(String.valueOf(a));
            }
        }
        addThrowable(texts, e.getThrowableProxy(), 0);
        texts.addAll(e.getMDCPropertyMap().values());
        return texts;
    }

    private static void addThrowable(List<String> texts, IThrowableProxy t, int depth) {
        if (t == null || depth > 20) {
            return;
        }
        texts.add(t.getClassName() + ": " + t.getMessage());
        if (t.getStackTraceElementProxyArray() != null) {
            for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                texts.add(s.getSTEAsString());
            }
        }
        addThrowable(texts, t.getCause(), depth + 1);
        if (t.getSuppressed() != null) {
            for (IThrowableProxy s : t.getSuppressed()) {
                addThrowable(texts, s, depth + 1);
            }
        }
    }

    /**
     * Fails if any captured event carries {@code secret} in any of its {@link #texts}, naming the
     * event; fails too if nothing was captured, so that the check cannot pass by silence.
     */
    public void assertNeverContains(String secret) {
        List<ILoggingEvent> events = events();
        if (events.isEmpty()) {
            throw new AssertionError("Nothing was logged: the check would prove nothing");
        }
        for (ILoggingEvent e : events) {
            for (String text : texts(e)) {
                if (text != null && text.contains(secret)) {
                    throw new AssertionError("D16: a " + e.getLevel() + " event of " + e.getLoggerName()
                            + " holds the whole token: " + text.replace(secret, "<TOKEN>"));
                }
            }
        }
    }

    /** Whether some event's formatted message contains {@code text}. */
    public boolean anyMessageContains(String text) {
        return events().stream().anyMatch(e -> e.getFormattedMessage().contains(text));
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setAdditive(oldAdditive);
        logger.setLevel(oldLevel);
        appender.stop();
    }
}
