/**
 * kp1-core: the sans-I/O model of the Kaa Protocol v1 (1/KP).
 */
module io.kp1.core {
    requires transitive com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.kp1;
    exports io.kp1.correlation;
}
