package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.evidenceThreads;
import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrphanedLockTest {

    @ParameterizedTest
    @ValueSource(strings = {"jdk17", "jdk25"})
    void positive_poolThreadDiedHoldingAReentrantLock(String jdk) {
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/dead-owner.txt")));
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(Set.of("batch-writer-1", "batch-writer-2", "batch-writer-3"), threads(f));
        assertEquals("java.util.concurrent.locks.ReentrantLock$NonfairSync", f.locks().get(0).className());
        assertTrue(f.title().contains("has no live owner; 3 threads wait for it"), f.title());
        assertTrue(f.detail().contains("ended"), f.detail());
        assertTrue(f.hint().contains("heap dump"), "says what input would name the owner: " + f.hint());
        assertEquals(Set.of("batch-writer-1", "batch-writer-2", "batch-writer-3"), evidenceThreads(f, Evidence.Kind.WAITS_FOR));
        // the dead thread is nowhere in the dump: no evidence names it
        assertTrue(f.evidence().stream().noneMatch(e -> e.thread().orElse("").startsWith("ingest-worker")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/read-lock-held.txt", "jdk25/read-lock-held.txt", "jdk17/dead-reader.txt", "jdk25/dead-reader.txt"})
    void positive_readWriteLockWithNoVisibleHolderIsALowerConfidenceWarning(String sample) {
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample(sample)));
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.title().contains("has no visible owner"), f.title());
        assertTrue(f.detail().contains("readers never appear in a thread dump"), f.detail());
        assertTrue(f.locks().get(0).className().startsWith("java.util.concurrent.locks.ReentrantReadWriteLock"));
    }

    @Test
    void negative_jsonDumpNeverShowsOwnersSoItMakesNoClaim() {
        assertTrue(Dumps.findings("orphaned-lock", Dumps.sample("jdk25/dead-owner.json")).isEmpty());
        assertTrue(Dumps.notApplicable("orphaned-lock", Dumps.sample("jdk25/dead-owner.json")).orElseThrow()
                .contains("taken with -l"));
    }

    @Test
    void negative_dumpWithoutDashLMakesNoClaim() {
        // jcmd Thread.print without -l: AQS waiters, owners not listed
        assertTrue(Dumps.findings("orphaned-lock", Dumps.corpus("jstack/jstall-jdk26ea-jcmd-aqs-deadlock.txt")).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/swapped-field.txt", "jdk25/reentrantlock-deadlock.txt", "jdk17/healthy-busy.txt",
        "jdk25/healthy-busy.txt", "jdk17/mixed-deadlock.txt"})
    void negative_locksWhoseOwnerIsAlive(String sample) {
        assertTrue(Dumps.findings("orphaned-lock", Dumps.sample(sample)).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17", "jdk25"})
    void positive_recordingNamesTheDeadReaderOfAReadWriteLock(String jdk) {
        // index-scan died of an exception holding the read lock; the dumps of the recording show no owners at all
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/swapped-busy.jfr")));
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(Set.of("index-scan", "index-writer"), threads(f));
        assertTrue(f.title().startsWith("ReentrantReadWriteLock$NonfairSync"), f.title());
        assertTrue(f.title().contains("likely held by dead thread index-scan, which ended after IllegalStateException"), f.title());
        assertTrue(f.detail().contains("likely owner, not a certain one"), f.detail());
        // counted against every dump of the JVM, not only those that list owners (which are none here)
        Finding json = only(Dumps.findings("orphaned-lock", Dumps.sample("jdk25/dead-owner.json"), Dumps.sample("jdk25/dead-owner.jfr")));
        assertTrue(json.title().endsWith("(in 2 of 3 dumps)"), json.title());
        // the ReentrantLock that the live till-writer leaked is not pinned on the dead thread: other code takes it
        assertTrue(f.locks().stream().noneMatch(l -> l.className().startsWith("java.util.concurrent.locks.ReentrantLock$")));
    }
}
