package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.onlyFinding;
import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.util.Set;

/** What a heap dump adds: dead owners named, read holders seen, swapped locks confirmed; alone and with the thread dump. */
class HeapFindingsTest {

    @EachSampleJdk
    void positive_deadOwnerNamedFromTheHeapAlone(String jdk) {
        Finding f = onlyFinding("orphaned-lock", Severity.ERROR, Set.of("ingest-worker-1", "batch-writer-1", "batch-writer-2", "batch-writer-3"), Dumps.sample(jdk + "/dead-owner.hprof.gz"));
        assertTrue(f.title().matches("ReentrantLock\\$NonfairSync <0x[0-9a-f]+> held by dead thread ingest-worker-1 #\\d+; 3 threads wait: .*"), f.title());
        assertTrue(f.detail().contains("its exclusive owner is ingest-worker-1"), f.detail());
        assertTrue(f.detail().contains("a terminated thread"), f.detail());
    }

    @EachSampleJdk
    void positive_deadOwnerWithTheThreadDumpIsOneFinding(String jdk) {
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/dead-owner.txt"), Dumps.sample(jdk + "/dead-owner.hprof.gz")));
        assertTrue(f.title().contains("held by dead thread ingest-worker-1"), f.title());
        assertTrue(f.title().endsWith("(in 2 of 2 dumps)"), f.title());
    }

    @EachSampleJdk
    void positive_deadReaderNamedThroughFirstReader(String jdk) {
        Finding f = onlyFinding("orphaned-lock", Severity.ERROR, Set.of("catalog-reader", "catalog-writer"), Dumps.sample(jdk + "/dead-reader.hprof.gz"));
        assertTrue(f.title().contains("held by dead thread catalog-reader"), f.title());
        assertTrue(f.detail().contains("a reader (firstReader, 1 hold)"), f.detail());
    }

    @EachSampleJdk
    void positive_deadlockThroughAReadHoldOnlyTheHeapShows(String jdk) {
        Finding f = only(Dumps.findings("deadlock", Dumps.sample(jdk + "/read-write-deadlock.hprof.gz")));
        assertEquals(Set.of("price-reader", "price-updater"), threads(f));
        assertTrue(f.locks().stream().anyMatch(l -> l.className().startsWith("java.util.concurrent.locks.ReentrantReadWriteLock")));
        // the thread dump alone cannot see the read hold: a likely deadlock, which says what would make it certain
        Finding unsure = only(Dumps.findings("deadlock", Dumps.sample(jdk + "/read-write-deadlock.txt")));
        assertEquals(Severity.WARNING, unsure.severity());
        assertTrue(unsure.title().startsWith("Likely deadlock among 2 threads"), unsure.title());
        assertTrue(unsure.detail().contains("\"price-reader\" likely holds") && unsure.detail().contains("heap dump"), unsure.detail());
        assertTrue(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/read-write-deadlock.txt")).isEmpty(),
                "a blocked thread in the code that reads the lock is no orphan");
        // with the heap, it is settled: the reader is alive and the ring is certain
        var both = Dumps.analyze(Dumps.sample(jdk + "/read-write-deadlock.txt"), Dumps.sample(jdk + "/read-write-deadlock.hprof.gz"));
        assertTrue(both.outcome().findings().stream().noneMatch(x -> x.rule().equals("orphaned-lock")));
        Finding certain = only(both.outcome().findings().stream().filter(x -> x.rule().equals("deadlock")).toList());
        assertEquals(Severity.ERROR, certain.severity(), certain.title());
    }

    @EachSampleJdk
    void positive_reentrantLockDeadlockFromTheHeapAlone(String jdk) {
        Finding f = only(Dumps.findings("deadlock", Dumps.sample(jdk + "/reentrantlock-deadlock.hprof.gz")));
        assertEquals(Set.of("transfer-a-to-b", "transfer-b-to-a"), threads(f));
    }

    @EachSampleJdk
    void positive_swappedLockConfirmedFromTheHeap(String jdk) {
        Finding leak = only(Dumps.findings("leaked-lock", Dumps.sample(jdk + "/swapped-field.hprof.gz")));
        assertTrue(leak.title().contains("leaked by account-pool-1, idle in ThreadPoolExecutor.getTask"), leak.title());
        assertTrue(leak.detail().contains("no field of any object points to this lock any more"), leak.detail());
        assertEquals(Set.of("account-pool-1", "statement-1", "statement-2"), threads(leak));
        // the unreferenced lock has a live owner: that is the leak, not a second finding of a lock nobody holds
        assertTrue(Dumps.findings("ownership-mismatch", Dumps.sample(jdk + "/swapped-field.hprof.gz")).isEmpty());
    }

    @EachSampleJdk
    void positive_heapAndThreadDumpOfOneJvmTogether(String jdk) {
        Finding reader = only(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/dead-reader.txt"), Dumps.sample(jdk + "/dead-reader.hprof.gz")));
        assertTrue(reader.title().contains("held by dead thread catalog-reader") && reader.title().endsWith("(in 2 of 2 dumps)"), reader.title());
        Finding leak = only(Dumps.findings("leaked-lock", Dumps.sample(jdk + "/swapped-field.txt"), Dumps.sample(jdk + "/swapped-field.hprof.gz")));
        assertTrue(leak.title().endsWith("(in 2 dumps)"), leak.title());
        assertTrue(leak.detail().contains("no field of any object points to this lock any more"), leak.detail());
        Finding ring = only(Dumps.findings("deadlock", Dumps.sample(jdk + "/reentrantlock-deadlock.txt"),
                Dumps.sample(jdk + "/reentrantlock-deadlock.hprof.gz")));
        assertTrue(ring.title().endsWith("(in 2 dumps)"), ring.title());
        assertEquals(1, Dumps.analyzeFromRepository(Dumps.sample(jdk + "/reentrantlock-deadlock.txt"),
                Dumps.sample(jdk + "/reentrantlock-deadlock.hprof.gz")).jvms().size(), "one JVM, joined by thread addresses and ids");
    }

    @EachSampleJdk
    void negative_liveLocksReferencedByTheirFields(String jdk) {
        // the deadlocked ReentrantLocks are held by live threads and kept in the scenario's fields
        var r = Dumps.analyze(Dumps.sample(jdk + "/reentrantlock-deadlock.hprof.gz"));
        assertTrue(r.outcome().findings().stream().noneMatch(f -> f.rule().equals("orphaned-lock") || f.rule().equals("leaked-lock")));
    }
}
