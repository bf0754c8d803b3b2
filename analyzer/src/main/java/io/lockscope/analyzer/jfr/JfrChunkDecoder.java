package io.lockscope.analyzer.jfr;

import io.lockscope.model.Frame;
import io.lockscope.model.Recording;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * lockscope's own reader for format 2.x recordings (JDK 11 on): a chunk at a time, reading only
 * the events lockscope uses and, of the constant pools, only the entries those events point to.
 *
 * <p>The JDK's parser decodes every constant of a chunk and makes a RecordedEvent per event before
 * a handler sees it. lockscope needs, from most events, a lock's class and address, the waiter
 * and the owner, and a stack from few. So a chunk is read into memory; its metadata gives each
 * type's fields; the checkpoints are indexed (pool key to byte offset) without decoding; an
 * event's fields are read straight from the bytes; and the two events most recordings are made
 * of (jdk.JavaMonitorEnter, jdk.ThreadPark) are added up per lock by pool keys, named only once
 * per chunk. Threads and times come from each chunk (see {@link #decode}).
 *
 * <p>What it does not take on (uncompressed integers, a first chunk still being written or cut
 * short, a chunk over {@link #MAX_CHUNK} bytes, bytes that do not parse) is an exception, and
 * {@link JfrReader} reads the file with jdk.jfr instead.
 *
 * <p>Layout, as the JDK writes and reads it: chunk header (jfrChunkWriter.cpp, ChunkHeader.java),
 * metadata event (MetadataReader.java), checkpoint events (ChunkParser.fillConstantPools),
 * encodings (RecordingInput.java): integers are LEB128, floats and doubles big-endian, strings
 * tagged by their encoding.
 */
final class JfrChunkDecoder {

    static final int HEADER_SIZE = 68;
    static final int MAX_CHUNK = 256 << 20;
    private static final int FLAGS_POSITION = 67;
    private static final int FLAG_COMPRESSED_INTS = 1;
    private static final long METADATA_TYPE = 0;
    private static final long CHECKPOINT_TYPE = 1;

    // string encodings
    private static final int STRING_NULL = 0;
    private static final int STRING_EMPTY = 1;
    private static final int STRING_POOL = 2;
    private static final int STRING_UTF8 = 3;
    private static final int STRING_CHARS = 4;
    private static final int STRING_LATIN1 = 5;

    // how a field is stored
    private static final int BYTE = 0; // boolean and byte: one byte
    private static final int VARINT = 1; // char, short, int, long
    private static final int FLOAT = 2;
    private static final int DOUBLE = 3;
    private static final int STRING = 4;
    private static final int STRUCT = 5; // fields of another type, in place
    private static final int POOLED = 6; // a key into the constant pool of the field's type
    private static final int ARRAY = 7;

    /** The file is 2.x but this reader does not read it; jdk.jfr does instead. */
    static class Unsupported extends IOException {
        Unsupported(String message) {
            super(message);
        }
    }

    /** Bytes inside a whole chunk that do not decode: damage, not a format lockscope's parser leaves to others. */
    static final class Damaged extends Unsupported {
        Damaged(String message) {
            super(message);
        }
    }

    private JfrChunkDecoder() {
    }

    /**
     * Reads every chunk into the builder. Returns false if the file ends in a chunk that is cut
     * short or still being written, after whole chunks, which are kept; any other trouble is an
     * exception, and the caller starts over with another parser.
     */
    static boolean decode(Path file, RecordingBuilder sink) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] buffer = new byte[HEADER_SIZE];
            Metadata metadata = null;
            long at = 0;
            while (at + HEADER_SIZE <= size) {
                ByteBuffer head = ByteBuffer.wrap(buffer, 0, HEADER_SIZE);
                readFully(ch, head, at);
                if (buffer[0] != 'F' || buffer[1] != 'L' || buffer[2] != 'R' || buffer[3] != 0) {
                    throw new Unsupported("no chunk header at byte " + at);
                }
                ByteBuffer h = ByteBuffer.wrap(buffer);
                int major = h.getShort(4);
                long chunkSize = h.getLong(8);
                long poolOffset = h.getLong(16);
                long metadataOffset = h.getLong(24);
                if (major != 2 || (buffer[FLAGS_POSITION] & FLAG_COMPRESSED_INTS) == 0) {
                    throw new Unsupported("chunk at byte " + at + ": format " + major + " with flags " + buffer[FLAGS_POSITION]);
                }
                if (chunkSize < HEADER_SIZE || at + chunkSize > size || poolOffset <= 0 || metadataOffset <= 0
                        || poolOffset >= chunkSize || metadataOffset >= chunkSize) {
                    if (at > 0) {
                        // the chunks before are whole and handed on: keep them
                        return false;
                    }
                    throw new Unsupported("chunk at byte " + at + " is incomplete (still being written, or cut short)");
                }
                if (chunkSize > MAX_CHUNK) {
                    throw new Unsupported("chunk at byte " + at + " has " + chunkSize + " bytes");
                }
                // Each chunk's header ties its ticks to the wall clock. jdk.jfr converts all chunks with the
                // first one's, which is off by the clock's drift between chunks, and by years when chunks
                // from two runs were put in one file; lockscope, like JMC, uses each chunk's own.
                TimeBase time = new TimeBase(h.getLong(48), h.getLong(32), h.getLong(56));
                if (buffer.length < chunkSize) {
                    buffer = java.util.Arrays.copyOf(buffer, (int) chunkSize);
                }
                readFully(ch, ByteBuffer.wrap(buffer, 0, (int) chunkSize), at);
                Chunk chunk = new Chunk(buffer, (int) chunkSize, at, time, sink);
                metadata = chunk.readMetadata((int) metadataOffset, metadata);
                chunk.indexConstantPools((int) poolOffset);
                chunk.readEvents();
                at += chunkSize;
            }
            return at == size;
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long at) throws IOException {
        long position = at;
        while (into.hasRemaining()) {
            int n = ch.read(into, position);
            if (n < 0) {
                throw new Unsupported("file ends inside the chunk at byte " + at);
            }
            position += n;
        }
    }

    /** A chunk's ticks to nanoseconds since the epoch. */
    private record TimeBase(long startTicks, long startNanos, double ticksPerNano) {
        TimeBase(long startTicks, long startNanos, long ticksPerSecond) {
            this(startTicks, startNanos, ticksPerSecond / 1_000_000_000.0);
        }

        long nanos(long ticks) {
            // most recordings count ticks in nanoseconds (Linux); skip the division there
            return ticksPerNano == 1.0 ? startNanos + (ticks - startTicks) : startNanos + (long) ((ticks - startTicks) / ticksPerNano);
        }
    }

    /** A type from the chunk's metadata: an event type, a pooled type like java.lang.Thread, or a primitive. */
    private static final class Type {
        final long id;
        final String name;
        final List<Field> fields = new ArrayList<>();
        int storage = STRUCT;

        Type(long id, String name) {
            this.id = id;
            this.name = name;
        }

        int field(String fieldName) {
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).name.equals(fieldName)) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final class Field {
        final String name;
        final long typeId;
        final boolean pooled;
        final boolean array;
        /** "annotation type id=value" */
        final List<String> annotations = new ArrayList<>(2);
        /** The unit of a @Timestamp field: TICKS or MILLISECONDS_SINCE_EPOCH. */
        String timestampUnit = "";
        Type type;
        /** How one value is stored (never ARRAY), and how the field is (ARRAY for an array of them). */
        int element;
        int storage;

        Field(String name, long typeId, boolean pooled, boolean array) {
            this.name = name;
            this.typeId = typeId;
            this.pooled = pooled;
            this.array = array;
        }
    }

    /** One constant pool: where each entry starts in the chunk. Entries are decoded when an event needs them. */
    private static final class Pool {
        final Type type;
        final Map<Long, Integer> offsets = new HashMap<>();

        Pool(Type type) {
            this.type = type;
        }
    }

    /** An event type lockscope reads, with where the fields it reads are (-1: the type lacks it). */
    private static final class EventLayout {
        static final int OTHER = 0;
        static final int MONITOR_ENTER = 1;
        static final int PARK = 2;

        final String name;
        final int kind;
        final Type type;
        final long[] slots;
        /** Each field's storage, for the loop that reads an event's fields. */
        final int[] storage;
        final int startTime;
        final int duration;
        final int eventThread;
        final int stackTrace;
        /** monitorClass or parkedClass */
        final int lockClass;
        final int previousOwner;
        final int address;

        EventLayout(String name, Type type) {
            this.name = name;
            this.kind = name.equals("jdk.JavaMonitorEnter") ? MONITOR_ENTER : name.equals("jdk.ThreadPark") ? PARK : OTHER;
            this.type = type;
            this.slots = new long[type.fields.size()];
            this.storage = type.fields.stream().mapToInt(f -> f.storage).toArray();
            this.startTime = index(type, "startTime", VARINT);
            this.duration = index(type, "duration", VARINT);
            this.eventThread = index(type, "eventThread", POOLED);
            this.stackTrace = index(type, "stackTrace", POOLED);
            this.lockClass = index(type, kind == MONITOR_ENTER ? "monitorClass" : "parkedClass", POOLED);
            this.previousOwner = index(type, "previousOwner", POOLED);
            this.address = index(type, "address", VARINT);
        }

        private static int index(Type type, String field, int storage) {
            int i = type.field(field);
            return i >= 0 && type.fields.get(i).storage == storage ? i : -1;
        }
    }

    /**
     * A chunk's types, and where lockscope finds the events it reads. The JDK writes the same
     * metadata into every chunk of a recording unless new types came in; a chunk whose metadata
     * has the same bytes as the previous one's takes the previous one's.
     */
    private record Metadata(byte[] body, Map<Long, Type> types, EventLayout[] layoutById, Map<Long, EventLayout> layoutByLargeId) {
    }

    /** One chunk in memory. Positions are offsets in the chunk. */
    private static final class Chunk {
        private final byte[] b;
        private final int size;
        private final long fileOffset;
        private final TimeBase time;
        private final RecordingBuilder sink;
        private int pos;
        private Map<Long, Type> types;
        private final Map<Long, Pool> pools = new HashMap<>();
        private EventLayout[] layoutById;
        private Map<Long, EventLayout> layoutByLargeId;
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

        Chunk(byte[] b, int size, long fileOffset, TimeBase time, RecordingBuilder sink) {
            this.b = b;
            this.size = size;
            this.fileOffset = fileOffset;
            this.time = time;
            this.sink = sink;
        }

        private Unsupported damaged(String what, int at) {
            return new Damaged(what + " at byte " + (fileOffset + at));
        }

        // ---- encodings

        /** LEB128, at most nine bytes, the ninth taken whole; unrolled, since most of reading is this. */
        private long varlong() {
            byte[] b = this.b;
            int p = pos;
            long x = b[p++];
            if (x >= 0) {
                pos = p;
                return x;
            }
            long result = x & 0x7f;
            for (int shift = 7; shift < 56; shift += 7) {
                x = b[p++];
                result |= (x & 0x7f) << shift;
                if (x >= 0) {
                    pos = p;
                    return result;
                }
            }
            pos = p + 1;
            return result | (b[p] & 0xffL) << 56;
        }

        private int varint() {
            return (int) varlong();
        }

        /** A count of things that follow, each at least a byte: more than the bytes left is damage, not a reason to allocate. */
        private int length() {
            int at = pos;
            long n = varlong();
            if (n < 0 || n > size - pos) {
                throw new IllegalStateException("a length of " + n + " at byte " + (fileOffset + at) + ", past the chunk's end");
            }
            return (int) n;
        }

        private String string() {
            int encoding = b[pos++];
            switch (encoding) {
                case STRING_NULL:
                    return null;
                case STRING_EMPTY:
                    return "";
                case STRING_POOL:
                    return pooledString(varlong());
                case STRING_UTF8, STRING_LATIN1: {
                    int n = length();
                    String s = new String(b, pos, n, encoding == STRING_UTF8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
                    pos += n;
                    return s;
                }
                case STRING_CHARS: {
                    int n = length();
                    char[] chars = new char[n];
                    for (int i = 0; i < n; i++) {
                        chars[i] = (char) varint();
                    }
                    return new String(chars);
                }
                default:
                    throw new IllegalStateException("string encoding " + encoding + " at byte " + (fileOffset + pos - 1));
            }
        }

        private void skipString() {
            int encoding = b[pos++];
            switch (encoding) {
                case STRING_NULL, STRING_EMPTY -> {
                }
                case STRING_POOL -> varlong();
                case STRING_UTF8, STRING_LATIN1 -> {
                    int n = length(); // read before pos is added to
                    pos += n;
                }
                case STRING_CHARS -> {
                    for (int n = varint(); n > 0; n--) {
                        varlong();
                    }
                }
                default -> throw new IllegalStateException("string encoding " + encoding + " at byte " + (fileOffset + pos - 1));
            }
        }

        private String stringAt(int at) {
            int saved = pos;
            pos = at;
            String s = string();
            pos = saved;
            return s;
        }

        /** Reads a field: its number, pool key or boolean, or where it starts for strings, structs and arrays. */
        private long field(Field f) {
            return f.storage == ARRAY ? skipArray(f) : value(f.element, f.type);
        }

        private long value(int storage, Type type) {
            switch (storage) {
                case BYTE:
                    return b[pos++];
                case VARINT, POOLED:
                    return varlong();
                case FLOAT:
                    pos += 4;
                    return 0;
                case DOUBLE:
                    pos += 8;
                    return 0;
                case STRING: {
                    int at = pos;
                    skipString();
                    return at;
                }
                default: {
                    int at = pos;
                    for (Field f : type.fields) {
                        field(f);
                    }
                    return at;
                }
            }
        }

        private long skipArray(Field f) {
            int at = pos;
            for (int n = varint(); n > 0; n--) {
                value(f.element, f.type);
            }
            return at;
        }

        /** Reads the fields of a struct at a position into slots, as {@link #field} reads them. */
        private long[] struct(Type type, int at) {
            int saved = pos;
            pos = at;
            long[] slots = new long[type.fields.size()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = field(type.fields.get(i));
            }
            pos = saved;
            return slots;
        }

        // ---- metadata

        /**
         * Reads one element of the metadata tree and its children: a class becomes a {@link Type},
         * a field of a class a {@link Field}, an annotation on a field is noted on it; the rest
         * (settings, the region) is read past.
         */
        private void element(String[] strings, Type inClass, Field inField) {
            String name = strings[varint()];
            String id = "";
            String typeName = "";
            String type = "";
            String pooled = "";
            String dimension = "";
            String value = "";
            for (int n = varint(); n > 0; n--) {
                String key = strings[varint()];
                String v = strings[varint()];
                switch (key) {
                    case "id" -> id = v;
                    case "name" -> typeName = v;
                    case "class" -> type = v;
                    case "constantPool" -> pooled = v;
                    case "dimension" -> dimension = v;
                    case "value" -> value = v;
                    default -> {
                    }
                }
            }
            Type childClass = null;
            Field childField = null;
            if (name.equals("class")) {
                childClass = new Type(Long.parseLong(id), typeName);
                types.put(childClass.id, childClass);
            } else if (name.equals("field") && inClass != null) {
                childField = new Field(typeName, Long.parseLong(type), pooled.equals("true"), dimension.equals("1"));
                inClass.fields.add(childField);
            } else if (name.equals("annotation") && inField != null) {
                inField.annotations.add(type + "=" + value);
            }
            for (int n = varint(); n > 0; n--) {
                element(strings, childClass, childField);
            }
        }

        Metadata readMetadata(int at, Metadata previous) throws Unsupported {
            pos = at;
            int end = at + varint();
            if (varlong() != METADATA_TYPE || end > size || end <= at) {
                throw damaged("no metadata event", at);
            }
            varlong(); // start time
            varlong(); // duration
            varlong(); // metadata id
            int body = pos;
            if (previous != null && java.util.Arrays.equals(b, body, end, previous.body(), 0, previous.body().length)) {
                types = previous.types();
                layoutById = previous.layoutById();
                layoutByLargeId = previous.layoutByLargeId();
                return previous;
            }
            types = new HashMap<>();
            layoutByLargeId = new HashMap<>();
            String[] strings = new String[length()];
            for (int i = 0; i < strings.length; i++) {
                strings[i] = string();
            }
            element(strings, null, null);
            for (Type t : types.values()) {
                t.storage = switch (t.name) {
                    case "boolean", "byte" -> BYTE;
                    case "char", "short", "int", "long" -> VARINT;
                    case "float" -> FLOAT;
                    case "double" -> DOUBLE;
                    case "java.lang.String" -> STRING;
                    default -> STRUCT;
                };
            }
            String timestamp = "";
            for (Type t : types.values()) {
                if (t.name.equals("jdk.jfr.Timestamp")) {
                    timestamp = t.id + "=";
                }
            }
            for (Type t : types.values()) {
                for (Field f : t.fields) {
                    f.type = types.get(f.typeId);
                    if (f.type == null) {
                        throw damaged("field " + t.name + "." + f.name + " of undeclared type " + f.typeId, at);
                    }
                    f.element = f.pooled ? POOLED : f.type.storage;
                    f.storage = f.array ? ARRAY : f.element;
                    for (String a : f.annotations) {
                        if (!timestamp.isEmpty() && a.startsWith(timestamp)) {
                            f.timestampUnit = a.substring(timestamp.length());
                        }
                    }
                }
            }
            List<EventLayout> layouts = new ArrayList<>();
            for (Type t : types.values()) {
                if (JfrReader.EVENT_TYPES.contains(t.name)) {
                    layouts.add(new EventLayout(t.name, t));
                }
            }
            long largest = layouts.stream().mapToLong(l -> l.type.id).filter(id -> id < 1 << 16).max().orElse(0);
            layoutById = new EventLayout[(int) largest + 1];
            for (EventLayout l : layouts) {
                if (l.type.id < layoutById.length && l.type.id >= 0) {
                    layoutById[(int) l.type.id] = l;
                } else {
                    layoutByLargeId.put(l.type.id, l);
                }
            }
            return new Metadata(java.util.Arrays.copyOfRange(b, body, end), types, layoutById, layoutByLargeId);
        }

        // ---- constant pools

        /** Walks the checkpoints from the last back to the first, noting where each entry starts. */
        void indexConstantPools(int last) throws Unsupported {
            int at = last;
            while (true) {
                pos = at;
                varint(); // size
                if (varlong() != CHECKPOINT_TYPE) {
                    throw damaged("no checkpoint event", at);
                }
                varlong(); // start time
                varlong(); // duration
                long delta = varlong();
                pos++; // flush flag, or since JDK 14 the checkpoint's kind
                int poolCount = varint();
                for (int i = 0; i < poolCount; i++) {
                    long typeId = varlong();
                    Type type = types.get(typeId);
                    if (type == null) {
                        throw damaged("constant pool of undeclared type " + typeId, pos);
                    }
                    Pool pool = pools.computeIfAbsent(typeId, k -> new Pool(type));
                    for (int n = varint(); n > 0; n--) {
                        long key = varlong();
                        pool.offsets.putIfAbsent(key, pos);
                        value(type.storage, type);
                    }
                }
                if (delta == 0) {
                    break;
                }
                at += (int) delta;
                if (at < HEADER_SIZE || at >= size) {
                    throw damaged("checkpoint chain leaves the chunk", pos);
                }
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

        /** Where a pooled value starts, or -1 if the chunk has no such entry (as jdk.jfr, lockscope reads that as null). */
        private static int offset(Pool pool, long key) {
            if (pool == null) {
                return -1;
            }
            Integer at = pool.offsets.get(key);
            return at == null ? -1 : at;
        }

        private String pooledString(long key) {
            int at = offset(stringPool, key);
            return at < 0 ? null : stringAt(at);
        }

        /** A field of a pooled struct read as a string: a string field, or a pooled jdk.types.Symbol's string. */
        private String text(Type type, long[] slots, String fieldName) {
            int i = type.field(fieldName);
            if (i < 0) {
                return null;
            }
            Field f = type.fields.get(i);
            if (f.storage == STRING) {
                return stringAt((int) slots[i]);
            }
            if (f.storage == POOLED) {
                Pool symbols = pools.get(f.typeId);
                int at = offset(symbols, slots[i]);
                if (at < 0) {
                    return null;
                }
                return symbols.type.storage == STRING ? stringAt(at) : text(symbols.type, struct(symbols.type, at), "string");
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
                String raw = text(classPool.type, struct(classPool.type, at), "name");
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
                long[] slots = struct(t, at);
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

        private String threadName(long key) {
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
                    long[] slots = struct(st, at);
                    int saved = pos;
                    pos = (int) slots[framesField];
                    int n = length();
                    List<Integer> starts = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        starts.add(pos);
                        value(f.element, f.type);
                    }
                    pos = saved;
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
            long[] slots = struct(frameType, at);
            int m = frameType.field("method");
            return m < 0 ? Method.UNKNOWN : method(frameType.fields.get(m).typeId, slots[m]);
        }

        private Frame frame(Type frameType, int at, Method method) {
            long[] slots = struct(frameType, at);
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
                long[] slots = struct(t, at);
                int type = t.field("type");
                String cls = type < 0 ? null : className(slots[type]);
                String name = text(t, slots, "name");
                made = new Method((cls == null ? "?" : cls) + "." + (name == null ? "?" : name),
                        JfrStack.synchronizedInstanceMethod((int) number(t, slots, "modifiers")));
            }
            methods.put(key, made);
            return made;
        }

        // ---- events

        void readEvents() throws Unsupported {
            pos = HEADER_SIZE;
            while (pos < size) {
                int start = pos;
                int eventSize = varint();
                if (eventSize <= 0 || start + eventSize > size) {
                    throw damaged("event of " + eventSize + " bytes", start);
                }
                long typeId = varlong();
                EventLayout layout = typeId >= 0 && typeId < layoutById.length ? layoutById[(int) typeId]
                        : typeId >= layoutById.length ? layoutByLargeId.get(typeId) : null;
                if (layout != null) {
                    long[] slots = layout.slots;
                    int[] storage = layout.storage;
                    for (int i = 0; i < slots.length; i++) {
                        int kind = storage[i];
                        slots[i] = kind == VARINT || kind == POOLED ? varlong() : field(layout.type.fields.get(i));
                    }
                    event(layout, slots);
                }
                pos = start + eventSize;
            }
            handOnWaits();
        }

        // ---- the two events most of a recording is, added up per lock for the chunk, by pool keys

        /** A chunk's waits on one lock: jdk.JavaMonitorEnter on a monitor, or jdk.ThreadPark on a blocker. */
        private static final class Waits {
            final boolean monitor;
            final long classKey;
            final long address;
            /** the next lock at the same address, of another class */
            Waits next;
            long events;
            long totalNanos;
            long longestNanos = -1;
            long longestStack = -1;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            final KeyCounts owners = new KeyCounts();
            /**
             * Waits by stack and thread, each pair packed in one long ({@link #pair}): the waiters
             * and, from the stacks, the monitors they held are made from these at the chunk's end
             */
            final KeyCounts pairs = new KeyCounts();
            /** the pairs whose keys do not fit in one long: threads by stack */
            final LongMap<KeyCounts> widePairs = new LongMap<>();
            final KeyCounts wideStacks = new KeyCounts();

            Waits(boolean monitor, long classKey, long address) {
                this.monitor = monitor;
                this.classKey = classKey;
                this.address = address;
            }
        }

        /** Counts per pool key, in the order the keys came. */
        private static final class KeyCounts {
            final LongMap<long[]> counts = new LongMap<>();
            long[] order = new long[8];
            int size;

            void add(long key) {
                add(key, 1);
            }

            void add(long key, long count) {
                long[] n = counts.get(key);
                if (n != null) {
                    n[0] += count;
                    return;
                }
                counts.put(key, new long[] {count});
                if (size == order.length) {
                    order = java.util.Arrays.copyOf(order, size * 2);
                }
                order[size++] = key;
            }
        }

        private final LongMap<Waits> monitorWaits = new LongMap<>();
        private final LongMap<Waits> parkWaits = new LongMap<>();
        private final List<Waits> waitsInOrder = new ArrayList<>();
        private long unblockedParks;
        private long firstWait = Long.MAX_VALUE;
        private long lastWait = Long.MIN_VALUE;

        private void waited(boolean monitor, long classKey, long address, long start, long nanos, long thread, long owner,
                long stackKey) {
            LongMap<Waits> byAddress = monitor ? monitorWaits : parkWaits;
            Waits w = byAddress.get(address);
            while (w != null && w.classKey != classKey) {
                w = w.next;
            }
            if (w == null) {
                w = new Waits(monitor, classKey, address);
                w.next = byAddress.get(address);
                byAddress.put(address, w);
                waitsInOrder.add(w);
            }
            w.events++;
            w.totalNanos += nanos;
            if (nanos > w.longestNanos) {
                w.longestNanos = nanos;
                w.longestStack = stackKey;
            }
            w.first = Math.min(w.first, start);
            w.last = Math.max(w.last, start);
            if (stackKey >= -1 && stackKey < Integer.MAX_VALUE && thread >= 0 && thread <= 0xffffffffL) {
                w.pairs.add(pair(stackKey, thread));
            } else {
                KeyCounts byStack = w.widePairs.get(stackKey);
                if (byStack == null) {
                    byStack = new KeyCounts();
                    w.widePairs.put(stackKey, byStack);
                    w.wideStacks.add(stackKey);
                }
                byStack.add(thread);
            }
            if (owner != Long.MIN_VALUE) {
                w.owners.add(owner);
            }
            if (start != 0) {
                firstWait = Math.min(firstWait, start);
                lastWait = Math.max(lastWait, start);
            }
        }

        /** A stack key (-1 for none) and a thread key in one long; {@link #waited} checks they fit. */
        private static long pair(long stackKey, long thread) {
            return (stackKey + 1) << 32 | thread;
        }

        /** At the chunk's end, while its pools are in memory: the waits with names for keys, to the builder. */
        private void handOnWaits() {
            for (Waits w : waitsInOrder) {
                String cls = className(w.classKey);
                // threads by stack: the wide pairs are kept that way already; the packed ones are added to them
                KeyCounts threads = new KeyCounts();
                for (int s = 0; s < w.wideStacks.size; s++) {
                    KeyCounts byStack = w.widePairs.get(w.wideStacks.order[s]);
                    for (int t = 0; t < byStack.size; t++) {
                        threads.add(byStack.order[t], byStack.counts.get(byStack.order[t])[0]);
                    }
                }
                LongMap<KeyCounts> threadsByStack = w.widePairs;
                KeyCounts stackKeys = w.wideStacks;
                for (int i = 0; i < w.pairs.size; i++) {
                    long pair = w.pairs.order[i];
                    long stackKey = (pair >>> 32) - 1;
                    long thread = pair & 0xffffffffL;
                    long n = w.pairs.counts.get(pair)[0];
                    threads.add(thread, n);
                    KeyCounts byStack = threadsByStack.get(stackKey);
                    if (byStack == null) {
                        byStack = new KeyCounts();
                        threadsByStack.put(stackKey, byStack);
                        stackKeys.add(stackKey);
                    }
                    byStack.add(thread, n);
                }
                Map<String, Long> waiters = names(threads, "");
                Map<String, Long> owners = names(w.owners, null);
                long stackKey = w.longestStack;
                java.util.function.Supplier<JfrStack> stack = () -> stackKey < 0 ? JfrStack.EMPTY : stack(stackKey);
                Recording.ContentionKind kind = w.monitor ? Recording.ContentionKind.MONITOR_ENTER : Recording.ContentionKind.PARK;
                String lockClass = w.monitor ? orUnknown(cls) : cls;
                sink.waits(kind, lockClass, w.address, w.events, w.totalNanos, w.longestNanos, stack, w.first, w.last, waiters, owners);
                for (int s = 0; s < stackKeys.size; s++) {
                    long key = stackKeys.order[s];
                    JfrStack frames = key < 0 ? JfrStack.EMPTY : stack(key);
                    if (frames.synchronizedMethods().isEmpty()) {
                        continue;
                    }
                    KeyCounts byStack = threadsByStack.get(key);
                    for (int t = 0; t < byStack.size; t++) {
                        String name = threadName(byStack.order[t]);
                        sink.heldWhileWaiting(kind, lockClass, w.address, frames, name == null ? "" : name,
                                byStack.counts.get(byStack.order[t])[0]);
                    }
                }
            }
            sink.seenBetween(firstWait, lastWait);
            sink.uncontendedParks(unblockedParks);
        }

        /** Counts by thread name, in the order the threads came; a key of no thread counts under {@code none}, or not at all. */
        private Map<String, Long> names(KeyCounts counts, String none) {
            Map<String, Long> out = new java.util.LinkedHashMap<>();
            for (int i = 0; i < counts.size; i++) {
                long key = counts.order[i];
                String name = key == Long.MIN_VALUE ? null : threadName(key);
                if (name == null) {
                    name = none;
                }
                if (name != null) {
                    out.merge(name, counts.counts.get(key)[0], Long::sum);
                }
            }
            return out;
        }

        private void event(EventLayout l, long[] slots) {
            long startTicks = l.startTime < 0 ? 0 : slots[l.startTime];
            long startNanos = time.nanos(startTicks);
            long durationNanos = l.duration < 0 ? 0 : time.nanos(startTicks + slots[l.duration]) - startNanos;
            long stackKey = l.stackTrace < 0 ? -1 : slots[l.stackTrace];
            switch (l.kind) {
                case EventLayout.MONITOR_ENTER -> waited(true, pooled(l.lockClass, slots), l.address < 0 ? 0 : slots[l.address],
                        startNanos, durationNanos, pooled(l.eventThread, slots), pooled(l.previousOwner, slots), stackKey);
                case EventLayout.PARK -> {
                    long classKey = pooled(l.lockClass, slots);
                    if (className(classKey) == null) {
                        unblockedParks++;
                    } else {
                        waited(false, classKey, l.address < 0 ? 0 : slots[l.address], startNanos, durationNanos,
                                pooled(l.eventThread, slots), Long.MIN_VALUE, stackKey);
                    }
                }
                default -> sink.accept(generic(l, slots, startNanos, durationNanos, stackKey));
            }
        }

        private static String orUnknown(String cls) {
            return cls == null ? "?" : cls;
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
                                String s = stringAt((int) slots[i]);
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
                        String cls = f.storage == POOLED && f.type.name.equals("java.lang.Class") ? className(slots[i]) : null;
                        if (cls != null) {
                            fields.put(f.name, cls);
                        }
                    }
                    case "thread", "previousOwner", "notifier", "parentThread" -> {
                        if (f.storage == POOLED && f.type.name.equals("java.lang.Thread")) {
                            thread(slots[i]).ifPresent(t -> fields.put(f.name, t));
                        }
                    }
                    case "jvmStartTime" -> fields.put(f.name, f.timestampUnit.equals("TICKS")
                            ? RecordingBuilder.instant(time.nanos(slots[i])) : Instant.ofEpochMilli(slots[i]));
                    default -> {
                    }
                }
            }
            Optional<JfrEvent.JfrThread> thread = l.eventThread < 0 ? Optional.empty() : thread(slots[l.eventThread]);
            // the builder asks for a stack while it takes the event, when this chunk is still in memory
            return new JfrEvent(l.name, RecordingBuilder.instant(startNanos), Duration.ofNanos(durationNanos), thread,
                    () -> stackKey < 0 ? JfrStack.EMPTY : stack(stackKey), fields);
        }
    }
}
