package io.lockscope.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The state of one JVM's threads at one instant, as one dump shows it.
 *
 * @param label              e.g. {@code dumps/a.txt#2} for the second dump in a file
 * @param format             the input format it came from, e.g. {@code jstack}
 * @param monitorOwners      whether monitor owners and waiters are shown
 * @param synchronizerOwners whether owners of java.util.concurrent locks are shown ({@code -l})
 * @param synchronizers      java.util.concurrent locks as a heap dump shows them; empty for thread dumps
 * @param deadlockSearch     whether the dump shows the outcome of the JVM's own deadlock search over
 *                           monitors and java.util.concurrent locks, found or not: HotSpot's whole
 *                           {@code jstack}/{@code jcmd Thread.print} of JDK 6 and later, which prints any
 *                           deadlock it found after the threads, with or without {@code -l}
 */
public record Snapshot(
        String label,
        String format,
        SourceRef at,
        Optional<Instant> time,
        JvmHints jvm,
        List<JvmThread> threads,
        Visibility monitorOwners,
        Visibility synchronizerOwners,
        List<ReportedDeadlock> reportedDeadlocks,
        List<SynchronizerState> synchronizers,
        Visibility deadlockSearch) {

    public Snapshot {
        threads = threads instanceof Stored ? threads : List.copyOf(threads);
        reportedDeadlocks = List.copyOf(reportedDeadlocks);
        synchronizers = List.copyOf(synchronizers);
    }

    /** A snapshot that does not show the outcome of a deadlock search by the JVM. */
    public Snapshot(String label, String format, SourceRef at, Optional<Instant> time, JvmHints jvm, List<JvmThread> threads,
            Visibility monitorOwners, Visibility synchronizerOwners, List<ReportedDeadlock> reportedDeadlocks,
            List<SynchronizerState> synchronizers) {
        this(label, format, at, time, jvm, threads, monitorOwners, synchronizerOwners, reportedDeadlocks, synchronizers,
                Visibility.NOT_SHOWN);
    }

    /** Whether this dump shows who owns its locks: monitors, java.util.concurrent locks, or both. */
    public boolean ownersShown() {
        return monitorOwners.shown() || synchronizerOwners.shown();
    }
}
