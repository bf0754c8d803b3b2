package io.lockscope.analyzer.threaddump;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmHints;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import io.lockscope.model.Visibility;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decodes {@code jcmd <pid> Thread.dump_to_file -format=json} (JDK 21+). Streams through the
 * containers and reads one thread at a time, so a dump with a million virtual threads stays small.
 *
 * <p>What the format can tell (jdk.internal.vm.ThreadDumper): JDK 21-24 print only names, ids and
 * stacks; JDK 25 adds {@code state}, {@code blockedOn}/{@code waitingOn} (monitors, as
 * {@code class@identityHash}), {@code monitorsOwned} per stack depth and {@code parkBlocker}.
 * It never names the owner of a java.util.concurrent lock: that owner is unknown, not absent.
 */
record JsonThreadDumpDecoder(String file) {

    private static final ObjectMapper MAPPER = ThreadDumpReader.Json.MAPPER;


    ThreadDumpReader.JsonResult decode(InputStream in) throws IOException {
        JsonFactory factory = MAPPER.getFactory();
        OptionalLong pid = OptionalLong.empty();
        Optional<Instant> time = Optional.empty();
        Optional<String> version = Optional.empty();
        List<JvmThread> threads = new ArrayList<>();
        boolean sawState = false;
        Optional<String> brokeOff = Optional.empty();
        try (JsonParser p = factory.createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!field.equals("threadDump")) {
                    p.skipChildren();
                    continue;
                }
                expect(p.currentToken(), JsonToken.START_OBJECT, p);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    switch (f) {
                        case "processId" -> pid = parseLong(p.getValueAsString());
                        case "time" -> time = parseInstant(p.getValueAsString());
                        case "runtimeVersion" -> version = Optional.ofNullable(p.getValueAsString());
                        case "threadContainers" -> {
                            expect(p.currentToken(), JsonToken.START_ARRAY, p);
                            while (p.nextToken() == JsonToken.START_OBJECT) {
                                sawState |= container(p, threads);
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // cut short or damaged: the threads read before it stay read
            if (threads.isEmpty()) {
                throw new IOException(ThreadDumpReader.describe(e), e);
            }
            brokeOff = Optional.of(ThreadDumpReader.describe(e));
        }
        return new ThreadDumpReader.JsonResult(new Snapshot(file, "jcmd-json", SourceRef.file(file), time, new JvmHints(pid, version.map(v -> "JDK " + v), Optional.empty()),
                threads, sawState ? Visibility.SHOWN : Visibility.NOT_SHOWN, Visibility.NOT_SHOWN, List.of(), List.of()), brokeOff);
    }

    /** Reads one container object; returns whether any thread had lock information. */
    private boolean container(JsonParser p, List<JvmThread> threads) throws IOException {
        boolean sawState = false;
        String containerName = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (f.equals("container")) {
                containerName = p.getValueAsString("");
            } else if (f.equals("threads") && p.currentToken() == JsonToken.START_ARRAY) {
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    long line = p.currentLocation().getLineNr();
                    JsonNode node = MAPPER.readTree(p);
                    sawState |= node.has("state");
                    threads.add(thread(node, threads.size(), line));
                }
            } else {
                p.skipChildren();
            }
        }
        return sawState;
    }

    private JvmThread thread(JsonNode n, int index, long line) {
        SourceRef at = SourceRef.line(file, line);
        List<String> stack = new ArrayList<>();
        n.path("stack").forEach(e -> stack.add(e.asText()));
        // lock actions by stack depth: owned monitors at their depth, the blocking one on top
        List<List<LockAction>> locks = new ArrayList<>();
        for (int i = 0; i < Math.max(1, stack.size()); i++) {
            locks.add(new ArrayList<>());
        }
        if (n.hasNonNull("blockedOn")) {
            locks.get(0).add(new LockAction(LockAction.Kind.WAITING_TO_LOCK, monitor(n.get("blockedOn").asText()), at));
        }
        if (n.hasNonNull("waitingOn")) {
            locks.get(0).add(new LockAction(LockAction.Kind.WAITING_ON, monitor(n.get("waitingOn").asText()), at));
        }
        JsonNode blocker = n.get("parkBlocker");
        if (blocker != null && !blocker.isNull()) {
            String obj = blocker.isObject() ? blocker.path("object").asText("") : blocker.asText("");
            if (!obj.isEmpty()) {
                locks.get(0).add(new LockAction(LockAction.Kind.PARKING, monitor(obj), at));
            }
        }
        for (JsonNode owned : n.path("monitorsOwned")) {
            int depth = owned.path("depth").asInt(0);
            for (JsonNode l : owned.path("locks")) {
                if (l.isNull()) {
                    continue; // an eliminated (scalar-replaced) monitor
                }
                int d = Math.min(Math.max(depth, 0), locks.size() - 1);
                locks.get(d).add(new LockAction(LockAction.Kind.LOCKED, monitor(l.asText()), at));
            }
        }
        List<Frame> frames = new ArrayList<>(stack.size());
        for (int i = 0; i < stack.size(); i++) {
            frames.add(DumpLines.toFrame(stripModule(stack.get(i)), locks.get(i)));
        }
        if (stack.isEmpty() && !locks.get(0).isEmpty()) {
            frames.add(new Frame("", "", locks.get(0)));
        }
        ThreadState state = n.has("state") ? ThreadState.parse(n.get("state").asText()) : ThreadState.UNKNOWN;
        String carrier = n.hasNonNull("carrier") ? "#" + n.get("carrier").asText() : null;
        return new JvmThread(index, n.path("name").asText(""), parseLong(n.path("tid").asText("")), Optional.empty(),
                Optional.empty(), state, "", false, n.path("virtual").asBoolean(false), Optional.ofNullable(carrier),
                frames, Optional.empty(), at, true);
    }

    /** "java.lang.Object@4952384c": the identity hash is the lock's id within this dump. */
    static LockRef monitor(String s) {
        int at = s.lastIndexOf('@');
        return new LockRef(s, at > 0 ? s.substring(0, at) : s);
    }

    /** "java.base/java.lang.Thread.run(Thread.java:1474)" prints the module before the class. */
    static String stripModule(String frame) {
        int slash = frame.indexOf('/');
        int paren = frame.indexOf('(');
        return slash > 0 && (paren < 0 || slash < paren) ? frame.substring(slash + 1) : frame;
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual + " at line "
                    + p.currentLocation().getLineNr());
        }
    }

    private static OptionalLong parseLong(String s) {
        try {
            return s == null || s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static Optional<Instant> parseInstant(String s) {
        try {
            return s == null ? Optional.empty() : Optional.of(Instant.parse(s));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
