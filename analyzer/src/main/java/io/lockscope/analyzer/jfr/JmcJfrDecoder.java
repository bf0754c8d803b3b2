package io.lockscope.analyzer.jfr;

import io.lockscope.model.Frame;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.openjdk.jmc.common.IMCFrame;
import org.openjdk.jmc.common.IMCStackTrace;
import org.openjdk.jmc.common.IMCThread;
import org.openjdk.jmc.common.IMCType;
import org.openjdk.jmc.common.item.IAccessorKey;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.common.item.IType;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.flightrecorder.internal.FlightRecordingLoader;
import org.openjdk.jmc.flightrecorder.internal.EventArray;
import org.openjdk.jmc.flightrecorder.internal.EventArrays;

/**
 * Recordings the JDK's parser cannot read: legacy 0.9 (JDK 7/8, and JRockit, whose event and
 * field names lockscope maps), 1.0 (JDK 9, whose com.oracle.jdk.* names JMC maps to jdk.*),
 * gzipped ones, and 2.x files where the JDK's parser fails part-way. Through JDK Mission Control's parser, which keeps the chunks before a bad one.
 */
final class JmcJfrDecoder {

    static {
        // JMC reports format quirks through java.util.logging; lockscope says what matters in the input's message
        java.util.logging.Logger.getLogger("org.openjdk.jmc").setLevel(java.util.logging.Level.OFF);
    }

    private JmcJfrDecoder() {
    }

    /**
     * JRockit (R28) recordings name their events by URI, and JMC keeps the names: the ones
     * lockscope reads, with the HotSpot names they became.
     */
    private static final String JROCKIT = "http://www.oracle.com/jrockit/jvm/";
    static final Map<String, String> JROCKIT_TYPES = Map.of(
            JROCKIT + "java/monitor_enter", "jdk.JavaMonitorEnter",
            JROCKIT + "java/monitor_wait", "jdk.JavaMonitorWait",
            JROCKIT + "java/thread_park", "jdk.ThreadPark",
            JROCKIT + "java/thread_sleep", "jdk.ThreadSleep",
            JROCKIT + "java/thread_start", "jdk.ThreadStart",
            JROCKIT + "java/thread_end", "jdk.ThreadEnd",
            JROCKIT + "vm/info", "jdk.JVMInformation");

    /** JRockit's field names, where HotSpot's differ: the lock's class, and the thread that held it. */
    private static String hotSpotField(String type, String field) {
        return switch (field) {
            case "class" -> type.equals("jdk.ThreadPark") ? "parkedClass" : "monitorClass";
            case "owner" -> "previousOwner";
            default -> field;
        };
    }

    private static InputStream open(Path file, boolean gzip) throws IOException {
        InputStream in = Files.newInputStream(file);
        return gzip ? new java.util.zip.GZIPInputStream(in, 1 << 16) : in;
    }

    /** Returns false if JMC had to leave out a damaged or cut-short chunk. */
    static boolean decode(Path file, boolean gzip, Consumer<JfrEvent> sink) throws IOException {
        boolean complete = true;
        EventArrays arrays;
        try (InputStream in = open(file, gzip)) {
            arrays = FlightRecordingLoader.loadStream(in, false, false);
        } catch (Exception strict) {
            // again, keeping the chunks before the damage
            complete = false;
            try (InputStream in = open(file, gzip)) {
                arrays = FlightRecordingLoader.loadStream(in, false, true);
            } catch (Exception e) {
                throw new IOException("JMC could not read it either: " + e.getMessage(), e);
            }
        }
        Set<String> wanted = Set.copyOf(JfrReader.EVENT_TYPES);
        for (EventArray a : arrays.getArrays()) {
            String type = JROCKIT_TYPES.getOrDefault(a.getType().getIdentifier(), a.getType().getIdentifier());
            if (!wanted.contains(type)) {
                continue;
            }
            for (IItem item : a.getEvents()) {
                sink.accept(convert(type, item));
            }
        }
        return complete;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static JfrEvent convert(String type, IItem item) {
        IType<IItem> itemType = (IType<IItem>) item.getType();
        Map<String, Object> fields = new HashMap<>();
        Instant start = Instant.EPOCH;
        Instant end = null;
        Duration duration = Duration.ZERO;
        Optional<JfrEvent.JfrThread> thread = Optional.empty();
        JfrStack stack = JfrStack.EMPTY;
        for (IAccessorKey<?> key : itemType.getAccessorKeys().keySet()) {
            IMemberAccessor accessor = itemType.getAccessor(key);
            if (accessor == null) {
                continue;
            }
            Object v = accessor.getMember(item);
            if (v == null) {
                continue;
            }
            String id = hotSpotField(type, key.getIdentifier());
            switch (id) {
                case "startTime" -> start = instant((IQuantity) v);
                // JRockit's events have an end time and no duration
                case "(endTime)" -> end = instant((IQuantity) v);
                case "duration" -> duration = Duration.ofNanos(((IQuantity) v).clampedLongValueIn(UnitLookup.NANOSECOND));
                case "eventThread" -> thread = Optional.of(thread((IMCThread) v));
                case "stackTrace" -> stack = frames((IMCStackTrace) v);
                default -> {
                    if (v instanceof IMCThread t) {
                        fields.put(id, thread(t));
                    } else if (v instanceof IMCType t) {
                        fields.put(id, t.getFullName());
                    } else if (v instanceof IQuantity q) {
                        fields.put(id, id.equals("jvmStartTime") ? startTime(q) : (Object) q.longValue());
                    } else if (v instanceof String || v instanceof Boolean) {
                        fields.put(id, v);
                    }
                }
            }
        }
        if (duration.isZero() && end != null && !start.equals(Instant.EPOCH) && end.isAfter(start)) {
            duration = Duration.between(start, end);
        }
        JfrStack frames = stack;
        return new JfrEvent(type, start, duration, thread, () -> frames, fields);
    }

    /** A JVM's start: a timestamp, or (JRockit) milliseconds since the epoch as a plain quantity. */
    private static Instant startTime(IQuantity q) {
        return q.getUnit().getContentType() == UnitLookup.TIMESTAMP ? instant(q)
                : Instant.ofEpochMilli(q.clampedLongValueIn(UnitLookup.MILLISECOND));
    }

    private static Instant instant(IQuantity q) {
        return RecordingBuilder.instant(q.clampedLongValueIn(UnitLookup.EPOCH_NS));
    }

    private static JfrEvent.JfrThread thread(IMCThread t) {
        Long id = t.getThreadId();
        return new JfrEvent.JfrThread(id == null ? 0 : id, t.getThreadName() == null ? "" : t.getThreadName(), 0, false);
    }

    private static JfrStack frames(IMCStackTrace trace) {
        List<Frame> out = new ArrayList<>();
        java.util.BitSet sync = new java.util.BitSet();
        for (IMCFrame f : trace.getFrames()) {
            String cls = f.getMethod().getType().getFullName();
            Integer line = f.getFrameLineNumber();
            Integer modifiers = f.getMethod().getModifier();
            if (modifiers != null && JfrStack.synchronizedInstanceMethod(modifiers)) {
                sync.set(out.size());
            }
            out.add(new Frame(cls + "." + f.getMethod().getMethodName(),
                    line != null && line > 0 ? Frame.guessedSourceFile(cls) + ":" + line : "", List.of()));
        }
        return new JfrStack(out, sync);
    }
}
