package io.lockscope.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a JFR recording of one JVM tells about threads and locks over time. Contended locks are
 * aggregated per lock as they are read, so memory grows with the number of locks, not of events.
 *
 * @param eventCounts how many events of each type lockscope read, for checking against {@code jfr summary}
 * @param complete    false when the recording broke off; {@code note} says where
 */
public record Recording(
        String label,
        SourceRef at,
        JvmHints jvm,
        Optional<Instant> jvmStart,
        Optional<Instant> start,
        Optional<Instant> end,
        List<ThreadLife> threads,
        List<ThrownException> exceptions,
        List<Contention> contentions,
        List<Pinning> pinnings,
        Map<String, Long> eventCounts,
        boolean complete,
        String note) {

    public Recording {
        threads = List.copyOf(threads);
        exceptions = List.copyOf(exceptions);
        contentions = List.copyOf(contentions);
        pinnings = List.copyOf(pinnings);
        // sorted by event name, so the reports list them in the same order on every run
        eventCounts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(eventCounts));
    }

    /** A thread's life as the recording saw it: when it started and ended, if it did. */
    public record ThreadLife(long javaId, String name, Optional<Instant> started, Optional<Instant> ended, boolean virtual) {
    }

    /**
     * An exception or error thrown, with the stack from the throw site down (the Throwable
     * constructors above it left out).
     */
    public record ThrownException(long threadId, String threadName, Instant time, String exceptionClass, String message,
            List<Frame> stack, boolean error) {
    }

    /** Blocked entering a monitor, or parked on a lock. */
    public enum ContentionKind { MONITOR_ENTER, PARK }

    /**
     * Time threads spent waiting for one lock, added up over the recording.
     *
     * @param previousOwners for monitors: the threads that held it when others blocked, by name, with counts
     * @param sampleStack    the stack of the longest wait
     * @param heldByWaiters  monitors the waiters held while they waited, as their stacks show them
     */
    public record Contention(ContentionKind kind, String lockClass, OptionalLong address, long events, Duration total,
            Duration longest, Map<String, Long> waiters, Map<String, Long> previousOwners, List<Frame> sampleStack,
            Optional<Instant> first, Optional<Instant> last, List<HeldWhileWaiting> heldByWaiters) {

        public Contention {
            heldByWaiters = List.copyOf(heldByWaiters);
        }
    }

    /**
     * A monitor a thread held while it waited for a contended lock, known from a synchronized
     * instance method below the wait on its stack: the monitor of that method's object, whose
     * class is known (the method's class or a subclass of it) and whose address is not.
     *
     * @param heldAt   the synchronized method's frame
     * @param waitedAt the frame that waited (the first frame outside the JDK's lock classes)
     * @param events   how many of the thread's waits had this stack
     */
    public record HeldWhileWaiting(String lockClass, String thread, Frame heldAt, Frame waitedAt, long events) {
    }

    /** A virtual thread pinned to its carrier while it blocked, aggregated by the frame it blocked in. */
    public record Pinning(String site, long events, Duration total, Duration longest, Map<String, Long> threads, List<Frame> sampleStack) {
    }
}
