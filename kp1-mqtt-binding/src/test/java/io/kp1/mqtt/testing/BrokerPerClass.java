package io.kp1.mqtt.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class with one broker: started once before its tests, started again before each test
 * if an earlier one left it stopped, and closed after them.
 *
 * <pre>{@code
 * class RestartIT extends BrokerPerClass<MosquittoBroker> {
 *     protected MosquittoBroker startBroker() {
 *         return MosquittoBroker.launch();
 *     }
 *
 *     @Test
 *     void restart_...() {
 *         broker.stop();
 *     }
 * }
 * }</pre>
 *
 * @param <B> the broker type the tests need
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BrokerPerClass<B extends MqttTestBroker> {
    /** The broker of this class, started once before the tests. */
    protected B broker;

    /** For subclasses. */
    protected BrokerPerClass() {
    }

    /** Starts the broker the tests use (once per class); it is closed after them. */
    protected abstract B startBroker();

    @BeforeAll
    final void startBrokerOnce() {
        broker = startBroker();
    }

    @AfterAll
    final void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    final void brokerUp() {
        broker.start(); // no-op while running; an earlier test may have failed while it was down
    }
}
