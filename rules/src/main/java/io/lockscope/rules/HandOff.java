package io.lockscope.rules;

import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockRef;
import io.lockscope.model.ThreadState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the dumps around it tell about a lock that one dump shows waited for and owned by no
 * live thread. A lock has no owner for an instant at every hand-off: its owner has unlocked, and
 * the waiter it woke has not run yet. A dump taken in that instant looks like an orphaned lock.
 * An orphaned lock keeps its waiters, and it needs a thread that died.
 */
final class HandOff {

    private HandOff() {
    }

    /** CPU time a parked thread must have used between two dumps to count as having been woken: it uses none parked. */
    static final long WOKEN_MICROS = 1000;

    /**
     * Whether {@code next}, the dump after {@code g}, shows the lock released in between: owned by
     * a live thread, or one of its waiters that waited without a time-out alive and waiting for
     * no lock of that class any more, or having used CPU time in between. Nothing but the lock's
     * release lets such a waiter go on, or wakes it for long.
     */
    static boolean releasedBy(LockGraph next, LockGraph g, LockRef lock, List<Wait> waits) {
        if (next.holdersOf(lock.id()).stream().anyMatch(h -> next.thread(h.thread()).alive())) {
            return true;
        }
        Map<String, Integer> there = new HashMap<>();
        List<JvmThread> threads = next.snapshot().threads();
        for (int i = 0; i < threads.size(); i++) {
            there.put(threads.get(i).identityKey(), i);
        }
        for (Wait w : waits) {
            JvmThread t = g.thread(w.thread());
            Integer later = there.get(t.identityKey());
            if (t.state() != ThreadState.WAITING || later == null || !next.thread(later).alive()) {
                continue; // a timed wait may have given up; a thread gone says nothing about the lock
            }
            if (next.waitsOf(later).stream().noneMatch(x -> x.lock().className().equals(lock.className()))) {
                return true;
            }
            java.util.OptionalLong after = next.thread(later).cpuMicros();
            if (t.cpuMicros().isPresent() && after.isPresent() && after.getAsLong() - t.cpuMicros().getAsLong() >= WOKEN_MICROS) {
                return true;
            }
        }
        return false;
    }

    /**
     * A thread that started a moment before the dump and has already gone past the call that
     * locks it, in the method its waiters call it from: in the dump {@code snapshot},
     * {@code thread} is at {@code past}, a later line of that method than {@code lockCall}, where
     * a waiter is. It most likely took the lock and let it go within its short life, so the lock
     * had a live owner that recently; for the lock to be orphaned, a thread would have had to
     * take it after that and die at once.
     */
    record Passed(String snapshot, JvmThread thread, Frame past, Frame lockCall) {

        /** The thread's age at the dump, in seconds as HotSpot prints it ("0.01 s"). */
        String age() {
            long ms = thread.elapsedMillis().orElse(0);
            return String.format(java.util.Locale.ROOT, "%d.%02d s", ms / 1000, ms % 1000 / 10);
        }
    }

    /**
     * The youngest live thread, started at most {@code withinMillis} before the dump (HotSpot's
     * {@code elapsed=}), that is past the waiters' lock call in the same method and neither waits
     * for nor holds a lock of this class; empty when the dump prints no ages or no line numbers.
     */
    static Optional<Passed> passedRecently(LockGraph g, List<Wait> waits, long withinMillis) {
        // where the waiters call to lock it: for each method, its first such call
        Map<String, Frame> calls = new HashMap<>();
        Set<Integer> waiting = new HashSet<>();
        for (Wait w : waits) {
            waiting.add(w.thread());
            w.frame().filter(f -> f.line().isPresent()).ifPresent(f -> calls.merge(f.method(), f,
                    (a, b) -> a.line().getAsInt() <= b.line().getAsInt() ? a : b));
        }
        String lockClass = waits.get(0).lock().className();
        List<JvmThread> threads = g.snapshot().threads();
        Optional<Passed> best = Optional.empty();
        for (int i = 0; i < threads.size() && !calls.isEmpty(); i++) {
            JvmThread t = threads.get(i);
            long age = t.elapsedMillis().orElse(Long.MAX_VALUE);
            if (waiting.contains(i) || !t.alive() || age > withinMillis
                    || best.filter(b -> b.thread().elapsedMillis().getAsLong() <= age).isPresent()) {
                continue;
            }
            // one that waits for, or holds, a lock of this class may be in that method for another lock of it
            if (g.waitsOf(i).stream().anyMatch(x -> x.lock().className().equals(lockClass))
                    || g.holdsOf(i).stream().anyMatch(x -> x.lock().className().equals(lockClass))) {
                continue;
            }
            for (Frame f : t.frames()) {
                Frame call = calls.get(f.method());
                if (call != null && f.line().orElse(-1) > call.line().getAsInt()) {
                    best = Optional.of(new Passed(g.snapshot().label(), t, f, call));
                    break;
                }
            }
        }
        return best;
    }

    /**
     * Between an earlier dump and a later one: the threads that ran Java code then and are gone
     * now, each of which could have died holding a lock, and whether a thread no dump shows could
     * have. One started and ended in between leaves a gap in the thread ids ({@code #N}) of the
     * threads started after the earlier dump; one started last and ended leaves no trace at all.
     */
    record Since(String earlier, List<JvmThread> ended, boolean unseenPossible, boolean fromStart) {

        Since {
            ended = List.copyOf(ended);
        }

        Since(String earlier, List<JvmThread> ended, boolean unseenPossible) {
            this(earlier, ended, unseenPossible, false);
        }

        /** Whether no thread that either dump shows, nor any the thread ids betray, could have died holding a lock. */
        boolean noOwnerCouldHaveDied() {
            return ended.isEmpty() && !unseenPossible;
        }

        /** The one thread that could have died holding a lock, if the dumps leave exactly one. */
        Optional<JvmThread> onlyCandidate() {
            return ended.size() == 1 && !unseenPossible ? Optional.of(ended.get(0)) : Optional.empty();
        }

        List<String> endedLabels() {
            return ended.stream().map(JvmThread::label).toList();
        }
    }

    static Since since(LockGraph earlier, LockGraph g) {
        Set<String> now = new HashSet<>();
        g.snapshot().threads().forEach(t -> now.add(t.identityKey()));
        List<JvmThread> ended = earlier.snapshot().threads().stream()
                .filter(t -> t.alive() && !t.frames().isEmpty() && !now.contains(t.identityKey())).toList();
        return new Since(earlier.snapshot().label(), ended, !idsShowNoGap(earlier.snapshot().threads(), g.snapshot().threads()));
    }

    /**
     * Since the JVM started, from one dump alone: when its Java thread ids run from #1 to the highest
     * without a gap (HotSpot up to JDK 18 numbers every thread it starts so; JDK 19 and later skip
     * ids), every thread the JVM ever started is alive in it, and none can have died holding a lock.
     * Only one started after the last of these could have, and the dump's own Attach Listener,
     * started when the first dump was asked for, is most often that last one.
     */
    static Optional<Since> sinceStart(LockGraph g) {
        List<JvmThread> threads = g.snapshot().threads();
        if (!numbered(threads)) {
            return Optional.empty();
        }
        long highest = 0;
        Set<Long> ids = new HashSet<>();
        for (JvmThread t : threads) {
            t.javaId().ifPresent(ids::add);
            highest = Math.max(highest, t.javaId().orElse(0));
        }
        if (highest < 2 || ids.size() != highest || !ids.contains(1L)) {
            return Optional.empty();
        }
        return Optional.of(new Since("#1 to #" + highest, List.of(), false, true));
    }

    /** Whether every thread that runs Java code has an id ({@code #N}; JDK 7 and older print none). */
    private static boolean numbered(List<JvmThread> threads) {
        return threads.stream().allMatch(t -> t.javaId().isPresent() || t.frames().isEmpty());
    }

    /** Whether every Java thread of both dumps has an id, and the ids above the earlier dump's highest are consecutive. */
    private static boolean idsShowNoGap(List<JvmThread> earlier, List<JvmThread> later) {
        if (!numbered(earlier) || !numbered(later)) {
            return false;
        }
        long highest = 0;
        for (JvmThread t : earlier) {
            highest = Math.max(highest, t.javaId().orElse(0));
        }
        TreeSet<Long> started = new TreeSet<>();
        for (JvmThread t : later) {
            if (t.javaId().isPresent() && t.javaId().getAsLong() > highest) {
                started.add(t.javaId().getAsLong());
            }
        }
        return started.isEmpty() || started.last() - highest == started.size();
    }
}
