package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.onlyFinding;
import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeakedLockTest {

    @EachSampleJdk
    void positive_lockSwappedOutOfItsFieldWhileHeld(String jdk) {
        Finding f = onlyFinding("leaked-lock", Severity.ERROR, Set.of("account-pool-1", "statement-1", "statement-2"), Dumps.sample(jdk + "/swapped-field.txt"));
        assertTrue(f.title().contains("leaked by account-pool-1, idle in ThreadPoolExecutor.getTask"), f.title());
        Evidence hold = f.evidence().stream().filter(e -> e.kind() == Evidence.Kind.HOLDS).findFirst().orElseThrow();
        assertEquals("account-pool-1", hold.thread().orElseThrow());
        assertTrue(hold.stack().stream().anyMatch(l -> l.contains("ThreadPoolExecutor.getTask")), "shows where it idles");
        assertTrue(f.hint().contains("reassigned"), f.hint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/dead-owner.txt", "jdk25/reentrantlock-deadlock.txt", "jdk17/healthy-busy.txt",
        "jdk25/healthy-busy.txt", "jdk17/sleep-holding-1.txt", "jdk25/contention.txt"})
    void negative_ownersThatAreGoneOrBusy(String sample) {
        assertTrue(Dumps.findings("leaked-lock", Dumps.sample(sample)).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstack/jthreaddump-jdk25-producer-consumer.txt", "jstack/tdv-jdk21.0.2-macos-jstack-l.txt",
        "jstack/tda-jdk11.0.6-tomcat-jstack-l.txt"})
    void negative_corpusDumpsWithOwnedSynchronizers(String file) {
        assertTrue(Dumps.findings("leaked-lock", Dumps.corpus(file)).isEmpty());
    }

    @EachSampleJdk
    void positive_ownersIdleInLoopsOfTheirOwnAreLikelyLeaks(String jdk) {
        // no pool: a consumer on its own TransferQueue and an event loop in Selector.select()
        var findings = Dumps.findings("leaked-lock", Dumps.sample(jdk + "/queue-consumer.txt"));
        assertEquals(2, findings.size(), () -> findings.stream().map(Finding::title).toList().toString());
        Finding consumer = findings.stream().filter(f -> f.threads().get(0).equals("order-consumer")).findFirst().orElseThrow();
        assertEquals(Severity.WARNING, consumer.severity(), "a guess from frames: the loop method could hold it");
        assertEquals(Set.of("order-consumer", "stock-check-1", "stock-check-2"), threads(consumer));
        assertTrue(consumer.title().contains("likely leaked by order-consumer, idle in LinkedTransferQueue.take"), consumer.title());
        assertTrue(consumer.detail().contains("Likely, not certain") && consumer.detail().contains("heap dump"), consumer.detail());
        Finding loop = findings.stream().filter(f -> f.threads().get(0).equals("selector-loop")).findFirst().orElseThrow();
        assertEquals(Set.of("selector-loop", "route-lookup"), threads(loop));
        assertTrue(loop.title().contains("ReentrantReadWriteLock$NonfairSync") && loop.title().contains("idle in SelectorImpl"), loop.title());
        // and it is not reported as a slow call under the lock instead
        assertTrue(Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/queue-consumer.txt")).isEmpty());
    }

    @EachSampleJdk
    void positive_heapDumpProvesTheLeakOfABusyOwner(String jdk) {
        // till-writer is not idle: it sleeps in a flush loop of the same class its waiters lock from
        Finding f = onlyFinding("leaked-lock", Severity.ERROR, Set.of("till-writer", "till-reader-1", "till-reader-2"), Dumps.sample(jdk + "/swapped-busy.hprof.gz"));
        assertTrue(f.title().contains("leaked by till-writer, no field references the lock"), f.title());
        assertTrue(f.detail().contains("The heap dump proves it") && f.detail().contains("no frame of \"till-writer\""), f.detail());
        assertTrue(Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/swapped-busy.hprof.gz")).isEmpty());
        // the thread dump alone cannot tell a leak from a sleep under the lock: that is all it says
        assertTrue(Dumps.findings("leaked-lock", Dumps.sample(jdk + "/swapped-busy.txt")).isEmpty());
        Finding sleeps = only(Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/swapped-busy.txt")));
        assertEquals("till-writer", sleeps.threads().get(0));
    }

    @EachSampleJdk
    void positive_recordingProvesTheLeakWithTheThrowSite(String jdk) {
        Finding f = onlyFinding("leaked-lock", Severity.ERROR, Set.of("till-writer", "till-reader-1", "till-reader-2"), Dumps.sample(jdk + "/swapped-busy.txt"), Dumps.sample(jdk + "/swapped-busy.jfr"));
        assertTrue(f.title().contains("leaked by till-writer, its unlock() threw IllegalMonitorStateException at Scenario$Till.rotate(Scenario.java:"),
                f.title());
        Evidence thrown = f.evidence().stream().filter(e -> e.kind() == Evidence.Kind.RECORDED).findFirst().orElseThrow();
        assertTrue(thrown.stack().stream().anyMatch(l -> l.contains("ReentrantLock.unlock")), thrown.stack().toString());
        assertTrue(Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/swapped-busy.txt"), Dumps.sample(jdk + "/swapped-busy.jfr")).isEmpty());
    }

    @EachSampleJdk
    void positive_recordingAloneInfersTheLeakAndSaysSo(String jdk) {
        // the recording's own thread dumps, and a dump without -l: no owner of a java.util.concurrent lock is shown
        for (var inputs : java.util.List.of(java.util.List.of(Dumps.sample(jdk + "/swapped-busy.jfr")),
                java.util.List.of(Dumps.sample(jdk + "/swapped-busy.nolocks.txt"), Dumps.sample(jdk + "/swapped-busy.jfr")))) {
            Finding f = only(Dumps.findings("leaked-lock", inputs.toArray(java.nio.file.Path[]::new)));
            assertEquals(Severity.WARNING, f.severity(), f.title());
            assertTrue(f.title().contains("likely leaked by till-writer, its unlock() threw IllegalMonitorStateException"), f.title());
            assertEquals(Set.of("till-writer", "till-reader-1", "till-reader-2"), threads(f));
            assertTrue(f.detail().contains("Inferred from the recording") && f.detail().contains("Thread.print -l"), f.detail());
        }
        // without the recording, a dump that shows no owners proves nothing
        assertTrue(Dumps.findings("leaked-lock", Dumps.sample(jdk + "/swapped-busy.nolocks.txt")).isEmpty());
    }

    @org.junit.jupiter.api.Test
    void negative_aThreadSleepingInsideTheCodeThatTookTheLock() {
        // pool-4-thread-1 sleeps in the lambda that locked the lock its five waiters lock from the same class
        var file = Dumps.corpus("jstack/jthreaddump-jdk25-reentrantlock-parking.txt");
        assertTrue(Dumps.findings("leaked-lock", file).isEmpty());
        assertEquals("pool-4-thread-1", only(Dumps.findings("blocking-while-holding", file)).threads().get(0));
    }
}
