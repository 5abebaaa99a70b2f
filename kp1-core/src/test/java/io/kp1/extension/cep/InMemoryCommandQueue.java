package io.kp1.extension.cep;

import io.kp1.server.Request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link CommandQueue} in memory for one endpoint: outstanding commands per type, results received. */
final class InMemoryCommandQueue implements CommandQueue {
    private final Map<String, Map<Long, Command>> outstanding = new LinkedHashMap<>();
    final List<String> results = new CopyOnWriteArrayList<>();
    final List<Optional<Boolean>> observeFlags = new CopyOnWriteArrayList<>();

    synchronized void add(String type, Command c) {
        outstanding.computeIfAbsent(type, t -> new LinkedHashMap<>()).put(c.id(), c);
    }

    synchronized List<Command> outstanding(String type) {
        return new ArrayList<>(outstanding.getOrDefault(type, Map.of()).values());
    }

    @Override
    public synchronized CompletionStage<List<Command>> pending(Request request, String type, Optional<Boolean> observe) {
        observeFlags.add(observe);
        return CompletableFuture.completedFuture(outstanding(type));
    }

    @Override
    public synchronized CompletionStage<Void> results(Request request, String type, List<CommandResult> rs) {
        for (CommandResult r : rs) {
            results.add(type + " " + r);
            Map<Long, Command> m = outstanding.get(type);
            if (m != null) {
                m.remove(r.id()); // 11/CEP: no longer outstanding
            }
        }
        return CompletableFuture.completedFuture(null);
    }
}
