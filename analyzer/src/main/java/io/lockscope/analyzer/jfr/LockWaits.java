package io.lockscope.analyzer.jfr;

import io.lockscope.model.Recording;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Waits for one lock (jdk.JavaMonitorEnter on a monitor, jdk.ThreadPark on a blocker), one event
 * or many added up: the one way contention reaches {@link RecordingBuilder}, whichever decoder read
 * it. Stacks are suppliers, evaluated while the builder takes the waits (lockscope's own decoder
 * can name a stack only while its chunk is in memory).
 *
 * @param address      the lock's address; 0 if the event has none
 * @param longestStack the stack of the longest wait
 * @param first        the earliest start, nanoseconds since the epoch (0: not recorded)
 * @param owners       previous owners of a monitor, by how often they held it when a wait began
 * @param stacks       the waits by stack and thread, for the monitors a waiter held while it waited
 */
record LockWaits(Recording.ContentionKind kind, String lockClass, long address, long events, long totalNanos,
        long longestNanos, Supplier<JfrStack> longestStack, long first, long last, Map<String, Long> waiters,
        Map<String, Long> owners, List<StackWaits> stacks) {

    /** Waits by one thread in one stack. */
    record StackWaits(Supplier<JfrStack> stack, String thread, long count) {
    }

    /** One wait: a thread waited {@code nanos} from {@code start}, while {@code owner} (or null) held the lock. */
    static LockWaits one(Recording.ContentionKind kind, String lockClass, long address, long start, long nanos, String waiter,
            String owner, Supplier<JfrStack> stack) {
        return new LockWaits(kind, lockClass, address, 1, nanos, nanos, stack, start, start, Map.of(waiter, 1L),
                owner == null ? Map.of() : Map.of(owner, 1L), List.of(new StackWaits(stack, waiter, 1)));
    }
}
