package io.lockscope.analyzer.jfr;

import static io.lockscope.analyzer.jfr.ChunkInput.BYTE;
import static io.lockscope.analyzer.jfr.ChunkInput.POOLED;
import static io.lockscope.analyzer.jfr.ChunkInput.STRING;
import static io.lockscope.analyzer.jfr.ChunkInput.VARINT;

import io.lockscope.analyzer.jfr.ChunkMetadata.EventLayout;
import io.lockscope.analyzer.jfr.ChunkMetadata.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A chunk's events (ChunkParser): of the types lockscope reads, the fields straight from the
 * bytes; monitor enters and parks added up per lock ({@link ChunkWaits}), the rarer events handed
 * to the builder as {@link JfrEvent}s.
 */
final class ChunkEvents {

    private final ChunkInput in;
    private final ChunkMetadata.Metadata metadata;
    private final ConstantPools pools;
    private final ChunkWaits waits;
    private final JfrChunkDecoder.TimeBase time;
    private final RecordingBuilder sink;

    ChunkEvents(ChunkInput in, ChunkMetadata.Metadata metadata, ConstantPools pools, JfrChunkDecoder.TimeBase time, RecordingBuilder sink) {
        this.in = in;
        this.metadata = metadata;
        this.pools = pools;
        this.waits = new ChunkWaits(pools, sink);
        this.time = time;
        this.sink = sink;
    }

    /**
     * Reads the chunk's events. Bytes that are no event (a block a crash left as zeros, flipped
     * bytes) are passed over to the next footing ({@link EventFooting}) and told to {@code damage};
     * with no footing before the chunk's end, the damage is an exception.
     */
    void read(ChunkDamage damage, EventFooting footing) throws JfrChunkDecoder.Unsupported {
        in.pos = JfrChunkDecoder.HEADER_SIZE;
        while (in.pos < in.size) {
            int start = in.pos;
            try {
                int eventSize = in.varint();
                if (eventSize <= 0 || start + eventSize > in.size) {
                    throw in.damaged("event of " + eventSize + " bytes", start);
                }
                long typeId = in.varlong();
                EventLayout layout = typeId >= 0 && typeId < metadata.layoutById().length ? metadata.layoutById()[(int) typeId]
                        : typeId >= metadata.layoutById().length ? metadata.layoutByLargeId().get(typeId) : null;
                if (layout != null) {
                    long[] slots = layout.slots;
                    int[] storage = layout.storage;
                    for (int i = 0; i < slots.length; i++) {
                        int kind = storage[i];
                        slots[i] = kind == VARINT || kind == POOLED ? in.varlong() : in.field(layout.type.fields.get(i));
                    }
                    if (in.pos > start + eventSize) {
                        throw in.damaged("event of " + eventSize + " bytes whose fields take " + (in.pos - start), start);
                    }
                    event(layout, slots);
                }
                in.pos = start + eventSize;
            } catch (JfrChunkDecoder.Unsupported | RuntimeException | StackOverflowError e) {
                String why = ChunkInput.why(e);
                int next = footing.after(start + 1);
                if (next < 0) {
                    throw e instanceof JfrChunkDecoder.Unsupported u ? u : in.damaged(why, start);
                }
                damage.skipped(in.fileOffset + start, why, next - start);
                in.pos = next;
            }
        }
        waits.handOnWaits();
    }

    private void event(EventLayout l, long[] slots) {
        long startTicks = l.startTime < 0 ? 0 : slots[l.startTime];
        long startNanos = time.nanos(startTicks);
        long durationNanos = l.duration < 0 ? 0 : time.nanos(startTicks + slots[l.duration]) - startNanos;
        long stackKey = l.stackTrace < 0 ? -1 : slots[l.stackTrace];
        switch (l.kind) {
            case EventLayout.MONITOR_ENTER -> waits.waited(true, pooled(l.lockClass, slots), l.address < 0 ? 0 : slots[l.address],
                    startNanos, durationNanos, pooled(l.eventThread, slots), pooled(l.previousOwner, slots), stackKey);
            case EventLayout.PARK -> {
                long classKey = pooled(l.lockClass, slots);
                if (pools.className(classKey) == null) {
                    waits.unblockedParks++;
                } else {
                    waits.waited(false, classKey, l.address < 0 ? 0 : slots[l.address], startNanos, durationNanos,
                            pooled(l.eventThread, slots), Long.MIN_VALUE, stackKey);
                }
            }
            default -> sink.accept(generic(l, slots, startNanos, durationNanos, stackKey));
        }
    }

    /** A pooled field's key, or a key no pool has if the event type lacks the field. */
    private static long pooled(int field, long[] slots) {
        return field < 0 ? Long.MIN_VALUE : slots[field];
    }

    /** The rarer events, with the fields {@link JdkJfrDecoder} gives them. */
    private JfrEvent generic(EventLayout l, long[] slots, long startNanos, long durationNanos, long stackKey) {
        Map<String, Object> fields = new HashMap<>();
        List<Field> fs = l.type.fields;
        for (int i = 0; i < fs.size(); i++) {
            Field f = fs.get(i);
            switch (f.name) {
                case "message", "result", "jvmVersion", "jvmName", "timeout", "address", "pid", "time" -> {
                    switch (f.storage) {
                        case STRING -> {
                            String s = in.stringAt((int) slots[i]);
                            if (s != null) {
                                fields.put(f.name, s);
                            }
                        }
                        case VARINT -> fields.put(f.name, slots[i]);
                        case BYTE -> {
                            if (f.type.name.equals("boolean")) {
                                fields.put(f.name, slots[i] != 0);
                            } else {
                                fields.put(f.name, slots[i]);
                            }
                        }
                        default -> {
                        }
                    }
                }
                case "thrownClass", "monitorClass", "parkedClass" -> {
                    String cls = f.storage == POOLED && f.type.name.equals("java.lang.Class") ? pools.className(slots[i]) : null;
                    if (cls != null) {
                        fields.put(f.name, cls);
                    }
                }
                case "thread", "previousOwner", "notifier", "parentThread" -> {
                    if (f.storage == POOLED && f.type.name.equals("java.lang.Thread")) {
                        pools.thread(slots[i]).ifPresent(t -> fields.put(f.name, t));
                    }
                }
                case "jvmStartTime" -> fields.put(f.name, f.timestampUnit.equals("TICKS")
                        ? RecordingBuilder.instant(time.nanos(slots[i])) : Instant.ofEpochMilli(slots[i]));
                default -> {
                }
            }
        }
        Optional<JfrEvent.JfrThread> thread = l.eventThread < 0 ? Optional.empty() : pools.thread(slots[l.eventThread]);
        // the builder asks for a stack while it takes the event, when this chunk is still in memory
        return new JfrEvent(l.name, RecordingBuilder.instant(startNanos), Duration.ofNanos(durationNanos), thread,
                () -> stackKey < 0 ? JfrStack.EMPTY : pools.stack(stackKey), fields);
    }
}
