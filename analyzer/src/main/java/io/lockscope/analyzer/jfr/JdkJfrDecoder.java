package io.lockscope.analyzer.jfr;

import io.lockscope.model.Frame;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import jdk.jfr.consumer.EventStream;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;

/**
 * Format 2.x recordings through the JDK's own streaming parser. Subscribing to the event types
 * lockscope reads lets the parser skip the rest; events are handed on one at a time, and a stack is
 * converted only if the builder asks for it.
 */
final class JdkJfrDecoder {

    private JdkJfrDecoder() {
    }

    static void decode(Path file, RecordingBuilder sink) throws java.io.IOException {
        Converter converter = new Converter();
        try (EventStream stream = EventStream.openFile(file)) {
            // lockscope adds events up; it needs no time order, and ordering costs a sort per chunk
            stream.setOrdered(false);
            for (String type : JfrReader.EVENT_TYPES) {
                switch (type) {
                    // most events of a recording are these two: added up straight from the event
                    case "jdk.JavaMonitorEnter" -> stream.onEvent(type, e -> converter.monitorEnter(e, sink));
                    case "jdk.ThreadPark" -> stream.onEvent(type, e -> converter.park(e, sink));
                    default -> stream.onEvent(type, e -> sink.accept(converter.convert(e)));
                }
            }
            stream.start();
        }
    }

    /** Converts events, remembering per event type which fields it has, and per thread id the thread. */
    private static final class Converter {
        private final Map<Long, List<String>> plainFields = new HashMap<>();
        private final Map<Long, List<String>> classFields = new HashMap<>();
        private final Map<Long, List<String>> threadFields = new HashMap<>();
        private final Map<Long, Boolean> hasStart = new HashMap<>();
        /** RecordedClass.getName() rewrites the internal name on every call; constant-pool classes are shared. */
        private final Map<RecordedClass, String> classNames = new java.util.IdentityHashMap<>();

        private String name(RecordedClass c) {
            return c == null ? "?" : classNames.computeIfAbsent(c, RecordedClass::getName);
        }

        JfrEvent convert(RecordedEvent e) {
            long typeId = e.getEventType().getId();
            Map<String, Object> fields = new HashMap<>();
            for (String f : plainFields.computeIfAbsent(typeId, k -> present(e, List.of("message", "result", "jvmVersion",
                    "jvmName", "timeout", "address", "pid", "time")))) {
                Object v = e.getValue(f);
                if (v != null) {
                    fields.put(f, v instanceof Number || v instanceof Boolean ? v : v.toString());
                }
            }
            for (String f : classFields.computeIfAbsent(typeId, k -> present(e, List.of("thrownClass", "monitorClass", "parkedClass")))) {
                if (e.getValue(f) instanceof RecordedClass c) {
                    fields.put(f, c.getName());
                }
            }
            for (String f : threadFields.computeIfAbsent(typeId,
                    k -> present(e, List.of("thread", "previousOwner", "notifier", "parentThread")))) {
                if (e.getValue(f) instanceof RecordedThread t) {
                    fields.put(f, thread(t));
                }
            }
            if (hasStart.computeIfAbsent(typeId, k -> e.hasField("jvmStartTime"))) {
                fields.put("jvmStartTime", e.getInstant("jvmStartTime"));
            }
            Optional<JfrEvent.JfrThread> thread = e.getThread() == null ? Optional.empty() : Optional.of(thread(e.getThread()));
            return new JfrEvent(e.getEventType().getName(), e.getStartTime(), e.getDuration(), thread, () -> frames(e), fields);
        }

        // The fast paths read fields with getValue: the typed getters look each name up twice, and
        // on these two events, most of a recording, the look-ups were most of lockscope's own time.

        void monitorEnter(RecordedEvent e, RecordingBuilder sink) {
            RecordedThread owner = e.getValue("previousOwner") instanceof RecordedThread o ? o : null;
            sink.waits(LockWaits.one(io.lockscope.model.Recording.ContentionKind.MONITOR_ENTER,
                    name(e.getValue("monitorClass") instanceof RecordedClass c ? c : null), address(e), nanos(e.getStartTime()),
                    e.getDuration().toNanos(), eventThreadName(e), owner == null ? null : thread(owner).name(), () -> frames(e)));
        }

        void park(RecordedEvent e, RecordingBuilder sink) {
            if (!(e.getValue("parkedClass") instanceof RecordedClass c)) {
                sink.counted("jdk.ThreadPark", 1);
                return;
            }
            sink.waits(LockWaits.one(io.lockscope.model.Recording.ContentionKind.PARK, name(c), address(e), nanos(e.getStartTime()),
                    e.getDuration().toNanos(), eventThreadName(e), null, () -> frames(e)));
        }

        private static long nanos(java.time.Instant i) {
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        }

        private static long address(RecordedEvent e) {
            return e.getValue("address") instanceof Number n ? n.longValue() : 0;
        }

        private String eventThreadName(RecordedEvent e) {
            return e.getValue("eventThread") instanceof RecordedThread t ? thread(t).name() : "";
        }

        /**
         * The parser resolves a thread once per chunk into one RecordedThread; most look-ups end
         * here. Names are the parser's, as `jfr print` shows them.
         */
        private final Map<RecordedThread, JfrEvent.JfrThread> threadObjects = new java.util.IdentityHashMap<>();

        private JfrEvent.JfrThread thread(RecordedThread t) {
            JfrEvent.JfrThread known = threadObjects.get(t);
            if (known != null) {
                return known;
            }
            if (threadObjects.size() > 100_000) {
                threadObjects.clear();
            }
            JfrEvent.JfrThread made = JdkJfrDecoder.thread(t);
            threadObjects.put(t, made);
            return made;
        }

        /** The parser makes one RecordedStackTrace per stack and chunk, so each is converted once (by identity). */
        private final Map<RecordedStackTrace, JfrStack> stacks = new java.util.IdentityHashMap<>();

        private JfrStack frames(RecordedEvent e) {
            RecordedStackTrace trace = e.getStackTrace();
            if (trace == null) {
                return JfrStack.EMPTY;
            }
            JfrStack known = stacks.get(trace);
            if (known != null) {
                return known;
            }
            List<Frame> stack = new ArrayList<>();
            java.util.BitSet sync = new java.util.BitSet();
            for (RecordedFrame f : trace.getFrames()) {
                String cls = f.getMethod().getType().getName();
                int line = f.getLineNumber();
                if (JfrStack.synchronizedInstanceMethod(f.getMethod().getModifiers())) {
                    sync.set(stack.size());
                }
                stack.add(new Frame(cls + "." + f.getMethod().getName(), line > 0 ? Frame.guessedSourceFile(cls) + ":" + line : "", List.of()));
            }
            JfrStack made = new JfrStack(List.copyOf(stack), sync);
            if (stacks.size() > 20_000) {
                stacks.clear();
            }
            stacks.put(trace, made);
            return made;
        }

        private static List<String> present(RecordedEvent e, List<String> names) {
            return names.stream().filter(e::hasField).toList();
        }
    }

    static JfrEvent.JfrThread thread(RecordedThread t) {
        // recordings from JDK 21 on carry "virtual"; JDK 17's API has no method for it
        boolean virtual = t.hasField("virtual") && t.getBoolean("virtual");
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName() != null ? t.getOSName() : "";
        return new JfrEvent.JfrThread(t.getJavaThreadId(), name, t.getOSThreadId(), virtual);
    }
}
