package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmHints;
import io.lockscope.model.JvmThread;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import io.lockscope.model.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dump that a decoder of a format other than HotSpot's text is reading: the line it began at,
 * its time, its threads with the one being read, and the owners that its waiters name by id; and
 * how many of the file's dumps have gone to the sink. A decoder keeps beside it only what its own
 * format adds (Tomcat's VM name, Ignite's deadlocked threads, Hadoop's announced count).
 */
final class ForeignDump {

    private final String file;
    private final String label;
    private final String format;
    private final SnapshotSink sink;
    private Visibility synchronizerOwners = Visibility.SHOWN;
    private Visibility deadlockSearch = Visibility.NOT_SHOWN;
    private boolean oneInstant = true;
    private int count;
    private boolean open;
    private long line;
    private Optional<Instant> time = Optional.empty();
    private final List<ForeignThread> threads = new ArrayList<>();
    private ForeignThread thread;
    private NamedOwners owners = new NamedOwners(true);

    /**
     * The dumps of {@code file} in {@code format}, each labelled {@code label} and its number
     * ({@code dumps/x.txt#} gives {@code dumps/x.txt#1}). By default a dump shows the owners of
     * java.util.concurrent locks, shows its threads at one instant, and tells nothing of a deadlock
     * search; the methods below say otherwise for a format.
     */
    ForeignDump(String file, String label, String format, SnapshotSink sink) {
        this.file = file;
        this.label = label;
        this.format = format;
        this.sink = sink;
    }

    /** The format's dumps do not show who owns a java.util.concurrent lock (no "Locked synchronizers"). */
    ForeignDump synchronizerOwnersNotShown() {
        synchronizerOwners = Visibility.NOT_SHOWN;
        return this;
    }

    /** The format's dumps show the outcome of the JVM's own deadlock search, found or not. */
    ForeignDump deadlockSearchShown() {
        deadlockSearch = Visibility.SHOWN;
        return this;
    }

    /** The format asks for one thread at a time, so its dumps are no single instant (see {@link NamedOwners}). */
    ForeignDump threadByThread() {
        oneInstant = false;
        owners = new NamedOwners(false);
        return this;
    }

    /** A dump begins at line {@code n}, taken at {@code at} if its text says when. */
    void start(long n, Optional<Instant> at) {
        open = true;
        line = n;
        time = at;
    }

    /** When the dump was taken, learned after its first line. */
    void time(Optional<Instant> at) {
        time = at;
    }

    boolean open() {
        return open;
    }

    /** The line the dump began at. */
    long line() {
        return line;
    }

    /** How many dumps have gone to the sink. */
    int count() {
        return count;
    }

    /** The dump's threads so far, the one being read last. */
    List<ForeignThread> threads() {
        return threads;
    }

    /** The thread being read; null between threads. */
    ForeignThread thread() {
        return thread;
    }

    NamedOwners owners() {
        return owners;
    }

    /** A thread's header at line {@code n}: the thread before it ends, and this one is listed and read. */
    ForeignThread startThread(String name, long n) {
        endThread();
        thread = new ForeignThread(name, n);
        threads.add(thread);
        return thread;
    }

    /** The thread being read ends with its last frame; lines up to the next header belong to none. */
    void endThread() {
        if (thread != null) {
            thread.endFrame();
            thread = null;
        }
    }

    /** As {@link #finish(JvmHints, List, boolean)}, for a dump that lists every thread of the JVM. */
    boolean finish(JvmHints jvm, List<ReportedDeadlock> reported) {
        return finish(jvm, reported, true);
    }

    /**
     * The dump ends. If it listed a thread, it goes to the sink as the file's next snapshot: its
     * threads, each with the locks a waiter named it owner of ({@code allListed} false: a listing
     * that may leave threads out, where a named owner it does not list is still alive). Then
     * nothing of it is kept. Returns whether a snapshot went to the sink.
     */
    boolean finish(JvmHints jvm, List<ReportedDeadlock> reported, boolean allListed) {
        endThread();
        boolean any = !threads.isEmpty();
        if (any) {
            count++;
            List<JvmThread> built = owners.build(threads, file, allListed);
            sink.accept(new Snapshot(label + count, format, SourceRef.line(file, line), time, jvm, built,
                    Visibility.SHOWN, synchronizerOwners, reported, List.of(), deadlockSearch));
        }
        open = false;
        threads.clear();
        owners = new NamedOwners(oneInstant);
        time = Optional.empty();
        return any;
    }
}
