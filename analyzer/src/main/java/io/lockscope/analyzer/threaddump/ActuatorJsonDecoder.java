package io.lockscope.analyzer.threaddump;

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
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decodes Spring Boot actuator's JSON thread dump ({@code GET /actuator/threaddump}, and Boot 1.x's
 * {@code GET /dump}, the same threads as a bare array), and Jolokia's response to an exec of
 * {@code ThreadMXBean.dumpAllThreads}, the same threads in its "value": Jackson's
 * rendering of {@code ThreadMXBean.dumpAllThreads(true, true)}, one object per ThreadInfo with
 * its stack, {@code lockInfo}, {@code lockedMonitors} by stack depth and {@code lockedSynchronizers};
 * and Micronaut's {@code GET /threaddump}, a bare array too, whose serializer leaves empty arrays out
 * and writes a locked monitor without the frame it was taken in.
 * Locks are named by identity hash, in hex as the actuator's text dump prints them, so that the
 * two renderings of one moment name the same locks alike. The response's HTTP headers, when the
 * file was saved with {@code curl -i}, are passed over. It carries no pid and no time.
 */
record ActuatorJsonDecoder(String file, String format) {

    private static final ObjectMapper MAPPER = ThreadDumpReader.Json.MAPPER;
    /**
     * The names this decoder reads, by their letters alone: an application whose ObjectMapper has
     * a naming strategy (SNAKE_CASE, KEBAB_CASE, LOWER_CASE, UPPER_CAMEL_CASE, ...) and shares it
     * with the actuator writes "thread_name" or "ThreadName" for "threadName".
     */
    private static final java.util.Map<String, String> NAMES = java.util.stream.Stream.of("threads", "threadName", "threadId",
            "threadState", "daemon", "stackTrace", "className", "methodName", "fileName", "lineNumber", "nativeMethod", "lockInfo",
            "identityHashCode", "lockedMonitors", "lockedStackDepth", "lockedSynchronizers", "lockOwnerId", "lockOwnerName")
            .collect(java.util.stream.Collectors.toMap(ActuatorJsonDecoder::letters, n -> n));


    ThreadDumpReader.JsonResult decode(InputStream raw) throws IOException {
        InputStream in = withoutHttpHeaders(raw);
        List<JvmThread> threads = new ArrayList<>();
        UnlistedOwners unlisted = new UnlistedOwners();
        boolean synchronizersListed = false;
        Optional<String> brokeOff = Optional.empty();
        try (JsonParser p = MAPPER.getFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                // Boot 1.x's GET /dump: the threads alone, a bare array
                synchronizersListed = threads(p, threads, unlisted);
            } else if (first != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object or array at line " + p.currentLocation().getLineNr());
            }
            while (first == JsonToken.START_OBJECT && p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                // Jolokia's response to an exec of dumpAllThreads holds the same objects in its "value"
                if (!(letters(field).equals("threads") || field.equals("value")) || p.currentToken() != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                synchronizersListed |= threads(p, threads, unlisted);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // cut short or damaged: the threads read before it stay read
            if (threads.isEmpty()) {
                throw new IOException(ThreadDumpReader.describe(e), e);
            }
            brokeOff = Optional.of(ThreadDumpReader.describe(e));
        }
        if (threads.isEmpty()) {
            throw new IOException("it holds no array of threads (\"threads\", Jolokia's \"value\", or one alone)");
        }
        if (synchronizersListed) {
            // a serializer that leaves empty arrays out (Micronaut's) lists a thread's synchronizers only if it holds some
            threads.replaceAll(t -> t.ownedSynchronizers().isPresent() ? t : t.withOwnedSynchronizers(Optional.of(List.of())));
        }
        unlisted.addTo(threads);
        return new ThreadDumpReader.JsonResult(new Snapshot(file, format, SourceRef.file(file), Optional.empty(),
                JvmHints.none(), threads, Visibility.SHOWN, synchronizersListed ? Visibility.SHOWN : Visibility.NOT_SHOWN,
                List.of(), List.of()), brokeOff);
    }

    /** The threads of the array the parser is at the start of; whether they list their ownable synchronizers. */
    private boolean threads(JsonParser p, List<JvmThread> threads, UnlistedOwners unlisted) throws IOException {
        boolean synchronizersListed = false;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            long line = p.currentLocation().getLineNr();
            JsonNode node = named(MAPPER.readTree(p));
            synchronizersListed |= node.has("lockedSynchronizers");
            JvmThread t = thread(node, threads.size(), line);
            threads.add(t);
            List<LockAction> top = t.frames().isEmpty() ? List.of() : t.frames().get(0).locks();
            if (!top.isEmpty() && top.get(0).kind() == LockAction.Kind.PARKING) {
                unlisted.parkedOn(top.get(0).lock(), node.path("lockOwnerId").asLong(-1),
                        node.path("lockOwnerName").isTextual() ? node.path("lockOwnerName").asText() : null, t.at());
            }
        }
        return synchronizersListed;
    }

    /** A name's letters in lower case: "thread_name", "thread-name", "ThreadName" and "threadName" are one. */
    static String letters(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '_' && c != '-' && c != '.') {
                b.append(Character.toLowerCase(c));
            }
        }
        return b.toString();
    }

    /** The node with the names this decoder reads as it knows them, however the application's mapper wrote them. */
    private static JsonNode named(JsonNode n) {
        if (n.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode out = MAPPER.createArrayNode();
            n.forEach(e -> out.add(named(e)));
            return out;
        }
        if (!n.isObject()) {
            return n;
        }
        com.fasterxml.jackson.databind.node.ObjectNode out = MAPPER.createObjectNode();
        n.fields().forEachRemaining(e -> out.set(NAMES.getOrDefault(letters(e.getKey()), e.getKey()), named(e.getValue())));
        return out;
    }

    private JvmThread thread(JsonNode n, int index, long line) {
        SourceRef at = SourceRef.line(file, line);
        ThreadState state = ThreadState.parse(n.path("threadState").asText(""));
        List<Frame> frames = new ArrayList<>();
        JsonNode stack = n.path("stackTrace");
        for (int depth = 0; depth < stack.size(); depth++) {
            JsonNode e = stack.get(depth);
            String method = e.path("className").asText("?") + "." + e.path("methodName").asText("?");
            frames.add(new Frame(method, location(e), List.of()));
        }
        for (int depth = 0; depth < frames.size(); depth++) {
            List<LockAction> locks = new ArrayList<>();
            JsonNode lockInfo = n.path("lockInfo");
            if (depth == 0 && lockInfo.isObject()) {
                LockAction.Kind kind = ThreadMXBeanText.waitKind(frames.get(0), state);
                if (kind != null) {
                    locks.add(new LockAction(kind, lock(lockInfo), at));
                }
            }
            for (JsonNode m : n.path("lockedMonitors")) {
                if (m.path("lockedStackDepth").asInt(-1) == depth) {
                    locks.add(new LockAction(LockAction.Kind.LOCKED, lock(m), at));
                }
            }
            if (!locks.isEmpty()) {
                Frame f = frames.get(depth);
                frames.set(depth, new Frame(f.method(), f.location(), locks));
            }
        }
        // Micronaut's serializer writes each locked monitor as a LockInfo, without the frame it was taken in: held all
        // the same, in a frame the dump does not name, shown as a frame "..." below the stack (as ThreadInfo.toString()'s
        // monitors held past its eighth frame are)
        List<LockAction> nowhere = new ArrayList<>();
        for (JsonNode m : n.path("lockedMonitors")) {
            int depth = m.path("lockedStackDepth").asInt(-1);
            if (depth < 0 || depth >= frames.size()) {
                nowhere.add(new LockAction(LockAction.Kind.LOCKED, lock(m), at));
            }
        }
        if (!nowhere.isEmpty()) {
            frames.add(new Frame("...", "", nowhere));
        }
        Optional<List<LockRef>> owned = Optional.empty();
        if (n.has("lockedSynchronizers")) {
            List<LockRef> list = new ArrayList<>();
            n.path("lockedSynchronizers").forEach(s -> list.add(lock(s)));
            owned = Optional.of(list);
        }
        OptionalLong id = n.path("threadId").canConvertToLong() ? OptionalLong.of(n.path("threadId").asLong()) : OptionalLong.empty();
        return new JvmThread(index, n.path("threadName").asText(""), id, Optional.empty(), Optional.empty(), state, "",
                n.path("daemon").asBoolean(false), false, Optional.empty(), frames, owned, at, true);
    }

    /** Where a frame is, as HotSpot's text names it: "Thread.java:840", "Native Method", "Unknown Source". */
    private static String location(JsonNode e) {
        if (e.path("nativeMethod").asBoolean(false)) {
            return "Native Method";
        }
        String fileName = e.path("fileName").isTextual() ? e.path("fileName").asText() : null;
        int line = e.path("lineNumber").asInt(-1);
        if (fileName == null) {
            return "Unknown Source";
        }
        return line >= 0 ? fileName + ":" + line : fileName;
    }

    /** {"className": "...", "identityHashCode": 1852354976} as the text dump names it: {@code <6e68b1a0> (a ...)}. */
    private static LockRef lock(JsonNode n) {
        return new LockRef(Integer.toHexString(n.path("identityHashCode").asInt()), n.path("className").asText("?"));
    }

    /** curl -i output: the response's status line and headers, then the body. */
    private static InputStream withoutHttpHeaders(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(1 << 16);
        byte[] start = in.readNBytes(5);
        if (!new String(start, StandardCharsets.ISO_8859_1).equals("HTTP/")) {
            in.reset();
            return in;
        }
        // to the blank line that ends the headers, CRLF or LF
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n' && previous == '\n') {
                break;
            }
            if (b != '\r') {
                previous = b;
            }
        }
        return in;
    }
}
