package io.lockscope.analyzer.jfr;

import static io.lockscope.analyzer.jfr.ChunkInput.POOLED;
import static io.lockscope.analyzer.jfr.ChunkInput.STRING;

import io.lockscope.analyzer.LongMap;
import io.lockscope.analyzer.jfr.ChunkMetadata.Field;
import io.lockscope.analyzer.jfr.ChunkMetadata.Type;
import io.lockscope.model.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A chunk's constant pools (ChunkParser.fillConstantPools): indexed from pool key to where the
 * entry starts, without decoding; an entry is decoded the first time an event points to it, and
 * kept for the chunk (keys mean nothing outside it).
 */
final class ConstantPools {

    /** One constant pool: where each entry starts in the chunk. Entries are decoded when an event needs them. */
    static final class Pool {
        final Type type;
        final Map<Long, Integer> offsets = new HashMap<>();

        Pool(Type type) {
            this.type = type;
        }
    }

    private final ChunkInput in;
    private final Map<Long, Type> types;
    private final Map<Long, Pool> pools = new HashMap<>();
    /** A checkpoint's entries (pool type, key, offset), held until all of it has parsed; kept for the next checkpoint. */
    private long[] stage = new long[3 * 256];
    /** Where the checkpoint events start: places an event is known to start at. */
    private final java.util.TreeSet<Integer> checkpoints = new java.util.TreeSet<>();
    // made on first use, for this chunk; keys are only meaningful within a chunk
    private final LongMap<String> classNames = new LongMap<>();
    private final LongMap<Optional<JfrEvent.JfrThread>> threads = new LongMap<>();
    private final LongMap<String> threadNames = new LongMap<>();
    /** Cached for a key that names no class or thread: a String no pool can hand back, compared by identity. */
    private static final String NONE = new String("none");
    private final Map<Long, Method> methods = new HashMap<>();
    private final Map<Long, JfrStack> stacks = new HashMap<>();
    private Pool classPool;
    private Pool threadPool;
    private Pool stringPool;
    private Pool stackTracePool;

    ConstantPools(ChunkInput in, Map<Long, Type> types) {
        this.in = in;
        this.types = types;
        in.pools = this;
    }

    // ---- constant pools

    /** Where the checkpoint events start, in order. */
    int[] checkpoints() {
        return checkpoints.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Indexes the pools of every checkpoint, from the last ({@code last}) back along their chain.
     * When a checkpoint of the chain is damaged, the ones before it are found by walking the
     * chunk's events from its start, past damage (told to {@code damage}) as the events are read.
     */
    void index(int last, int metadataAt, ChunkDamage damage) {
        int at = last;
        try {
            while (true) {
                long delta = checkpoint(at);
                if (delta == 0) {
                    break;
                }
                at += (int) delta;
                if (at < JfrChunkDecoder.HEADER_SIZE || at >= in.size) {
                    throw in.damaged("checkpoint chain leaves the chunk", in.pos);
                }
            }
        } catch (JfrChunkDecoder.Unsupported | RuntimeException | StackOverflowError e) {
            damage.skipped(in.fileOffset + at, ChunkInput.why(e), 0);
            scan(metadataAt, damage);
        }
        for (Pool p : pools.values()) {
            switch (p.type.name) {
                case "java.lang.Class" -> classPool = p;
                case "java.lang.Thread" -> threadPool = p;
                case "java.lang.String" -> stringPool = p;
                case "jdk.types.StackTrace" -> stackTracePool = p;
                default -> {
                }
            }
        }
    }

    /**
     * Indexes the checkpoint at {@code at}; returns how far before it the previous one is (0: none).
     * Its entries are kept only if all of it parses within its size: a damaged one adds none.
     */
    private long checkpoint(int at) throws JfrChunkDecoder.Unsupported {
        in.pos = at;
        long end = at + in.varlong();
        if (in.varlong() != EventFooting.CHECKPOINT_TYPE) {
            throw in.damaged("no checkpoint event", at);
        }
        in.varlong(); // start time
        in.varlong(); // duration
        long delta = in.varlong();
        in.pos++; // flush flag, or since JDK 14 the checkpoint's kind
        int poolCount = in.varint();
        int staged = 0;
        for (int i = 0; i < poolCount; i++) {
            long typeId = in.varlong();
            Type type = types.get(typeId);
            if (type == null) {
                throw in.damaged("constant pool of undeclared type " + typeId, in.pos);
            }
            for (int n = in.varint(); n > 0; n--) {
                if (staged + 3 > stage.length) {
                    stage = java.util.Arrays.copyOf(stage, stage.length * 2);
                }
                stage[staged++] = typeId;
                stage[staged++] = in.varlong();
                stage[staged++] = in.pos;
                in.value(type.storage, type);
                if (in.pos > end) {
                    throw in.damaged("checkpoint whose pools run past its end", at);
                }
            }
        }
        checkpoints.add(at);
        for (int i = 0; i < staged; i += 3) {
            pools.computeIfAbsent(stage[i], k -> new Pool(types.get(k))).offsets.putIfAbsent(stage[i + 1], (int) stage[i + 2]);
        }
        return delta;
    }

    /** The checkpoints a broken chain does not reach: every one the chunk's events, walked from its start, hold. */
    private void scan(int metadataAt, ChunkDamage damage) {
        EventFooting footing = new EventFooting(in, types, checkpoints(), metadataAt);
        int p = JfrChunkDecoder.HEADER_SIZE;
        while (p < in.size) {
            if (!footing.plausible(p)) {
                String why = footing.whyNot(p);
                int next = footing.after(p + 1);
                damage.skipped(in.fileOffset + p, why, (next < 0 ? in.size : next) - p);
                if (next < 0) {
                    return;
                }
                p = next;
                continue;
            }
            int end = footing.end();
            if (footing.type() == EventFooting.CHECKPOINT_TYPE && !checkpoints.contains(p)) {
                try {
                    checkpoint(p);
                } catch (JfrChunkDecoder.Unsupported | RuntimeException | StackOverflowError e) {
                    damage.skipped(in.fileOffset + p, ChunkInput.why(e), end - p);
                }
            }
            p = end;
        }
    }

    /** Where a pooled value starts, or -1 if the chunk has no such entry (as jdk.jfr, lockscope reads that as null). */
    private static int offset(Pool pool, long key) {
        if (pool == null) {
            return -1;
        }
        Integer at = pool.offsets.get(key);
        return at == null ? -1 : at;
    }

    String pooledString(long key) {
        int at = offset(stringPool, key);
        return at < 0 ? null : in.stringAt(at);
    }

    /** A field of a pooled struct read as a string: a string field, or a pooled jdk.types.Symbol's string. */
    private String text(Type type, long[] slots, String fieldName) {
        int i = type.field(fieldName);
        if (i < 0) {
            return null;
        }
        Field f = type.fields.get(i);
        if (f.storage == STRING) {
            return in.stringAt((int) slots[i]);
        }
        if (f.storage == POOLED) {
            Pool symbols = pools.get(f.typeId);
            int at = offset(symbols, slots[i]);
            if (at < 0) {
                return null;
            }
            return symbols.type.storage == STRING ? in.stringAt(at) : text(symbols.type, in.struct(symbols.type, at), "string");
        }
        return null;
    }

    private static long number(Type type, long[] slots, String fieldName) {
        int i = type.field(fieldName);
        return i < 0 ? 0 : slots[i];
    }

    /** A class's name as RecordedClass.getName() gives it: the binary name with dots. */
    String className(long key) {
        String known = classNames.get(key);
        if (known != null) {
            return known == NONE ? null : known;
        }
        int at = offset(classPool, key);
        String name = null;
        if (at >= 0) {
            String raw = text(classPool.type, in.struct(classPool.type, at), "name");
            name = raw == null ? null : raw.replace('/', '.');
        }
        classNames.put(key, name == null ? NONE : name);
        return name;
    }

    Optional<JfrEvent.JfrThread> thread(long key) {
        Optional<JfrEvent.JfrThread> known = threads.get(key);
        if (known != null) {
            return known;
        }
        int at = offset(threadPool, key);
        Optional<JfrEvent.JfrThread> made = Optional.empty();
        if (at >= 0) {
            Type t = threadPool.type;
            long[] slots = in.struct(t, at);
            String javaName = text(t, slots, "javaName");
            String osName = text(t, slots, "osName");
            int virtual = t.field("virtual");
            made = Optional.of(new JfrEvent.JfrThread(number(t, slots, "javaThreadId"),
                    javaName != null ? javaName : osName != null ? osName : "", number(t, slots, "osThreadId"),
                    virtual >= 0 && slots[virtual] != 0));
        }
        threads.put(key, made);
        return made;
    }

    String threadName(long key) {
        String known = threadNames.get(key);
        if (known == null) {
            Optional<JfrEvent.JfrThread> t = thread(key);
            known = t.isPresent() ? t.get().name() : NONE;
            threadNames.put(key, known);
        }
        return known == NONE ? null : known;
    }

    /** A stack, innermost frame first, as the JDK's decoder turns it into frames. */
    JfrStack stack(long key) {
        JfrStack known = stacks.get(key);
        if (known != null) {
            return known;
        }
        List<Frame> frames = new ArrayList<>();
        java.util.BitSet sync = new java.util.BitSet();
        Pool pool = stackTracePool;
        int at = offset(pool, key);
        if (at >= 0) {
            Type st = pool.type;
            int framesField = st.field("frames");
            if (framesField >= 0) {
                Field f = st.fields.get(framesField);
                long[] slots = in.struct(st, at);
                int saved = in.pos;
                in.pos = (int) slots[framesField];
                int n = in.length();
                List<Integer> starts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    starts.add(in.pos);
                    in.value(f.element, f.type);
                }
                in.pos = saved;
                for (int start : starts) {
                    Method m = frameMethod(f.type, start);
                    if (m.synchronizedInstance()) {
                        sync.set(frames.size());
                    }
                    frames.add(frame(f.type, start, m));
                }
            }
        }
        JfrStack made = new JfrStack(List.copyOf(frames), sync);
        stacks.put(key, made);
        return made;
    }

    /** A method as a frame names it, "class.method", and whether it holds its object's monitor. */
    private record Method(String name, boolean synchronizedInstance) {
        static final Method UNKNOWN = new Method("?.?", false);
    }

    private Method frameMethod(Type frameType, int at) {
        long[] slots = in.struct(frameType, at);
        int m = frameType.field("method");
        return m < 0 ? Method.UNKNOWN : method(frameType.fields.get(m).typeId, slots[m]);
    }

    private Frame frame(Type frameType, int at, Method method) {
        long[] slots = in.struct(frameType, at);
        int line = (int) number(frameType, slots, "lineNumber");
        String cls = method.name().substring(0, method.name().lastIndexOf('.'));
        return new Frame(method.name(), line > 0 ? Frame.guessedSourceFile(cls) + ":" + line : "", List.of());
    }

    /** A pooled jdk.types.Method. */
    private Method method(long methodType, long key) {
        Method known = methods.get(key);
        if (known != null) {
            return known;
        }
        Pool pool = pools.get(methodType);
        int at = offset(pool, key);
        Method made = Method.UNKNOWN;
        if (at >= 0) {
            Type t = pool.type;
            long[] slots = in.struct(t, at);
            int type = t.field("type");
            String cls = type < 0 ? null : className(slots[type]);
            String name = text(t, slots, "name");
            made = new Method((cls == null ? "?" : cls) + "." + (name == null ? "?" : name),
                    JfrStack.synchronizedInstanceMethod((int) number(t, slots, "modifiers")));
        }
        methods.put(key, made);
        return made;
    }
}
