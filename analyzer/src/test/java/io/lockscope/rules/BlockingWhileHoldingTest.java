package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.onlyFinding;
import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Finding;
import io.lockscope.engine.RuleSettings;
import io.lockscope.engine.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockingWhileHoldingTest {

    @EachSampleJdk
    void positive_sleepsInsideSynchronized(String jdk) {
        Finding f = onlyFinding("blocking-while-holding", Severity.WARNING, Set.of("report-generator", "request-1", "request-2", "request-3"), Dumps.sample(jdk + "/sleep-holding-1.txt"));
        assertTrue(f.title().startsWith("report-generator sleeps in Scenario.sleep(Scenario.java:61) while holding Scenario$ReportCache"), f.title());
        assertEquals("Scenario$ReportCache", f.locks().get(0).className());
    }

    @Test
    void positive_sameHolderInSeveralDumpsIsOneFinding() {
        Finding f = only(Dumps.findings("blocking-while-holding", Dumps.sample("jdk25/sleep-holding-1.txt"),
                Dumps.sample("jdk25/sleep-holding-2.txt"), Dumps.sample("jdk25/sleep-holding.json")));
        assertTrue(f.title().endsWith("(in 3 dumps)"), f.title());
    }

    /**
     * Appenders stalled in a write to a pipe nobody reads, as on a full disk or a hung network file
     * system: RandomAccessFile's write under a monitor, FileChannel's under a ReentrantLock. What the
     * JDK calls the native write changes with its version (FileDispatcherImpl.write0 on 17,
     * UnixFileDispatcherImpl.write0 and RandomAccessFile.writeBytes0 on 25): a native I/O method of
     * the JDK on top of the holder's stack is a blocking call, whichever it is.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"jdk17, RandomAccessFile.writeBytes, FileDispatcherImpl.write0",
        "jdk25, RandomAccessFile.writeBytes0, UnixFileDispatcherImpl.write0"})
    void positive_holdersStalledInANativeWrite(String jdk, String fileCall, String channelCall) {
        List<Finding> found = Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/stalled-appender.txt"));
        assertEquals(2, found.size(), found.toString());
        Finding file = found.stream().filter(f -> f.title().startsWith("file-appender ")).findFirst().orElseThrow();
        assertEquals(Set.of("file-appender", "request-1", "request-2"), threads(file));
        assertTrue(file.title().startsWith("file-appender is blocked in java.io." + fileCall + " (Scenario.lambda$stalledAppender$"), file.title());
        assertTrue(file.title().contains(" while holding Scenario$FileAppender <"), file.title());
        Finding channel = found.stream().filter(f -> f.title().startsWith("channel-appender ")).findFirst().orElseThrow();
        assertEquals(Set.of("channel-appender", "checkout-1", "checkout-2"), threads(channel));
        assertTrue(channel.title().startsWith("channel-appender is blocked in sun.nio.ch." + channelCall + " ("), channel.title());
        assertTrue(channel.title().contains(" while holding ReentrantLock$NonfairSync <"), channel.title());
        // the JSON form and a dump without -l name no owner of the ReentrantLock: the monitor's holder alone
        Path other = Dumps.sample(jdk + (jdk.equals("jdk25") ? "/stalled-appender.json" : "/stalled-appender.nolocks.txt"));
        Finding alone = onlyFinding("blocking-while-holding", Severity.WARNING, Set.of("file-appender", "request-1", "request-2"), other);
        assertTrue(alone.title().startsWith("file-appender is blocked in java.io." + fileCall), alone.title());
    }

    /**
     * From the corpus, JDK 6: a Heritrix crawler thread reads its BerkeleyDB log file
     * (RandomAccessFile.seek, a native call) while it holds the frontier's scheduler, which 30
     * crawler threads wait for, and the evictor. The list of blocking calls never named it.
     */
    @Test
    void positive_corpusCrawlerReadsItsLogFileUnderTheSchedulerEveryoneWaitsFor() {
        List<Finding> found = Dumps.findings("blocking-while-holding", Dumps.corpus("jstack/tda-jdk6u3-heritrix-monitor-contention.txt"));
        assertEquals(2, found.size(), found.toString());
        Finding scheduler = found.stream().filter(f -> f.title().contains("while holding FrontierScheduler <0xd5bada80>")).findFirst()
                .orElseThrow(() -> new AssertionError(found.toString()));
        assertTrue(scheduler.title().startsWith("ToeThread #18: ") && scheduler.title().contains(" is blocked in java.io.RandomAccessFile.seek "
                + "(com.sleepycat.je.log.FileManager.readFromFile(FileManager.java:1108))"), scheduler.title());
        assertTrue(scheduler.title().contains("; 30 threads wait: "), scheduler.title());
        assertEquals(31, scheduler.threads().size());
    }

    @Test
    void negative_corpusSelectorWakeUpIsNoBlockingCall() {
        // IBM Java 8 (Liberty): a thread wakes a selector (EPollArrayWrapper.interrupt, native and quick) inside a
        // flat-locked monitor another thread waits for: a native I/O method, but one that never waits on the world
        assertTrue(Dumps.findings("blocking-while-holding",
                Dumps.corpus("javacore/tdfg-ibmjava8sr5fp41-liberty-flat-locked-object-blocked.javacore.txt")).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/contention.txt", "jdk25/contention.txt", "jdk17/monitor-deadlock.txt",
        "jdk17/healthy-busy.txt", "jdk25/healthy-busy.txt", "jdk17/swapped-field.txt"})
    void negative_holdersThatComputeWaitForALockOrIdle(String sample) {
        assertTrue(Dumps.findings("blocking-while-holding", Dumps.sample(sample)).isEmpty());
    }

    @Test
    void positive_configuredBlockingFrames() {
        // session-sweeper computes under the lock; a pattern can declare its frame a blocking call
        var settings = RuleSettings.defaults().patterns("blocking-frames", List.of("Scenario.lambda$contention"));
        Finding f = only(Dumps.findings("blocking-while-holding", settings, Dumps.sample("jdk17/contention.txt")));
        assertTrue(f.title().startsWith("session-sweeper is blocked in Scenario.lambda$contention"), f.title());
    }

    @EachSampleJdk
    void negative_parkedOnAStampedLockOrASemaphoreIsAWaitForALock(String jdk) {
        var dump = Dumps.readOne(Dumps.sample(jdk + "/stamped-permits.txt"));
        // the shape is there: each holds a monitor another thread is blocked on, and parks on a lock with no shown owner
        for (String[] t : new String[][] {{"catalog-writer", "java.util.concurrent.locks.StampedLock"},
            {"connection-opener", "java.util.concurrent.Semaphore$NonfairSync"}}) {
            var thread = dump.threads().stream().filter(x -> x.name().equals(t[0])).findFirst().orElseThrow();
            assertTrue(thread.frames().stream().flatMap(f -> f.locks().stream())
                    .anyMatch(a -> a.kind() == io.lockscope.model.LockAction.Kind.PARKING && a.lock().className().equals(t[1])), t[0]);
            var g = io.lockscope.graph.LockGraph.of(dump);
            var held = g.holdsOf(thread.index());
            assertEquals(1, held.size(), t[0]);
            assertEquals(1, g.waitersFor(held.get(0).lock().id()).size(), t[0]);
        }
        assertTrue(Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/stamped-permits.txt")).isEmpty());
        // and no ring is guessed through them: the stamps and permits are held by threads that sleep, not wait
        assertTrue(Dumps.findings("deadlock", Dumps.sample(jdk + "/stamped-permits.txt")).isEmpty());
    }
}
