package io.kp1.server.internal;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RedactedThrowable}: handler failures can be logged without the endpoint token (D16). */
class RedactedThrowableTest {
    private static final String TOKEN = "JTjdbENzHh";

    @Test
    void of_noTokenInChain_returnsOriginal() {
        IOException e = new IOException("disk full", new IllegalStateException("inner"));

        assertThat(RedactedThrowable.of(e, TOKEN)).isSameAs(e);
        assertThat(RedactedThrowable.of(e, null)).isSameAs(e);
    }

    @Test
    void of_tokenInCause_everyMessageRedactedStackTracesKept_D16() {
        IllegalStateException cause = new IllegalStateException("no endpoint " + TOKEN);
        RuntimeException e = new RuntimeException("lookup failed", cause);

        Throwable r = RedactedThrowable.of(e, TOKEN);

        assertThat(r.getMessage()).isEqualTo("java.lang.RuntimeException: lookup failed");
        assertThat(r.getStackTrace()).isEqualTo(e.getStackTrace());
        assertThat(r.getCause().getMessage())
                .isEqualTo("java.lang.IllegalStateException: no endpoint JT******Hh");
        assertThat(r.getCause().getStackTrace()).isEqualTo(cause.getStackTrace());
        assertThat(r.getCause().getCause()).isNull();
    }

    @Test
    void of_causeCycle_terminates() {
        RuntimeException a = new RuntimeException("a " + TOKEN);
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        Throwable r = RedactedThrowable.of(a, TOKEN);

        assertThat(r.getMessage()).endsWith("a JT******Hh");
        assertThat(r.getCause().getMessage()).endsWith("b");
        assertThat(r.getCause().getCause()).isNull();
    }
}
