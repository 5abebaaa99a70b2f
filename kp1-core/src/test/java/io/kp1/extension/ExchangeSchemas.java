package io.kp1.extension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kp1.testkit.SchemaAssertions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks every payload of recorded exchanges against the RFC schema of its resource: requests
 * against the request schema, success replies against the response schema (or empty where the
 * RFC says so), error replies against the K7 schema. 11/CEP result requests are arrays whose
 * elements each validate against the RFC's single-object result schema (KP1.md).
 */
public final class ExchangeSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExchangeSchemas() {
    }

    /** Asserts every exchange's payloads valid. */
    public static void assertAllValid(List<InMemoryEndpoint.Exchange> exchanges) {
        assertThat(exchanges).as("exchanges to check").isNotEmpty();
        for (InMemoryEndpoint.Exchange e : exchanges) {
            assertValid(e);
        }
    }

    private static void assertValid(InMemoryEndpoint.Exchange e) {
        String r = e.resource();
        String request;
        String reply;
        switch (e.extension()) {
            case "dcx":
                request = SchemaAssertions.DCP_REQUEST;
                reply = null;
                break;
            case "epmx":
                if (r.equals("/get/keys")) {
                    request = "";
                    reply = SchemaAssertions.EPMP_GET_KEYS_RESPONSE;
                } else if (r.equals("/get")) {
                    request = SchemaAssertions.EPMP_GET_REQUEST;
                    reply = SchemaAssertions.EPMP_GET_RESPONSE;
                } else if (r.equals("/delete/keys")) {
                    request = SchemaAssertions.EPMP_DELETE_KEYS_REQUEST;
                    reply = null;
                } else {
                    request = SchemaAssertions.EPMP_UPDATE_REQUEST;
                    reply = null;
                }
                break;
            case "cmx":
                if (r.startsWith("/config/json")) {
                    request = SchemaAssertions.CMP_CONFIG_REQUEST;
                    reply = SchemaAssertions.CMP_CONFIG_RESPONSE;
                } else {
                    request = SchemaAssertions.CMP_APPLIED_REQUEST;
                    reply = null;
                }
                break;
            case "cex":
                if (r.startsWith("/command/")) {
                    request = SchemaAssertions.CEP_COMMAND_REQUEST;
                    reply = SchemaAssertions.CEP_COMMAND_RESPONSE;
                } else {
                    request = "result";
                    reply = SchemaAssertions.ERROR_RESPONSE;
                }
                break;
            default:
                throw new AssertionError("No schema known for " + e);
        }
        if (request.isEmpty()) {
            assertThat(e.request()).as("request payload of %s (10/EPMP: SHOULD be empty)", e).isEmpty();
        } else if (request.equals("result")) {
            assertResultArray(e.request(), e.toString());
        } else {
            SchemaAssertions.assertValid(request, e.request());
        }
        if (e.reply() == null) {
            return;
        }
        if (!e.reply().isSuccess()) {
            SchemaAssertions.assertValid(SchemaAssertions.ERROR_RESPONSE, e.reply().payloadBytes());
        } else if (reply == null) {
            assertThat(e.reply().payloadBytes()).as("success reply payload of %s (must be empty)", e).isEmpty();
        } else {
            SchemaAssertions.assertValid(reply, e.reply().payloadBytes());
        }
    }

    /** An 11/CEP result request as written: an array of objects, each valid against the RFC's result schema. */
    public static void assertResultArray(byte[] json, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        assertThat(root.isArray()).as("11/CEP result request of %s is an array (KP1.md: writers send arrays)", what)
                .isTrue();
        assertThat(root.size()).as("results in %s", what).isPositive();
        for (JsonNode item : root) {
            SchemaAssertions.assertValid(SchemaAssertions.CEP_RESULT_REQUEST, item.toString());
        }
    }
}
