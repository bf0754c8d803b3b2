package io.lockscope.analyzer.store;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A snapshot's threads to bytes and back, for {@link SnapshotSpill}. Strings are numbers into the
 * spill's {@link Dictionary} (frames, files, lock classes and thread names repeat from thread to
 * thread and from dump to dump), so reading a block back makes no string and looks none up; a
 * string the full dictionary does not take is written out in place. Numbers are unsigned LEB128.
 */
final class ThreadCodec {

    private ThreadCodec() {
    }

    /**
     * The strings of a spill, each once, by number. Bounded: past {@link #MAX} strings, new ones
     * are written out in the blocks instead. Not thread-safe: the spill's read/write lock guards it.
     */
    static final class Dictionary {
        static final int MAX = 200_000;
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> strings = new ArrayList<>();
        private final Map<Long, Frame> frames = new java.util.concurrent.ConcurrentHashMap<>();

        /** The string's number, or -1 if the dictionary is full and does not know it. */
        int id(String s) {
            Integer known = ids.get(s);
            if (known != null) {
                return known;
            }
            if (strings.size() >= MAX) {
                return -1;
            }
            ids.put(s, strings.size());
            strings.add(s);
            return strings.size() - 1;
        }

        String get(int id) {
            return strings.get(id);
        }

        /**
         * The frame with this method and location and no lock line, made once and shared by every
         * thread read back, as the reader shares identical frames: fewer objects to make, and
         * smaller snapshots to keep. Several threads may read back at once.
         */
        Frame frame(int method, int location) {
            // both numbers in one key, multiplied by an odd constant so that Long.hashCode (high ^ low) mixes them
            long key = ((long) method << 32 | location) * 0x9E3779B97F4A7C15L;
            Frame f = frames.get(key);
            if (f == null) {
                if (frames.size() >= MAX) {
                    frames.clear();
                }
                f = new Frame(strings.get(method), strings.get(location), List.of());
                frames.put(key, f);
            }
            return f;
        }
    }

    static byte[] encode(List<JvmThread> threads, Dictionary dictionary) {
        Writer w = new Writer(dictionary);
        w.varint(threads.size());
        for (JvmThread t : threads) {
            w.varint(t.index());
            w.string(t.name());
            w.optionalLong(t.javaId());
            w.optional(t.nativeId());
            w.optional(t.address());
            w.varint(t.state().ordinal());
            w.string(t.stateDetail());
            w.varint((t.daemon() ? 1 : 0) | (t.virtual() ? 2 : 0) | (t.alive() ? 4 : 0));
            w.optional(t.carrier());
            w.varint(t.frames().size());
            for (Frame f : t.frames()) {
                w.string(f.method());
                w.string(f.location());
                w.varint(f.locks().size());
                for (LockAction a : f.locks()) {
                    w.varint(a.kind().ordinal());
                    w.lock(a.lock());
                    w.source(a.at());
                }
            }
            if (t.ownedSynchronizers().isPresent()) {
                w.varint(t.ownedSynchronizers().get().size() + 1);
                t.ownedSynchronizers().get().forEach(w::lock);
            } else {
                w.varint(0);
            }
            w.source(t.at());
            w.optionalLong(t.cpuMicros());
            w.optionalLong(t.elapsedMillis());
        }
        return w.bytes();
    }

    static List<JvmThread> decode(ByteBuffer in, Dictionary dictionary) {
        Reader r = new Reader(in, dictionary);
        int n = r.varint();
        List<JvmThread> threads = new ArrayList<>(n);
        ThreadState[] states = ThreadState.values();
        LockAction.Kind[] kinds = LockAction.Kind.values();
        for (int i = 0; i < n; i++) {
            int index = r.varint();
            String name = r.string();
            OptionalLong javaId = r.optionalLong();
            Optional<String> nativeId = r.optional();
            Optional<String> address = r.optional();
            ThreadState state = states[r.varint()];
            String stateDetail = r.string();
            int flags = r.varint();
            Optional<String> carrier = r.optional();
            int frameCount = r.varint();
            List<Frame> frames = new ArrayList<>(frameCount);
            for (int k = 0; k < frameCount; k++) {
                int method = r.varint();
                int location = r.varint();
                int lockCount = r.varint();
                if (lockCount == 0 && method > 0 && location > 0) {
                    // most frames have no lock line: one Frame for each, as the reader shares them
                    frames.add(dictionary.frame(method - 1, location - 1));
                    continue;
                }
                String m = r.string(method);
                String l = r.string(location);
                List<LockAction> locks = new ArrayList<>(lockCount);
                for (int j = 0; j < lockCount; j++) {
                    locks.add(new LockAction(kinds[r.varint()], r.lock(), r.source()));
                }
                frames.add(new Frame(m, l, locks));
            }
            int owned = r.varint();
            Optional<List<LockRef>> ownedSynchronizers = Optional.empty();
            if (owned > 0) {
                List<LockRef> refs = new ArrayList<>(owned - 1);
                for (int j = 0; j < owned - 1; j++) {
                    refs.add(r.lock());
                }
                ownedSynchronizers = Optional.of(refs);
            }
            SourceRef at = r.source();
            OptionalLong cpuMicros = r.optionalLong();
            OptionalLong elapsedMillis = r.optionalLong();
            threads.add(new JvmThread(index, name, javaId, nativeId, address, state, stateDetail, (flags & 1) != 0, (flags & 2) != 0,
                    carrier, frames, ownedSynchronizers, at, (flags & 4) != 0, cpuMicros, elapsedMillis));
        }
        return threads;
    }

    private static final class Writer {
        private byte[] buf = new byte[4096];
        private int n;
        private final Dictionary dictionary;

        Writer(Dictionary dictionary) {
            this.dictionary = dictionary;
        }

        void varint(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[n++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[n++] = (byte) v;
        }

        /** The string's number in the dictionary plus one; or 0 and its bytes, when the dictionary is full. */
        void string(String s) {
            int id = dictionary.id(s);
            if (id >= 0) {
                varint(id + 1L);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(0);
            varint(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
        }

        void optional(Optional<String> s) {
            varint(s.isPresent() ? 1 : 0);
            s.ifPresent(this::string);
        }

        void optionalLong(OptionalLong v) {
            varint(v.isPresent() ? 1 : 0);
            if (v.isPresent()) {
                varint(v.getAsLong());
            }
        }

        void lock(LockRef l) {
            string(l.id());
            string(l.className());
        }

        void source(SourceRef at) {
            string(at.file());
            varint(at.position());
            varint(at.unit().ordinal());
        }

        private void ensure(int more) {
            if (n + more > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
            }
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(buf, n);
        }
    }

    private static final class Reader {
        private final ByteBuffer in;
        private final Dictionary dictionary;
        private static final SourceRef.Unit[] UNITS = SourceRef.Unit.values();

        Reader(ByteBuffer in, Dictionary dictionary) {
            this.in = in;
            this.dictionary = dictionary;
        }

        int varint() {
            return (int) varlong();
        }

        long varlong() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = in.get();
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        String string() {
            return string(varint());
        }

        /** The string whose reference was just read: a number into the dictionary plus one, or 0 and the bytes. */
        String string(int ref) {
            if (ref > 0) {
                return dictionary.get(ref - 1);
            }
            int length = varint();
            byte[] b = new byte[length];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        Optional<String> optional() {
            return varint() == 1 ? Optional.of(string()) : Optional.empty();
        }

        OptionalLong optionalLong() {
            return varint() == 1 ? OptionalLong.of(varlong()) : OptionalLong.empty();
        }

        LockRef lock() {
            return new LockRef(string(), string());
        }

        SourceRef source() {
            return new SourceRef(string(), varlong(), UNITS[varint()]);
        }
    }
}
