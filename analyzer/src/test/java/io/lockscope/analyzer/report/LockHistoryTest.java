package io.lockscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.model.JvmHistory;
import io.lockscope.model.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lock history of a JVM with many dumps has a bounded number of columns: runs of dumps with the
 * same owners and waiters are one column, and past {@link ThreadTable#HISTORY_COLUMNS} the first
 * and last columns are shown around one that counts the dumps left out. Real snapshots, given in
 * turn: a contended monitor (12 waiters) and a sleeping holder (3 waiters).
 */
class LockHistoryTest {

    @Test
    void likeDumpsInARowAreOneColumnAndManyColumnsAreCut() {
        Snapshot contention = Dumps.readOne(Dumps.sample("jdk17/contention.txt"));
        Snapshot sleeping = Dumps.readOne(Dumps.sample("jdk17/sleep-holding-1.txt"));
        List<Snapshot> turns = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            turns.add(contention);
            turns.add(contention);
            turns.add(sleeping);
        }
        JsonNode h = ThreadTable.lockHistory(new JvmHistory("jvm-1", "test", "test", turns));
        List<String> columns = new ArrayList<>();
        h.path("snapshots").forEach(n -> columns.add(n.asText()));
        assertEquals(ThreadTable.HISTORY_COLUMNS, columns.size());
        String c = contention.label();
        assertEquals(c + " … " + c.substring(c.lastIndexOf('#')) + " (2 dumps)", columns.get(0), "two like dumps in a row: one column");
        assertEquals(sleeping.label(), columns.get(1));
        // 200 columns (runs) in all: the first 30 hold 45 dumps; the last 29 a sleeping one and 14 more runs of 3
        int leftOut = 300 - 15 * 3 - (1 + 14 * 3);
        assertEquals("… " + leftOut + " dumps not shown …", columns.get(30));
        assertEquals(2, h.path("locks").size());
        for (JsonNode lock : h.path("locks")) {
            assertEquals(ThreadTable.HISTORY_COLUMNS, lock.path("cells").size());
        }
        JsonNode monitor = h.path("locks").get(0);
        assertEquals(12, monitor.path("cells").get(0).path("waiters").asInt());
        assertEquals(0, monitor.path("cells").get(1).path("waiters").asInt());
    }

    @EachSampleJdk
    void aLockThatMovedBetweenTheThreadDumpAndTheHeapDumpIsOneRow(String jdk) {
        // the heap dump names the locks by other addresses than jcmd did; owner, waiters and class agree
        Snapshot text = Dumps.readOne(Dumps.sample(jdk + "/reentrantlock-deadlock.txt"));
        Snapshot heap = Dumps.readOne(Dumps.sample(jdk + "/reentrantlock-deadlock.hprof.gz"));
        JsonNode h = ThreadTable.lockHistory(new JvmHistory("jvm-1", "test", "test", List.of(text, heap)));
        assertEquals(2, h.path("locks").size(), h.toString());
        for (JsonNode lock : h.path("locks")) {
            String name = lock.path("lock").asText();
            org.junit.jupiter.api.Assertions.assertTrue(name.contains("ReentrantLock$NonfairSync") && name.contains("(also <0x"), name);
            JsonNode cells = lock.path("cells");
            for (JsonNode cell : cells) {
                assertEquals(1, cell.path("waiters").asInt(), h.toString());
            }
        }
        // owners differ between the two rows, and each row keeps its owner across both dumps
        List<String> owners = new ArrayList<>();
        h.path("locks").forEach(l -> owners.add(l.path("cells").get(0).path("owner").asText()));
        assertEquals(java.util.Set.of("transfer-a-to-b", "transfer-b-to-a"), java.util.Set.copyOf(owners));
    }
}
