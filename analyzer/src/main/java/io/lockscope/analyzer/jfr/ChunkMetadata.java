package io.lockscope.analyzer.jfr;

import static io.lockscope.analyzer.jfr.ChunkInput.ARRAY;
import static io.lockscope.analyzer.jfr.ChunkInput.BYTE;
import static io.lockscope.analyzer.jfr.ChunkInput.DOUBLE;
import static io.lockscope.analyzer.jfr.ChunkInput.FLOAT;
import static io.lockscope.analyzer.jfr.ChunkInput.POOLED;
import static io.lockscope.analyzer.jfr.ChunkInput.STRING;
import static io.lockscope.analyzer.jfr.ChunkInput.STRUCT;
import static io.lockscope.analyzer.jfr.ChunkInput.VARINT;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chunk's metadata event (MetadataReader.java): its types, each type's fields and how each is
 * stored, and where in its events lockscope finds what it reads.
 */
final class ChunkMetadata {

    private static final long METADATA_TYPE = 0;

    private ChunkMetadata() {
    }

    /** A type from the chunk's metadata: an event type, a pooled type like java.lang.Thread, or a primitive. */
    static final class Type {
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

    static final class Field {
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

    /** An event type lockscope reads, with where the fields it reads are (-1: the type lacks it). */
    static final class EventLayout {
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
    record Metadata(byte[] body, Map<Long, Type> types, EventLayout[] layoutById, Map<Long, EventLayout> layoutByLargeId) {
    }

    // ---- metadata

    /**
     * Reads one element of the metadata tree and its children: a class becomes a {@link Type},
     * a field of a class a {@link Field}, an annotation on a field is noted on it; the rest
     * (settings, the region) is read past.
     */
    private static void element(ChunkInput in, Map<Long, Type> types, String[] strings, Type inClass, Field inField) {
        String name = strings[in.varint()];
        String id = "";
        String typeName = "";
        String type = "";
        String pooled = "";
        String dimension = "";
        String value = "";
        for (int n = in.varint(); n > 0; n--) {
            String key = strings[in.varint()];
            String v = strings[in.varint()];
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
        for (int n = in.varint(); n > 0; n--) {
            element(in, types, strings, childClass, childField);
        }
    }

    static Metadata read(ChunkInput in, int at, Metadata previous) throws JfrChunkDecoder.Unsupported {
        in.pos = at;
        int end = at + in.varint();
        if (in.varlong() != METADATA_TYPE || end > in.size || end <= at) {
            throw in.damaged("no metadata event", at);
        }
        in.varlong(); // start time
        in.varlong(); // duration
        in.varlong(); // metadata id
        int body = in.pos;
        if (previous != null && java.util.Arrays.equals(in.b, body, end, previous.body(), 0, previous.body().length)) {
            return previous;
        }
        Map<Long, Type> types = new HashMap<>();
        Map<Long, EventLayout> layoutByLargeId = new HashMap<>();
        String[] strings = new String[in.length()];
        for (int i = 0; i < strings.length; i++) {
            strings[i] = in.string();
        }
        element(in, types, strings, null, null);
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
                    throw in.damaged("field " + t.name + "." + f.name + " of undeclared type " + f.typeId, at);
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
        EventLayout[] layoutById = new EventLayout[(int) largest + 1];
        for (EventLayout l : layouts) {
            if (l.type.id < layoutById.length && l.type.id >= 0) {
                layoutById[(int) l.type.id] = l;
            } else {
                layoutByLargeId.put(l.type.id, l);
            }
        }
        return new Metadata(java.util.Arrays.copyOfRange(in.b, body, end), types, layoutById, layoutByLargeId);
    }
}
