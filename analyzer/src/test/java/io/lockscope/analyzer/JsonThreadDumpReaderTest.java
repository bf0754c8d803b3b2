package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.graph.LockGraph;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import io.lockscope.model.Visibility;
import org.junit.jupiter.api.Test;

class JsonThreadDumpReaderTest {

    @Test
    void loomDumpWithContainersAndVirtualThreads() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jcmd-json/loominated-jdk24loom3-structuredtaskscope-37threads.json"));
        assertEquals(37, s.threads().size());
        assertEquals("jcmd-json", s.format());
        assertTrue(s.jvm().pid().isPresent());
        // JDK 24 JSON dumps have no states and no locks: nothing about owners can be told
        assertEquals(Visibility.NOT_SHOWN, s.monitorOwners());
        assertEquals(Visibility.NOT_SHOWN, s.synchronizerOwners());
    }

    @Test
    void jdk25JsonShowsMonitorsButNeverOwnersOfJucLocks() {
        Snapshot s = Dumps.readOne(Dumps.sample("jdk25/monitor-deadlock.json"));
        assertEquals(Visibility.SHOWN, s.monitorOwners());
        assertEquals(Visibility.NOT_SHOWN, s.synchronizerOwners());
        LockGraph g = LockGraph.of(s);
        JvmThread stocker = s.threads().stream().filter(t -> t.name().equals("stocker")).findFirst().orElseThrow();
        assertEquals(1, g.holdsOf(stocker.index()).size());
        assertTrue(g.holdsOf(stocker.index()).get(0).lock().className().endsWith("Scenario$Inventory"));
        assertEquals(1, g.waitsOf(stocker.index()).size());
        assertTrue(g.waitsOf(stocker.index()).get(0).lock().className().endsWith("Scenario$Ledger"));
    }

    @Test
    void parkedOnAReentrantLockInJsonIsAWaitWithAnUnknownOwner() {
        Snapshot s = Dumps.readOne(Dumps.sample("jdk25/reentrantlock-deadlock.json"));
        LockGraph g = LockGraph.of(s);
        JvmThread t = s.threads().stream().filter(x -> x.name().equals("transfer-a-to-b")).findFirst().orElseThrow();
        assertEquals(1, g.waitsOf(t.index()).size());
        assertTrue(g.holdersOf(g.waitsOf(t.index()).get(0).lock().id()).isEmpty(), "owner unknown in a JSON dump");
        assertTrue(g.cycles().isEmpty());
    }
}
