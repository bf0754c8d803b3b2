package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.graph.LockGraph;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import org.junit.jupiter.api.Test;

/** The traps of the text format, on the corpus dumps that show them. */
class LockGraphTest {

    private static JvmThread named(Snapshot s, String name) {
        return s.threads().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aThreadInObjectWaitDoesNotOwnTheMonitorItsStackSaysLocked() {
        // JDK 17: "- waiting on <X>" then "- locked <X>" for the same ReferenceQueue$Lock
        Snapshot s = Dumps.read(Dumps.corpus("jstack/samurai-openjdk17-idle-3dumps.txt")).get(0);
        LockGraph g = LockGraph.of(s);
        assertTrue(g.holdsOf(named(s, "Finalizer").index()).isEmpty());
        assertTrue(g.holdsOf(named(s, "Common-Cleaner").index()).isEmpty());
    }

    @Test
    void jdk5PrintsNoWaitingOnLineYetTheMonitorWasReleased() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/tda-jdk5-64bit-small.txt"));
        LockGraph g = LockGraph.of(s);
        assertTrue(g.holdsOf(named(s, "LeaseRenewalManager Task").index()).isEmpty());
    }

    @Test
    void jdk11WaitingToRelockOfANonBlockedThreadIsNeitherHoldNorWait() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/jifa-jdk11.0.1-monitor-deadlock.txt"));
        LockGraph g = LockGraph.of(s);
        int finalizer = named(s, "Finalizer").index();
        assertTrue(g.holdsOf(finalizer).isEmpty());
        assertTrue(g.waitsOf(finalizer).isEmpty());
    }

    @Test
    void blockedThreadsWaitForTheMonitorOwner() {
        // "7 threads BLOCKED 'waiting to lock' one monitor"
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/jthreaddump-jdk25-monitor-contention.txt"));
        LockGraph g = LockGraph.of(s);
        String hottest = g.waits().stream().map(w -> w.lock().id())
                .max(java.util.Comparator.comparingInt(id -> g.waitersFor(id).size())).orElseThrow();
        assertEquals(7, g.waitersFor(hottest).size());
        assertEquals(1, g.holdersOf(hottest).size());
    }

    @Test
    void ownableSynchronizersFromDashLAreHolds() {
        Snapshot s = Dumps.readOne(Dumps.sample("jdk17/swapped-field.txt"));
        LockGraph g = LockGraph.of(s);
        JvmThread pool = named(s, "account-pool-1");
        assertEquals(1, g.holdsOf(pool.index()).size());
        String lock = g.holdsOf(pool.index()).get(0).lock().id();
        assertEquals(2, g.waitersFor(lock).size(), "statement-1 and statement-2 wait for it");
    }

    @Test
    void aNotifiedThreadBlockedInObjectWaitWaitsForTheMonitorItsStackSaysLocked() {
        // JDK 21: BLOCKED in Object.wait0, "waiting on <no object reference available>", then "- locked <X>" below
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/tdv-jdk21.0.2-macos-jstack-l.txt"));
        LockGraph g = LockGraph.of(s);
        int manager = named(s, "RequestProcessor queue manager").index();
        assertTrue(g.holdsOf(manager).isEmpty(), g.holdsOf(manager).toString());
        assertEquals(1, g.waitsOf(manager).size());
        assertEquals("0x00000007d0165b08", g.waitsOf(manager).get(0).lock().id());
    }
}
