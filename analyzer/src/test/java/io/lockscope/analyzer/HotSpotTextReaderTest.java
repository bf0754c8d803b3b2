package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputReport;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.Snapshot;
import io.lockscope.model.ThreadState;
import io.lockscope.model.Visibility;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Facts from corpus dumps that a person can check in the file with grep. */
class HotSpotTextReaderTest {

    @Test
    void jcmdThreadPrintHeaderGivesPidTimeAndVersion() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/jstall-jdk26ea-jcmd-aqs-deadlock.txt"));
        assertEquals(79422, s.jvm().pid().getAsLong());
        assertEquals("2026-03-06T19:31:41Z", s.time().orElseThrow().toString());
        assertEquals("OpenJDK 64-Bit Server VM 26-ea+29-2803", s.jvm().vmVersion().orElseThrow());
        assertEquals(21, s.threads().size()); // grep -c '^".*tid=' file
        // taken without -l: owners of ownable synchronizers are unknown, not absent
        assertEquals(Visibility.NOT_SHOWN, s.synchronizerOwners());
        assertTrue(s.threads().stream().allMatch(t -> t.ownedSynchronizers().isEmpty()));
        assertEquals(1, s.reportedDeadlocks().size());
        assertEquals(List.of("DeadlockThread-1", "DeadlockThread-2"), s.reportedDeadlocks().get(0).threadNames());
    }

    @Test
    void jstackDashLListsOwnedSynchronizers() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/tdv-jdk21.0.2-macos-jstack-l.txt"));
        assertEquals(Visibility.SHOWN, s.synchronizerOwners());
        assertEquals(54, s.threads().size());
        long owned = s.threads().stream().flatMap(t -> t.ownedSynchronizers().orElse(List.of()).stream())
                .filter(l -> l.className().equals("java.util.concurrent.locks.ReentrantLock$NonfairSync")).count();
        assertEquals(4, owned);
    }

    @Test
    void lambdaClassesKeepTheirNumberOrAddressAfterTheSlash() {
        // JDK 8 names a lambda class Outer$$Lambda$14/1080799941; JDK 15+ a hidden class .../0x...
        List<String> jdk8 = Dumps.readOne(Dumps.corpus("jstack/binaryfoo-jetbrainsjdk8u76-intellij.txt")).threads().stream()
                .flatMap(t -> t.frames().stream()).map(f -> f.method()).filter(m -> m.contains("$$Lambda$")).toList();
        assertTrue(jdk8.contains("java.lang.UNIXProcess$$Lambda$14/1080799941.run"), jdk8.toString());
        List<String> jdk25 = Dumps.readOne(Dumps.sample("jdk25/monitor-deadlock.txt")).threads().stream()
                .flatMap(t -> t.frames().stream()).map(f -> f.method()).filter(m -> m.contains("$$Lambda")).toList();
        assertTrue(!jdk25.isEmpty() && jdk25.stream().allMatch(m -> m.matches("[\\w.$]+\\$\\$Lambda/0x[0-9a-f]+\\.run")), jdk25.toString());
    }

    @Test
    void jdk14DumpsWithoutStateLinesAndTwoThreadsOfTheSameName() {
        List<Snapshot> dumps = Dumps.read(Dumps.corpus("jstack/samurai-applejdk1.4.2-deadlock-3dumps.txt"));
        assertEquals(3, dumps.size());
        List<JvmThread> same = dumps.get(0).threads().stream().filter(t -> t.name().equals("DeadLockThread")).toList();
        assertEquals(3, same.size(), "three threads named DeadLockThread");
        assertEquals(3, same.stream().map(t -> t.address().orElseThrow()).distinct().count(), "told apart by tid");
        // no Thread.State line in JDK 1.4: "waiting for monitor entry" in the header means BLOCKED
        assertEquals(ThreadState.BLOCKED, same.get(0).state());
    }

    @Test
    void crlfAndEucKrBytesInAnHpUxDump() {
        InputReport r = Dumps.report(Dumps.corpus("jstack/tda-jdk5-hpux-ia64-2dumps-1148threads.txt"));
        assertTrue(r.message().contains("decoded as EUC-KR"), r.message());
        List<Snapshot> dumps = Dumps.read(Dumps.corpus("jstack/tda-jdk5-hpux-ia64-2dumps-1148threads.txt"));
        assertEquals(2, dumps.size());
        assertEquals(574, dumps.get(0).threads().size());
        assertEquals(574, dumps.get(1).threads().size());
        assertTrue(dumps.get(0).threads().stream().noneMatch(t -> t.name().endsWith("\r")));
        assertTrue(dumps.get(0).threads().stream().flatMap(t -> t.frames().stream())
                .noneMatch(f -> f.location().endsWith("\r")));
    }

    @Test
    void dumpsEmbeddedInAConsoleLog() {
        List<Snapshot> dumps = Dumps.read(Dumps.corpus("logs/samurai-wls814-sunjdk1.4.2-console-log-6dumps-deadlock.txt"));
        assertEquals(6, dumps.size());
        assertEquals(2, dumps.stream().mapToInt(s -> s.reportedDeadlocks().size()).sum());
        for (Snapshot s : dumps) {
            assertTrue(s.threads().stream().noneMatch(t -> t.name().startsWith("<")), "log lines are not threads");
        }
    }

    /**
     * Three jstack dumps appended to one file, each under the time jstack printed above it: every
     * dump has its own time, not the first alone (the next dump's time line comes after the
     * previous dump's closing "JNI global refs", while that dump is still open for a deadlock section).
     */
    @Test
    void everyDumpOfAFileKeepsTheTimeAboveIt() throws java.io.IOException {
        java.nio.file.Path file = Dumps.corpus("jstack/samurai-openjdk17-monitor-contention-3dumps.txt");
        List<String> lines = java.nio.file.Files.readAllLines(file);
        List<String> times = new java.util.ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("Full thread dump")) {
                times.add(lines.get(i - 1).strip().replace(' ', 'T') + "Z");
            }
        }
        assertEquals(3, times.size());
        assertEquals(times, Dumps.read(file).stream().map(s -> s.time().orElseThrow().toString()).toList());
    }

    @Test
    void headerlessDumpIsStillADump() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/tdv-jdk17.0.9-macos-headerless-jstack-l.txt"));
        assertEquals(34, s.threads().size());
        assertEquals("AWT-AppKit", s.threads().get(0).name());
    }

    @Test
    void mountedVirtualThreadsAreThreadsOfTheirOwn() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/jthreaddump-jdk25-many-virtual-threads-mounted.txt"));
        List<JvmThread> virtual = s.threads().stream().filter(JvmThread::virtual).toList();
        assertEquals(10, virtual.size());
        JvmThread v = virtual.get(0);
        assertEquals(206, v.javaId().getAsLong());
        assertEquals("ForkJoinPool-1-worker-1", v.carrier().orElseThrow());
        assertTrue(v.frames().get(0).method().contains("manyVirtualThreadsScenario"), v.frames().get(0).method());
        JvmThread carrier = s.threads().get(v.index() - 1);
        assertEquals("ForkJoinPool-1-worker-1", carrier.name());
        assertEquals("jdk.internal.vm.Continuation.run", carrier.frames().get(0).method());
        assertEquals(54 + 10, s.threads().size()); // 54 headers (grep -c '^".*tid=') and 10 mounted
    }

    @Test
    void lockLinesOfEveryKind() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/samurai-liberica11.0.12-monitor-deadlock.txt"));
        JvmThread finalizer = s.threads().stream().filter(t -> t.name().equals("Finalizer")).findFirst().orElseThrow();
        List<LockAction.Kind> kinds = finalizer.frames().stream().flatMap(f -> f.locks().stream()).map(LockAction::kind).toList();
        assertEquals(List.of(LockAction.Kind.WAITING_ON, LockAction.Kind.WAITING_TO_RELOCK), kinds);
    }

    @Test
    void threadInfoRenderingWithoutAddressesShowsNoOwners() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/tdv-jdk17.0.10-jmx-threadinfo-format.txt"));
        assertEquals("threadinfo-text", s.format());
        assertEquals(52, s.threads().size());
        assertEquals(Visibility.NOT_SHOWN, s.monitorOwners());
        assertTrue(s.threads().stream().allMatch(t -> t.address().isEmpty()));
    }

    @Test
    void classHistogramAfterTheDumpIsNotThreads() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/tda-jdk5-with-class-histogram.txt"));
        assertEquals(14, s.threads().size());
        assertFalse(s.threads().stream().anyMatch(t -> t.name().contains("num")));
    }

    @EachSampleJdk
    void aNameWithQuotesInItEndsAtItsOwnClosingQuote(String jdk) {
        Snapshot s = Dumps.readOne(Dumps.sample(jdk + "/hostile-names.txt"));
        JvmThread t = Dumps.thread(s, "\"><script>alert('lockscope')</script>");
        assertEquals(ThreadState.BLOCKED, t.state());
        assertTrue(t.address().isPresent() && t.javaId().isPresent(), "the header after the name is read");
    }
}
