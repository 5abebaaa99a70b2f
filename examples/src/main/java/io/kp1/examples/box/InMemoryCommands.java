package io.kp1.examples.box;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kp1.ResourcePath;
import io.kp1.Topic;
import io.kp1.extension.cep.Command;
import io.kp1.extension.cep.CommandQueue;
import io.kp1.extension.cep.CommandResult;
import io.kp1.server.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kaa in a box's 11/CEP commands: the test or demo enqueues a command for an endpoint and gets a
 * future of its result, which completes when the endpoint reports it.
 *
 * <pre>{@code
 * CompletableFuture<CommandResult> r = box.commands().enqueue("JTjdbENzHh", "reboot", payload);
 * // ... the endpoint polls /command/reboot, runs it, reports /result/reboot ...
 * r.join().statusCode();     // 200
 * }</pre>
 *
 * <p>A command stays outstanding (answered to every command request) until its result arrives.
 * Endpoints that observe over MQTT ({@code "observe":true}, K11) get the outstanding commands
 * pushed on {@code kp1/<app>/cex/<token>/command/<type>/status} when one is enqueued. Results
 * for unknown command ids are counted and ignored. Thread-safe.
 */
public final class InMemoryCommands implements CommandQueue {
    /** One endpoint's commands of one type. */
    private record Key(String token, String type) {
    }

    private record Observer(String appVersion, Key key) {
    }

    private record Outstanding(Command command, CompletableFuture<CommandResult> result) {
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<Key, Map<Long, Outstanding>> outstanding = new LinkedHashMap<>();
    private final Set<Observer> observers = new HashSet<>();
    private long results;
    private long unknownResults;
    private volatile Pusher pusher;

    InMemoryCommands() {
    }

    void pusher(Pusher pusher) {
        this.pusher = pusher;
    }

    @Override
    public synchronized CompletionStage<List<Command>> pending(Request request, String type,
            Optional<Boolean> observe) {
        Key key = new Key(request.endpointToken(), type);
        if (request.isMqtt() && observe.orElse(false)) {
            observers.add(new Observer(request.appVersion(), key));
        }
        return CompletableFuture.completedFuture(commandsOf(key));
    }

    @Override
    public CompletionStage<Void> results(Request request, String type, List<CommandResult> reported) {
        List<Runnable> completions = new ArrayList<>(reported.size());
        synchronized (this) {
            Map<Long, Outstanding> m = outstanding.get(new Key(request.endpointToken(), type));
            for (CommandResult r : reported) {
                Outstanding o = m == null ? null : m.remove(r.id());
                if (o == null) {
                    unknownResults++;
                    continue;
                }
                results++;
                completions.add(() -> o.result.complete(r));
            }
        }
        completions.forEach(Runnable::run); // outside the lock: callers' stages may run here
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Enqueues a command for an endpoint, and pushes the outstanding commands of that type to it
     * if it observes them over MQTT.
     *
     * @param type    the command type, matching {@code ^[a-zA-Z0-9_-]+$}
     * @param payload the command payload; {@code MissingNode} for none
     * @return completes with the result the endpoint reports
     */
    public CompletableFuture<CommandResult> enqueue(String endpointToken, String type, JsonNode payload) {
        Objects.requireNonNull(endpointToken, "endpointToken must not be null");
        Objects.requireNonNull(type, "type must not be null");
        Command c = Command.of(ids.incrementAndGet(), Objects.requireNonNull(payload, "payload must not be null"));
        Key key = new Key(endpointToken, type);
        CompletableFuture<CommandResult> result = new CompletableFuture<>();
        List<Observer> to;
        List<Command> now;
        synchronized (this) {
            outstanding.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(c.id(), new Outstanding(c, result));
            to = observers.stream().filter(o -> o.key.equals(key)).toList();
            now = commandsOf(key);
        }
        Pusher p = pusher;
        if (p != null && !to.isEmpty()) {
            byte[] payloadJson = toJson(now);
            for (Observer o : to) {
                p.push(Topic.request(ResourcePath.of(o.appVersion, "cex", endpointToken, "/command/" + type))
                        .statusTopic().name(), payloadJson);
            }
        }
        return result;
    }

    /** The outstanding commands of one endpoint and type, oldest first. */
    public synchronized List<Command> outstanding(String endpointToken, String type) {
        return commandsOf(new Key(endpointToken, type));
    }

    /** The results received for enqueued commands. */
    public synchronized long resultCount() {
        return results;
    }

    /** The results received for command ids that were not outstanding (late or repeated reports). */
    public synchronized long unknownResultCount() {
        return unknownResults;
    }

    private List<Command> commandsOf(Key key) {
        Map<Long, Outstanding> m = outstanding.get(key);
        if (m == null || m.isEmpty()) {
            return List.of();
        }
        List<Command> list = new ArrayList<>(m.size());
        m.values().forEach(o -> list.add(o.command));
        return list;
    }

    private static byte[] toJson(List<Command> commands) {
        var array = JsonNodeFactory.instance.arrayNode(commands.size());
        for (Command c : commands) {
            ObjectNode o = array.addObject().put("id", c.id());
            if (c.hasPayload()) {
                o.set("payload", c.payload());
            }
        }
        return array.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public synchronized String toString() {
        return "InMemoryCommands[" + outstanding.values().stream().mapToInt(Map::size).sum() + " outstanding, "
                + results + " results]";
    }
}
