package io.lockscope.model;

import java.util.List;
import java.util.Optional;

/**
 * What a heap dump shows of one java.util.concurrent lock (an AbstractOwnableSynchronizer):
 * its state, its exclusive owner, its readers, the threads queued for it, and the objects whose
 * fields point to it. Thread dumps show owners and waiters through stacks instead.
 *
 * @param state          AQS {@code state}: hold count, permits, or read and write counts
 * @param exclusiveHolds the write or exclusive hold count decoded from {@code state}
 * @param sharedHolds    the read hold count decoded from {@code state} (ReentrantReadWriteLock)
 * @param owner          index of the {@code exclusiveOwnerThread} in the snapshot, if set
 * @param readers        read holders that the heap shows (firstReader, cachedHoldCounter, readHolds)
 * @param queued         threads in the lock's wait queue, in order
 * @param conditionWaiters threads waiting on one of the lock's conditions (for a signal, not the lock)
 * @param referrers      objects and fields that point to the lock or to the lock object around it
 *                       (ReentrantLock, ReentrantReadWriteLock); empty when none does
 * @param referrersKnown whether referrers were searched for this lock
 * @param frameReferrers threads (indexes in the snapshot) whose stack frames reach the lock or the
 *                       lock object around it: a local variable or an argument of a running method
 */
public record SynchronizerState(
        LockRef lock,
        LockKind kind,
        long state,
        long exclusiveHolds,
        long sharedHolds,
        Optional<Integer> owner,
        List<ReadHold> readers,
        List<Queued> queued,
        List<Integer> conditionWaiters,
        List<Referrer> referrers,
        boolean referrersKnown,
        List<Integer> frameReferrers,
        SourceRef at) {

    public SynchronizerState {
        readers = List.copyOf(readers);
        queued = List.copyOf(queued);
        conditionWaiters = List.copyOf(conditionWaiters);
        referrers = List.copyOf(referrers);
        frameReferrers = List.copyOf(frameReferrers);
    }

    /** A read hold: the thread (index in the snapshot), how many times, and where the heap shows it. */
    public record ReadHold(int thread, long count, String source) {
    }

    /** A queued thread, waiting for the lock in exclusive or shared mode. */
    public record Queued(int thread, boolean shared) {
    }

    /** An object whose field points to the lock: its class, the field, its id. */
    public record Referrer(String className, String field, String objectId) {
    }

    /** Read holds the state counts that no visible reader accounts for (a dead reader's, whose thread-locals were cleared). */
    public long unaccountedReadHolds() {
        long seen = readers.stream().mapToLong(ReadHold::count).sum();
        return Math.max(0, sharedHolds - seen);
    }
}
