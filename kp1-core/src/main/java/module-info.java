/**
 * kp1-core: the sans-I/O model of the Kaa Protocol v1 (1/KP).
 */
@SuppressWarnings("module") // io.kp1.http is not there when kp1-core compiles
module io.kp1.core {
    requires transitive com.fasterxml.jackson.core;
    // transitive: the typed extension API (io.kp1.extension.*) hands out and takes JsonNode.
    requires transitive com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports io.kp1;
    exports io.kp1.client;
    exports io.kp1.correlation;
    exports io.kp1.server;
    exports io.kp1.extension;
    exports io.kp1.extension.dcp;
    exports io.kp1.extension.epmp;
    exports io.kp1.extension.cmp;
    exports io.kp1.extension.cep;
    // kp1-http-binding logs its host's exceptions (authenticators) through the same redaction (D16).
    exports io.kp1.server.internal to io.kp1.http;
}
