package io.kp1.extension.cep;

import io.kp1.server.Request;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A {@link CommandQueue} with nothing outstanding, for tests that only need the routes. */
public final class CommandQueueStub implements CommandQueue {
    @Override
    public CompletionStage<List<Command>> pending(Request request, String type, Optional<Boolean> observe) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<Void> results(Request request, String type, List<CommandResult> results) {
        return CompletableFuture.completedFuture(null);
    }
}
