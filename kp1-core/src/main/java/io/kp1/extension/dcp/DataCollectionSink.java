package io.kp1.extension.dcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.kp1.server.Request;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The server side of 2/DCP: takes the samples of one data collection request. Plug it into a
 * router with {@link DataCollection#routes(DataCollectionSink)}.
 *
 * <pre>{@code
 * DataCollectionSink sink = (request, samples) -> {
 *     long receivedAt = System.currentTimeMillis();    // 2/DCP: no built-in timestamps
 *     return repository.saveAll(request.appVersion(), request.endpointToken(), samples, receivedAt);
 * };
 * }</pre>
 *
 * <p>The stage completing normally answers an empty success; failing (or throwing) with
 * {@link io.kp1.extension.Kp1ErrorException} answers that error; any other failure answers 500.
 */
@FunctionalInterface
public interface DataCollectionSink {
    /**
     * Takes one batch.
     *
     * @param request the request: endpoint token, application version, principal, ...
     * @param samples the samples in order: the elements of the request's array, or the one bare
     *                value the request carried; read-only
     */
    CompletionStage<Void> accept(Request request, List<JsonNode> samples) throws Exception;
}
