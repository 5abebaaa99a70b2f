package io.kp1.extension.dcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.kp1.extension.ExchangeSchemas;
import io.kp1.extension.InMemoryEndpoint;
import io.kp1.extension.JsonArbitraries;
import io.kp1.extension.PayloadLimits;
import io.kp1.server.Router;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** 2/DCP properties: any batch the client writes is schema-valid and reaches the sink unchanged. */
class DataCollectionProperties {
    @Provide
    Arbitrary<List<JsonNode>> batches() {
        return JsonArbitraries.values(3).list().ofMaxSize(5);
    }

    @Property(tries = 200)
    void pushAll_anyBatch_sinkGetsSameSamplesAndPayloadIsSchemaValid(@ForAll("batches") List<JsonNode> batch) {
        List<List<JsonNode>> received = new ArrayList<>();
        Router router = DataCollection.routes((req, samples) -> {
            received.add(samples);
            return CompletableFuture.completedFuture(null);
        }).addTo(Router.builder()).build();
        InMemoryEndpoint ep = InMemoryEndpoint.mqtt(router);
        DataCollection.on(ep).pushAll(batch).join();
        assertThat(received).containsExactly(batch);
        ExchangeSchemas.assertAllValid(ep.exchanges());
    }

    @Property(tries = 200)
    void readRequest_anyBareNonArrayValue_isOneSample(@ForAll("bare") JsonNode sample) {
        byte[] json = sample.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(DataCollection.readRequest(json, PayloadLimits.DEFAULTS)).containsExactly(sample);
    }

    @Provide
    Arbitrary<JsonNode> bare() {
        return JsonArbitraries.values(2).filter(n -> !n.isArray());
    }
}
