package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.engine.Finding;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.Visibility;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Threads as {@code ThreadInfo.toString()} prints them, the way applications and JMX tools log a
 * thread dump: our scenarios on JDK 17 and 25, dumped over JMX by sample-dumps/scenarios/ThreadInfoDump.java,
 * each with a jcmd dump of the same JVM taken right after.
 */
class ThreadInfoDumpTest {

    @ParameterizedTest
    @CsvSource({"jdk17,monitor-deadlock", "jdk17,reentrantlock-deadlock", "jdk17,dead-owner", "jdk17,healthy-busy", "jdk17,deep-holder",
        "jdk25,monitor-deadlock", "jdk25,reentrantlock-deadlock", "jdk25,dead-owner", "jdk25,healthy-busy", "jdk25,deep-holder"})
    void findsWhatJcmdsDumpOfTheSameJvmFinds(String jdk, String scenario) {
        Path text = Dumps.sample(jdk + "/" + scenario + ".threadinfo.txt");
        Path jcmd = Dumps.sample(jdk + "/" + scenario + ".threadinfo-jcmd.txt");
        Snapshot s = Dumps.readWhole(text, InputFormat.THREADINFO);
        assertEquals(Visibility.SHOWN, s.monitorOwners());
        // frames named as HotSpot names them, without "app//" or "java.base@17.0.15/" before the class
        List<Frame> frames = s.threads().stream().flatMap(t -> t.frames().stream()).toList();
        assertTrue(frames.stream().noneMatch(f -> f.method().contains("/") && !f.method().contains("/0x")), frames.toString());
        if (scenario.equals("deep-holder")) {
            // the frame that took the lock is past the eighth, which a finding's fingerprint names: only the rule is the same
            assertEquals(rules(jcmd), rules(text));
        } else {
            assertEquals(rulesAndFingerprints(jcmd), rulesAndFingerprints(text));
        }
        if (scenario.equals("healthy-busy")) {
            assertTrue(rulesAndFingerprints(text).isEmpty());
        }
    }

    @EachSampleJdk
    void aParkedThreadsWaitingOnIsAParkAndTheSynchronizersAreItsOwn(String jdk) throws IOException {
        Path text = Dumps.sample(jdk + "/reentrantlock-deadlock.threadinfo.txt");
        List<String> at = Dumps.linesFrom(text, "\"transfer-a-to-b\" prio=5 Id=");
        assertTrue(at.get(0).contains(" WAITING on java.util.concurrent.locks.ReentrantLock$NonfairSync@")
                && at.get(0).endsWith("owned by \"transfer-b-to-a\" Id=" + at.get(0).replaceAll(".*Id=(\\d+)$", "$1")),
                at.get(0));
        assertTrue(at.get(2).strip().startsWith("-  waiting on java.util.concurrent.locks.ReentrantLock$NonfairSync@"));
        Snapshot s = Dumps.readOne(text);
        JvmThread a = Dumps.thread(s, "transfer-a-to-b");
        JvmThread b = Dumps.thread(s, "transfer-b-to-a");
        LockAction wait = a.frames().get(0).locks().get(0);
        assertEquals(LockAction.Kind.PARKING, wait.kind());
        // "Number of locked synchronizers = 1": b owns what a parks on
        assertEquals(List.of(wait.lock()), b.ownedSynchronizers().orElseThrow());
        assertEquals(Visibility.SHOWN, s.synchronizerOwners());
    }

    @EachSampleJdk
    void aMonitorHeldPastTheEighthFrameIsKnownFromItsWaiters(String jdk) throws IOException {
        Path text = Dumps.sample(jdk + "/deep-holder.threadinfo.txt");
        // the file: the holder's stack stops at "..." before the frame that locked the catalog
        List<String> at = Dumps.linesFrom(text, "\"report-compiler\" prio=5 Id=");
        List<String> holder = at.subList(0, 10);
        assertTrue(holder.contains("\t..."), holder.toString());
        assertTrue(holder.stream().noneMatch(l -> l.contains("-  locked")), holder.toString());
        JvmThread compiler = Dumps.thread(Dumps.readOne(text), "report-compiler");
        Frame elided = compiler.frames().get(compiler.frames().size() - 1);
        assertEquals("...", elided.method());
        LockRef catalog = elided.locks().get(0).lock();
        assertEquals("Scenario$Catalog", catalog.className());
        Finding f = Dumps.findings("blocking-while-holding", text).get(0);
        assertEquals(Set.of("report-compiler", "catalog-reader-1", "catalog-reader-2"), Set.copyOf(f.threads()));
        assertTrue(f.title().startsWith("report-compiler sleeps in Scenario.sleep("), f.title());
    }

    @EachSampleJdk
    void theDeadOwnerThreadInfoNamesIsReported(String jdk) {
        Path text = Dumps.sample(jdk + "/dead-owner.threadinfo.txt");
        JvmThread owner = Dumps.thread(Dumps.readOne(text), "ingest-worker-1");
        assertFalse(owner.alive());
        Finding f = Dumps.findings("orphaned-lock", text).get(0);
        assertTrue(f.title().contains("held by dead thread ingest-worker-1 #"), f.title());
    }

    private static Set<String> rules(Path file) {
        return Dumps.analyze(file).outcome().findings().stream().map(Finding::rule).collect(Collectors.toSet());
    }

    private static Set<String> rulesAndFingerprints(Path file) {
        return Dumps.analyze(file).outcome().findings().stream().map(f -> f.rule() + " " + f.fingerprint()).collect(Collectors.toSet());
    }
}
