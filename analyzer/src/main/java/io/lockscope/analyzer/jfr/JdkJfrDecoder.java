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
import jdk.jfr.consumer.RecordedThread;

/**
 * Format 2.x recordings through the JDK's own streaming parser. Subscribing to the event types
 * lockscope reads lets the parser skip the rest, and events are handed on one at a time.
 */
final class JdkJfrDecoder {

    private JdkJfrDecoder() {
    }

    static void decode(Path file, Consumer<JfrEvent> sink) throws java.io.IOException {
        try (EventStream stream = EventStream.openFile(file)) {
            for (String type : JfrReader.EVENT_TYPES) {
                stream.onEvent(type, e -> sink.accept(convert(e)));
            }
            stream.start();
        }
    }

    private static JfrEvent convert(RecordedEvent e) {
        Map<String, Object> fields = new HashMap<>();
        for (String f : List.of("message", "result", "jvmVersion", "jvmName", "timeout", "address", "pid", "time")) {
            if (e.hasField(f)) {
                Object v = e.getValue(f);
                if (v != null) {
                    fields.put(f, v instanceof Number || v instanceof Boolean ? v : v.toString());
                }
            }
        }
        for (String f : List.of("thrownClass", "monitorClass", "parkedClass")) {
            if (e.hasField(f) && e.getValue(f) instanceof RecordedClass c) {
                fields.put(f, c.getName());
            }
        }
        for (String f : List.of("thread", "previousOwner", "notifier", "parentThread")) {
            if (e.hasField(f) && e.getValue(f) instanceof RecordedThread t) {
                fields.put(f, thread(t));
            }
        }
        if (e.hasField("jvmStartTime")) {
            fields.put("jvmStartTime", e.getInstant("jvmStartTime"));
        }
        List<Frame> stack = new ArrayList<>();
        if (e.getStackTrace() != null) {
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                String cls = f.getMethod().getType().getName();
                int line = f.getLineNumber();
                stack.add(new Frame(cls + "." + f.getMethod().getName(), line > 0 ? simpleFile(cls) + ":" + line : "", List.of()));
            }
        }
        Optional<JfrEvent.JfrThread> thread = e.getThread() == null ? Optional.empty() : Optional.of(thread(e.getThread()));
        return new JfrEvent(e.getEventType().getName(), e.getStartTime(), e.getDuration(), thread, stack, fields);
    }

    static JfrEvent.JfrThread thread(RecordedThread t) {
        // recordings from JDK 21 on carry "virtual"; JDK 17's API has no method for it
        boolean virtual = t.hasField("virtual") && t.getBoolean("virtual");
        String name = t.getJavaName() != null ? t.getJavaName() : t.getOSName() != null ? t.getOSName() : "";
        return new JfrEvent.JfrThread(t.getJavaThreadId(), name, t.getOSThreadId(), virtual);
    }

    /** JFR frames carry no file name; the class's top-level name with .java stands in, as for source links. */
    static String simpleFile(String cls) {
        String top = cls.contains("$") ? cls.substring(0, cls.indexOf('$')) : cls;
        int dot = top.lastIndexOf('.');
        return (dot < 0 ? top : top.substring(dot + 1)) + ".java";
    }
}
