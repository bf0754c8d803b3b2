package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.ThreadState;
import io.lockscope.model.Visibility;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dumps written by the Serviceability Agent: JDK 5-8 {@code jstack -F} from the corpus, and
 * {@code jhsdb jstack --locks} of our scenarios on JDK 17 and 25, each taken right after a jcmd
 * dump of the same JVM ({@code sample-dumps/capture.sh}), so the two must tell the same story.
 */
class ServiceabilityAgentDumpTest {

    @Test
    void jdk8JstackDashFHasOsThreadIdsForNamesAndTheVmsThreadStates() {
        Path file = Dumps.corpus("jstack/binaryfoo-jdk8u60-jstack-F-forced-sbt.txt");
        Snapshot s = Dumps.readWhole(file, InputFormat.JSTACK_F);
        assertEquals(57592, s.jvm().pid().getAsLong()); // "Attaching to process ID 57592"
        assertEquals("25.60-b23", s.jvm().vmVersion().orElseThrow()); // "JVM version is 25.60-b23"
        assertEquals(13, s.threads().size()); // grep -c '^Thread ' file
        assertEquals(109, s.threads().stream().mapToInt(t -> t.frames().size()).sum()); // grep -c '^ - ' file
        JvmThread first = s.threads().get(0);
        assertEquals("Thread 16711", first.name());
        assertEquals("0x4147", first.nativeId().orElseThrow(), "the LWP id, as jstack prints nid=");
        // "(state = BLOCKED)" is the VM's state: sleeping, waiting, parked and blocked alike
        assertEquals(ThreadState.UNKNOWN, first.state());
        assertTrue(first.stateDetail().contains("does not say which"), first.stateDetail());
        JvmThread selector = s.threads().stream().filter(t -> t.name().equals("Thread 26131")).findFirst().orElseThrow();
        assertEquals(ThreadState.RUNNABLE, selector.state()); // IN_NATIVE
        assertEquals("sun.nio.ch.KQueueArrayWrapper.kevent0", selector.frames().get(0).method());
        assertEquals("", selector.frames().get(0).location(), "@bci=0 with no line");
        assertEquals("KQueueArrayWrapper.java:198", selector.frames().get(1).location());
        // jstack -F prints no monitor lines, and this one was taken without -l
        assertEquals(Visibility.NOT_SHOWN, s.monitorOwners());
        assertEquals(Visibility.NOT_SHOWN, s.synchronizerOwners());
        assertTrue(s.reportedDeadlocks().isEmpty(), "No deadlocks found.");
    }

    @Test
    void appleJdk5JstackDashFHoldsThreeDumpsOfThreadNumbers() {
        List<Snapshot> dumps = Dumps.read(Dumps.corpus("jstack/samurai-applejdk5-jstack-F-deadlocked-threads.txt"));
        assertEquals(3, dumps.size(), "one per 'Attaching to process ID'");
        for (Snapshot s : dumps) {
            assertEquals(7, s.threads().size());
            assertEquals(31781, s.jvm().pid().getAsLong());
            assertEquals("1.5.0_13-119", s.jvm().vmVersion().orElseThrow());
            // macOS: "Thread t@60675" is the Mach thread number, not a native id that jstack would print
            assertTrue(s.threads().stream().allMatch(t -> t.name().startsWith("Thread t@") && t.nativeId().isEmpty()));
        }
        assertEquals("samurai.core.DeadLockingThread.run", dumps.get(0).threads().get(0).frames().get(0).method());
        assertEquals("DeadLockingThread.java:38", dumps.get(0).threads().get(0).frames().get(0).location());
        assertEquals(1, Dumps.analyze(Dumps.corpus("jstack/samurai-applejdk5-jstack-F-deadlocked-threads.txt")).jvms().size());
    }

    @Test
    void jdk7JstackDashFWithoutAttachLines() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/binaryfoo-jdk7-jstack-F-forced.txt"));
        assertEquals(3, s.threads().size());
        assertEquals(15, s.threads().stream().mapToInt(t -> t.frames().size()).sum());
        assertTrue(s.jvm().pid().isEmpty());
        assertEquals("java.util.concurrent.ThreadPoolExecutor.getTask", s.threads().get(0).frames().get(5).method());
    }

    @ParameterizedTest
    @CsvSource({"jdk17,monitor-deadlock", "jdk17,mixed-deadlock", "jdk17,reentrantlock-deadlock", "jdk17,contention",
        "jdk17,healthy-busy", "jdk25,monitor-deadlock", "jdk25,mixed-deadlock", "jdk25,reentrantlock-deadlock",
        "jdk25,contention", "jdk25,healthy-busy"})
    void jhsdbDumpReadsAsTheJcmdDumpOfTheSameMoment(String jdk, String scenario) {
        Path sa = Dumps.sample(jdk + "/" + scenario + ".jhsdb.txt");
        Path jcmd = Dumps.sample(jdk + "/" + scenario + ".txt");
        Snapshot a = Dumps.readWhole(sa, InputFormat.JHSDB);
        Snapshot b = Dumps.readWhole(jcmd, InputFormat.JSTACK);
        assertEquals(b.jvm().pid(), a.jvm().pid());
        assertTrue(b.jvm().vmVersion().orElseThrow().endsWith(a.jvm().vmVersion().orElseThrow()), a.jvm().vmVersion().toString());
        assertEquals(Visibility.SHOWN, a.monitorOwners());
        assertEquals(Visibility.SHOWN, a.synchronizerOwners());
        // the agent lists Java threads only; each is in jcmd's dump, with the same address
        Set<String> jcmdThreads = b.threads().stream().map(t -> t.name() + " " + t.address().orElse("")).collect(Collectors.toSet());
        for (JvmThread t : a.threads()) {
            assertTrue(jcmdThreads.contains(t.name() + " " + t.address().orElse("")), t.name());
        }
        // frames as HotSpot names them, with the file guessed from the class
        List<Frame> scenarioFrames = a.threads().stream().flatMap(t -> t.frames().stream())
                .filter(f -> f.method().startsWith("Scenario.")).toList();
        assertFalse(scenarioFrames.isEmpty());
        assertTrue(scenarioFrames.stream().allMatch(f -> f.location().matches("Scenario\\.java:\\d+")), scenarioFrames.toString());
        // classes in lock lines with dots, as HotSpot prints them
        List<LockRef> locks = a.threads().stream().flatMap(t -> t.frames().stream()).flatMap(f -> f.locks().stream())
                .map(LockAction::lock).toList();
        assertTrue(locks.stream().noneMatch(l -> l.className().contains("/")), locks.toString());
        // what each thread holds and waits for is what jcmd shows
        for (JvmThread t : a.threads()) {
            JvmThread same = b.threads().stream().filter(x -> x.name().equals(t.name()) && x.address().equals(t.address()))
                    .findFirst().orElseThrow();
            assertEquals(Dumps.lockActions(same), Dumps.lockActions(t), t.name());
            assertEquals(same.ownedSynchronizers(), t.ownedSynchronizers(), t.name());
        }
        // the same findings, and together one JVM with each finding once
        assertEquals(findings(jcmd), findings(sa));
        Analysis.Result both = Dumps.analyze(sa, jcmd);
        assertEquals(1, both.jvms().size(), "joined by pid and JavaThread addresses");
        assertEquals(findings(jcmd), both.outcome().findings().stream().map(ServiceabilityAgentDumpTest::describe).collect(Collectors.toSet()));
    }

    @EachSampleJdk
    void jhsdbDeadlocksAreFoundAndMatchTheAgentsOwnReport(String jdk) {
        for (String scenario : new String[] {"mixed-deadlock", "reentrantlock-deadlock"}) {
            Path sa = Dumps.sample(jdk + "/" + scenario + ".jhsdb.txt");
            Snapshot s = Dumps.readOne(sa);
            assertEquals(1, s.reportedDeadlocks().size(), scenario + ": 'Found one Java-level deadlock'");
            List<Finding> f = Dumps.findings("deadlock", sa);
            assertEquals(1, f.size(), scenario);
            assertEquals(Severity.ERROR, f.get(0).severity());
            assertEquals(Set.copyOf(s.reportedDeadlocks().get(0).threadNames()), Set.copyOf(f.get(0).threads()));
            assertTrue(f.get(0).locks().stream().anyMatch(l -> l.className().equals("java.util.concurrent.locks.ReentrantLock$NonfairSync")),
                    f.get(0).locks().toString());
        }
        assertTrue(Dumps.findings("deadlock", Dumps.sample(jdk + "/reentrantlock-deadlock.jhsdb.txt")).get(0).title()
                .contains("on java.util.concurrent locks"));
    }

    @ParameterizedTest
    @CsvSource({"jdk17,- locked <", "jdk25,- waiting to lock <"})
    void theAgentsMonitorLinesOfABlockedFrameAreReadInHotSpotsOrder(String jdk, String firstLine) throws IOException {
        Path sa = Dumps.sample(jdk + "/monitor-deadlock.jhsdb.txt");
        // what the file says: the monitor stocker holds (Inventory) first, the one it is blocked on (Ledger)
        // second; JDK 17 calls both locked, JDK 25 calls the held one "waiting to lock"
        List<String> at = Dumps.linesFrom(sa, "\"stocker\" #");
        assertTrue(at.get(1).contains("BLOCKED (on object monitor)"));
        assertTrue(at.get(4).strip().startsWith(firstLine) && at.get(4).endsWith("(a Scenario$Inventory)"),
                at.get(4));
        assertTrue(at.get(5).strip().startsWith("- locked <") && at.get(5).endsWith("(a Scenario$Ledger)"),
                at.get(5));
        // what lockscope reads, for each of the three: waiting for one monitor, holding the other, as jcmd shows them
        Snapshot s = Dumps.readOne(sa);
        for (String name : List.of("stocker", "auditor", "closer")) {
            JvmThread t = s.threads().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            List<LockAction> top = t.frames().get(0).locks();
            assertEquals(List.of(LockAction.Kind.WAITING_TO_LOCK, LockAction.Kind.LOCKED), top.stream().map(LockAction::kind).toList(), name);
        }
        JvmThread stocker = s.threads().stream().filter(x -> x.name().equals("stocker")).findFirst().orElseThrow();
        assertEquals("Scenario$Ledger", stocker.frames().get(0).locks().get(0).lock().className());
        // and the agent's own deadlock section agrees: stocker waits for the Ledger
        assertEquals("Scenario$Ledger", s.reportedDeadlocks().get(0).links().stream()
                .filter(l -> l.thread().equals("stocker")).findFirst().orElseThrow().lock().className());
        Finding f = Dumps.findings("deadlock", sa).get(0);
        assertTrue(f.title().startsWith("Deadlock among 3 threads on monitors"), f.title());
        assertTrue(Dumps.findings("ownership-mismatch", sa).isEmpty(), "no thread claims the monitor it waits for");
    }

    @Test
    void jdk25AgentPrintsTheOwnerOfAnAnonymouslyOwnedMonitorAsWaiting() throws IOException {
        Path sa = Dumps.sample("jdk25/contention.jhsdb.txt");
        List<String> at = Dumps.linesFrom(sa, "\"session-sweeper\" #");
        assertTrue(at.get(1).contains("RUNNABLE"));
        assertTrue(at.get(4).strip().startsWith("- waiting to lock <"), at.get(4));
        Snapshot s = Dumps.readOne(sa);
        JvmThread sweeper = s.threads().stream().filter(t -> t.name().equals("session-sweeper")).findFirst().orElseThrow();
        assertEquals(LockAction.Kind.LOCKED, sweeper.frames().get(0).locks().get(0).kind());
        Finding f = Dumps.findings("contention-hotspot", sa).get(0);
        assertTrue(f.title().startsWith("12 threads wait for Scenario$SessionTable") && f.title().endsWith("held by session-sweeper"),
                f.title());
    }

    private static Set<String> findings(Path file) {
        return Dumps.analyze(file).outcome().findings().stream().map(ServiceabilityAgentDumpTest::describe).collect(Collectors.toSet());
    }

    private static String describe(Finding f) {
        return f.rule() + " " + f.severity() + " " + Set.copyOf(f.threads()) + " "
                + f.locks().stream().map(LockRef::className).collect(Collectors.toSet()) + " " + f.fingerprint();
    }
}
