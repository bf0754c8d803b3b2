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
 * rule or the report asks for them, kept in a cache of bounded size ({@link ScanCache}; soft
 * references were tried: the collector clears them only when it has nearly given up, and a long
 * log then spent its time collecting). A snapshot is encoded and written by a thread of the
 * spill's own while the reader goes on to the next dump (a few dozen wait at most; the reader waits
 * when they are more); until then its threads answer from the heap. Heap dumps keep their threads in the heap (they are few,
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
    /** Written by the spill's writer alone, and by a reader only when the writer has given up. */
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

    /** Snapshots waiting to be written, at most: past this, the reader waits for the writer. */
    static final int WAITING = 32;

    /**
     * One thread that encodes and writes snapshots while the readers go on, started on the first
     * spilled snapshot and ended a second after the last. Not interrupted with a reader: a channel
     * interrupted while it writes is closed for everyone.
     */
    private java.util.concurrent.ThreadPoolExecutor writer;

    private java.util.concurrent.ThreadPoolExecutor writer() {
        if (writer == null) {
            java.util.concurrent.BlockingQueue<Runnable> queue = new java.util.concurrent.ArrayBlockingQueue<>(WAITING);
            writer = new java.util.concurrent.ThreadPoolExecutor(1, 1, 1, java.util.concurrent.TimeUnit.SECONDS, queue, r -> {
                Thread t = new Thread(r, "lockscope-spill");
                t.setDaemon(true);
                return t;
            }, (task, pool) -> {
                if (pool.isShutdown()) {
                    return; // a reader cut off by its deadline, still handing on: the threads stay in the heap
                }
                try {
                    queue.put(task); // full: the reader waits, and memory stays bounded
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.util.concurrent.CancellationException("interrupted while keeping a dump's threads on disk");
                }
            });
            writer.allowCoreThreadTimeOut(true);
        }
        return writer;
    }

    /** The snapshot as the run should keep it: the same, or with its threads on disk. */
    public synchronized Snapshot keep(Snapshot s) {
        if (kept < threshold || !s.synchronizers().isEmpty() || s.threads() instanceof Stored) {
            kept += s.threads().size();
            return s;
        }
        StoredThreads threads = new StoredThreads(this, s.threads());
        writer().execute(() -> write(threads));
        return new Snapshot(s.label(), s.format(), s.at(), s.time(), s.jvm(), threads, s.monitorOwners(), s.synchronizerOwners(),
                s.reportedDeadlocks(), s.synchronizers(), s.deadlockSearch());
    }

    /**
     * Waits until every snapshot handed on so far is on disk: once the inputs are read, so that what
     * the rules see does not depend on how far the writer had got.
     */
    public void finishWriting() {
        java.util.concurrent.ThreadPoolExecutor w;
        synchronized (this) {
            w = writer;
        }
        if (w == null) {
            return;
        }
        w.shutdown();
        try {
            w.awaitTermination(Long.MAX_VALUE, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while keeping the dumps' threads on disk");
        }
    }

    /** On the writer's thread: the snapshot's threads to the file; on no room on disk, they stay in the heap. */
    private void write(StoredThreads threads) {
        byte[] bytes;
        dictionaryLock.writeLock().lock();
        try {
            bytes = ThreadCodec.encode(threads.waiting, dictionary);
        } finally {
            dictionaryLock.writeLock().unlock();
        }
        try {
            if (file == null) {
                Path path = TempFiles.newFile(".threads");
                file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            long at = end;
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                end += file.write(b, end);
            }
            threads.written(file, at, bytes.length);
        } catch (IOException e) {
            // no room on disk: they stay in the heap, as without a spill
        }
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
        private final int size;
        /** The threads until the writer has them on disk; then null, and the fields below say where. */
        private volatile List<JvmThread> waiting;
        private FileChannel file;
        private long at;
        private int length;

        StoredThreads(SnapshotSpill spill, List<JvmThread> threads) {
            this.spill = spill;
            this.waiting = threads;
            this.size = threads.size();
        }

        /** On the writer's thread, once: where the block is (seen by every reader that then finds {@code waiting} null). */
        void written(FileChannel file, long at, int length) {
            this.file = file;
            this.at = at;
            this.length = length;
            this.waiting = null;
        }

        private List<JvmThread> threads() {
            List<JvmThread> inHeap = waiting;
            if (inHeap != null) {
                return inHeap;
            }
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
