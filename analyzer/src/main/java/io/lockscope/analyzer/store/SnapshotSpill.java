package io.lockscope.analyzer.store;

import io.lockscope.analyzer.input.TempFiles;
import io.lockscope.engine.ScanCache;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import io.lockscope.model.Stored;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

/**
 * Keeps the threads of a run's thread dumps on disk once the run holds many, so that a log of tens
 * of thousands of dumps is analyzed in bounded memory. Each snapshot stays in the heap (its label,
 * time, JVM, a few hundred bytes); past {@link #IN_MEMORY_THREADS} threads kept, the threads of
 * each further snapshot go to a file of the run's own ({@link TempFiles}) and come back when a
 * rule or the report asks for them, the most recently used kept in a cache of bounded size (soft
 * references were tried: the collector clears them only when it has nearly given up, and a long
 * log then spent its time collecting). Heap dumps keep their threads in the heap (they are few,
 * and their lock states come with them). Below the threshold nothing changes. The file is the
 * run's: it goes with the run's temporary folder, once the reports that read it are written.
 */
public final class SnapshotSpill {

    /**
     * Threads kept in the heap before spilling starts: as many as a sixteenth of the heap holds, at
     * about 1.5 KB a thread with its frames (a few hundred dumps of an ordinary JVM at 2 GB).
     */
    public static final int IN_MEMORY_THREADS = (int) Math.max(2_000, Runtime.getRuntime().maxMemory() / 16 / 1_500);

    private final int threshold;
    private long kept;
    /**
     * Threads read back and kept: the first blocks read back, up to {@code threshold / 2} threads in
     * all, and the last few others (every rule walks the snapshots in order, see {@link ScanCache}).
     */
    private final ScanCache<StoredThreads, List<JvmThread>> decoded;
    private FileChannel file;
    /** The strings of every spilled block, once each: written under the write lock, read under the read lock. */
    private final ThreadCodec.Dictionary dictionary = new ThreadCodec.Dictionary();
    private final java.util.concurrent.locks.ReadWriteLock dictionaryLock = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private long end;

    public SnapshotSpill() {
        this(IN_MEMORY_THREADS);
    }

    public SnapshotSpill(int threshold) {
        this.threshold = threshold;
        this.decoded = new ScanCache<>(threshold / 2, List::size);
    }

    /** The snapshot as the run should keep it: the same, or with its threads on disk. */
    public synchronized Snapshot keep(Snapshot s) {
        if (kept < threshold || !s.synchronizers().isEmpty() || s.threads() instanceof Stored) {
            kept += s.threads().size();
            return s;
        }
        byte[] bytes;
        dictionaryLock.writeLock().lock();
        try {
            bytes = ThreadCodec.encode(s.threads(), dictionary);
        } finally {
            dictionaryLock.writeLock().unlock();
        }
        long at;
        try {
            if (file == null) {
                Path path = TempFiles.newFile(".threads");
                file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            at = end;
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                end += file.write(b, end);
            }
        } catch (IOException e) {
            // no room on disk: keep it in the heap, as without a spill
            kept += s.threads().size();
            return s;
        }
        StoredThreads threads = new StoredThreads(this, file, at, bytes.length, s.threads().size());
        return new Snapshot(s.label(), s.format(), s.at(), s.time(), s.jvm(), threads, s.monitorOwners(), s.synchronizerOwners(),
                s.reportedDeadlocks(), s.synchronizers(), s.deadlockSearch());
    }

    /** Not under the spill's lock: rules of several JVMs read their threads back side by side. */
    private List<JvmThread> decode(ByteBuffer b) {
        dictionaryLock.readLock().lock();
        try {
            return ThreadCodec.decode(b, dictionary);
        } finally {
            dictionaryLock.readLock().unlock();
        }
    }

    /** A snapshot's threads, read from the spill file when asked for and kept while memory allows. */
    static final class StoredThreads extends AbstractList<JvmThread> implements RandomAccess, Stored {
        private final SnapshotSpill spill;
        private final FileChannel file;
        private final long at;
        private final int length;
        private final int size;

        StoredThreads(SnapshotSpill spill, FileChannel file, long at, int length, int size) {
            this.spill = spill;
            this.file = file;
            this.at = at;
            this.length = length;
            this.size = size;
        }

        private List<JvmThread> threads() {
            List<JvmThread> t = spill.decoded.get(this);
            if (t == null) {
                ByteBuffer b = ByteBuffer.allocate(length);
                try {
                    while (b.hasRemaining()) {
                        if (file.read(b, at + b.position()) < 0) {
                            throw new IOException("the spill file ends early");
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("reading back a snapshot's threads", e);
                }
                b.flip();
                t = List.copyOf(spill.decode(b));
                spill.decoded.put(this, t);
            }
            return t;
        }

        @Override
        public JvmThread get(int index) {
            return threads().get(index);
        }

        @Override
        public int size() {
            return size;
        }

        // identity, not the list's contents: the cache is keyed by the stored block
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public Iterator<JvmThread> iterator() {
            // one read for the whole walk, whatever the collector does meanwhile
            return threads().iterator();
        }
    }
}
