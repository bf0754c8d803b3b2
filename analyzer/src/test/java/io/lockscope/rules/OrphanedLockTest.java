package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.cannotTell;
import static io.lockscope.rules.RuleTestSupport.onlyFinding;
import static io.lockscope.rules.RuleTestSupport.evidenceThreads;
import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.model.Snapshot;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrphanedLockTest {

    @EachSampleJdk
    void positive_poolThreadDiedHoldingAReentrantLock(String jdk) {
        Finding f = onlyFinding("orphaned-lock", Severity.ERROR, Set.of("batch-writer-1", "batch-writer-2", "batch-writer-3"), Dumps.sample(jdk + "/dead-owner.txt"));
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
        cannotTell("orphaned-lock", "taken with -l", Dumps.sample("jdk25/dead-owner.json"));
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

    // fair-turns: three tellers take turns on a fair ReentrantLock, a healthy JVM whose lock is between owners at every
    // unlock; capture.sh takes dumps until handoff.awk says one caught it so, in the way each file is named for

    /** The lock the tellers wait for in this dump, which no thread of it owns: what the tests below are about. */
    private static io.lockscope.graph.LockGraph ownerless(java.nio.file.Path dump) {
        return ownerless(dump, "teller-");
    }

    /** The same, for the fair lock that threads named {@code waiters...} wait for. */
    private static io.lockscope.graph.LockGraph ownerless(java.nio.file.Path dump, String waiters) {
        io.lockscope.graph.LockGraph g = io.lockscope.graph.LockGraph.of(Dumps.readOne(dump));
        java.util.List<io.lockscope.graph.Wait> waits = g.waits().stream()
                .filter(w -> w.lock().className().endsWith("ReentrantLock$FairSync")).toList();
        assertTrue(waits.stream().anyMatch(w -> g.thread(w.thread()).name().startsWith(waiters)), dump + ": " + waiters + " wait");
        assertTrue(g.holdersOf(waits.get(0).lock().id()).isEmpty(), dump + ": and nobody owns the lock");
        return g;
    }

    /**
     * A pool-churn dump caught in a hand-off's window: jobs wait for the fair lock, nobody owns it,
     * no thread shows the hand-off, and threads of the pool have ended (the ids have gaps).
     */
    private static io.lockscope.graph.LockGraph poolWindow(java.nio.file.Path dump) {
        io.lockscope.graph.LockGraph g = ownerless(dump, "job-");
        assertTrue(!g.handedOver(fairLock(g)), "nothing in the dump itself shows the hand-off");
        assertTrue(HandOff.sinceStart(g).isEmpty(), "threads have ended: the ids have gaps");
        return g;
    }

    private static String fairLock(io.lockscope.graph.LockGraph g) {
        return g.waits().stream().filter(w -> w.lock().className().endsWith("ReentrantLock$FairSync")).findFirst()
                .orElseThrow().lock().id();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/fair-turns.woken.txt", "jdk25/fair-turns.woken.txt", "jdk17/fair-turns.released.txt",
        "jdk25/fair-turns.released.txt"})
    void handOff_oneDumpShowsTheLockBeingHandedOver(String sample) {
        // woken: a teller parked for it runs (just woken); released: a teller is inside ReentrantLock.unlock, called from
        // the code the others lock it from. Either way the lock is passing from one owner to the next.
        io.lockscope.graph.LockGraph g = ownerless(Dumps.sample(sample));
        assertTrue(g.handedOver(fairLock(g)), sample);
        assertTrue(Dumps.findings("orphaned-lock", Dumps.sample(sample)).isEmpty());
    }

    @Test
    void handOff_aloneTheWindowLooksLikeAnOrphan() {
        // handoff-2 caught the window in which nothing shows it: the owner has unlocked and gone on, the teller it woke
        // has not run yet. One dump cannot tell: the finding stands, and says that a second dump would tell. (JDK 25
        // numbers threads with gaps, so its ids cannot show that no thread ended; JDK 17's can, below.)
        io.lockscope.graph.LockGraph g = ownerless(Dumps.sample("jdk25/fair-turns.handoff-2.txt"));
        assertTrue(!g.handedOver(fairLock(g)));
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample("jdk25/fair-turns.handoff-2.txt")));
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(io.lockscope.engine.Problem.Certainty.LIKELY, f.problem().certainty());
        assertTrue(f.detail().contains("Seen in one dump only"), f.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/fair-turns.handoff-2.txt", "jdk17/fair-turns.windows-1.txt", "jdk17/fair-turns.windows-2.txt"})
    void handOff_aloneTheThreadIdsShowThatNoThreadEverEnded(String sample) {
        // JDK 17 numbers every thread it starts #1, #2, ... : ids #1 to #15 all present mean that no thread of this JVM
        // has ended, so none died holding the lock, and the window is a hand-off, as the dump after each of these shows
        io.lockscope.graph.LockGraph g = ownerless(Dumps.sample(sample));
        assertTrue(!g.handedOver(fairLock(g)), "nothing in the dump itself shows the hand-off");
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample(sample)));
        assertEquals(Severity.INFO, f.severity());
        assertEquals(io.lockscope.engine.Problem.Certainty.LIKELY, f.problem().certainty());
        assertTrue(f.title().contains("likely a hand-off caught in flight"), f.title());
        assertTrue(f.detail().contains("thread ids run from #1 to #15 without a gap"), f.detail());
        assertEquals(Set.of("teller-1", "teller-2", "teller-3"), Set.copyOf(threads(f)));
    }

    @Test
    void handOff_aThreadAMomentOldIsAlreadyPastTheCallThatLocksIt() {
        // pool-churn on JDK 17, caught in a window: job-17139 waits for the fair lock and nobody owns it, threads of this
        // pool have ended (the ids have gaps), but job-17138, 0.01 s old, is at line 801 of the task, past its lock()
        // at line 788: it took the lock and let it go within that hundredth of a second
        java.nio.file.Path dump = Dumps.sample("jdk17/pool-churn.passed.txt");
        io.lockscope.graph.LockGraph g = poolWindow(dump);
        assertEquals(10, Dumps.thread(g.snapshot(), "job-17138").elapsedMillis().orElseThrow(), "elapsed=0.01s");
        Finding f = onlyFinding("orphaned-lock", Severity.INFO, Set.of("job-17138", "job-17139"), dump);
        assertEquals(io.lockscope.engine.Problem.Certainty.LIKELY, f.problem().certainty());
        // the facts behind the words: who passed the lock, where it is, and where the waiters call lock()
        HandOff.Passed passed = assertInstanceOf(Orphaned.class, f.problem()).passedBy().orElseThrow();
        assertEquals("job-17138", passed.thread().name());
        assertEquals(801, passed.past().line().orElseThrow());
        assertEquals(788, passed.lockCall().line().orElseThrow());
        assertEquals(passed.past().method(), passed.lockCall().method(), "the same method, a later line");
        Evidence seen = f.evidence().stream().filter(e -> e.kind() == Evidence.Kind.SEEN).findFirst().orElseThrow();
        assertEquals("job-17138", seen.thread().orElseThrow());
        assertTrue(seen.stack().stream().anyMatch(l -> l.contains("Scenario.lambda$poolChurn$43(Scenario.java:801)")), seen.stack()::toString);
        assertEquals(Set.of("job-17139"), evidenceThreads(f, Evidence.Kind.WAITS_FOR));
        assertTrue(f.title().contains("job-17138 #17152, started 0.01 s before it, is already past the call that locks it: "
                + "likely a hand-off caught in flight"), f.title());
        assertTrue(f.detail().contains("at Scenario.lambda$poolChurn$43(Scenario.java:801), past the line where its waiters "
                + "call to lock it (Scenario.lambda$poolChurn$43(Scenario.java:788))"), f.detail());
    }

    @Test
    void positive_aThreadPastTheLockCallTellsNothingWhenItIsOlderThanTheThreshold() {
        // the same dump, with passed-within-ms below job-17138's age: it could have passed the lock before the owner died
        var strict = io.lockscope.engine.RuleSettings.defaults().threshold("orphaned-lock", "passed-within-ms", 9);
        Finding f = only(Dumps.findings("orphaned-lock", strict, Dumps.sample("jdk17/pool-churn.passed.txt")));
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(Set.of("job-17139"), threads(f));
        assertTrue(assertInstanceOf(Orphaned.class, f.problem()).passedBy().isEmpty(), "job-17138 is too old to tell");
        assertTrue(f.detail().contains("Seen in one dump only"), f.detail());
    }

    @Test
    void positive_aDumpThatPrintsNoAgesKeepsItsError(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // a damaged copy of the same dump, its headers without elapsed= (as JDK 8 and other JVMs print them): no age,
        // so job-17138 past the lock call could have passed it at any time
        java.nio.file.Path copy = dir.resolve("pool-churn.passed.no-ages.txt");
        String text = java.nio.file.Files.readString(Dumps.sample("jdk17/pool-churn.passed.txt"));
        String stripped = text.replaceAll(" elapsed=[0-9.]+s ", " ");
        assertTrue(!stripped.equals(text) && !stripped.contains("elapsed="));
        java.nio.file.Files.writeString(copy, stripped);
        assertTrue(Dumps.thread(Dumps.readOne(copy), "job-17138").elapsedMillis().isEmpty());
        Finding f = onlyFinding("orphaned-lock", Severity.ERROR, Set.of("job-17139"), copy);
        assertTrue(f.detail().contains("Seen in one dump only"), f.detail());
    }

    @Test
    void positive_youngThreadsThatAreNotPastTheLockCallTellNothing() {
        // pool-churn on JDK 17, caught in a window: jobs of a pool that keeps no idle thread past 10 ms wait for its
        // fair lock with no owner. job-27270 and job-27272 are 0.01 s old, but back in the pool's queue, not in the code
        // that takes the lock, and the ids have gaps: nothing in this dump tells a hand-off from an orphan
        java.nio.file.Path dump = Dumps.sample("jdk17/pool-churn.window.txt");
        io.lockscope.graph.LockGraph g = poolWindow(dump);
        Snapshot s = g.snapshot();
        assertEquals(10, Dumps.thread(s, "job-27270").elapsedMillis().orElseThrow(), "elapsed=0.01s");
        assertEquals(327_000, Dumps.thread(s, "dispatcher").elapsedMillis().orElseThrow(), "elapsed=327.00s");
        assertTrue(Dumps.thread(s, "job-27270").frames().stream().noneMatch(fr -> fr.method().startsWith("Scenario.")),
                "back in the pool");
        Finding f = onlyFinding("orphaned-lock", Severity.ERROR, Set.of("dispatcher", "job-27271", "job-27273"), dump);
        assertEquals(io.lockscope.engine.Problem.Certainty.LIKELY, f.problem().certainty());
        assertTrue(f.detail().contains("Seen in one dump only"), f.detail());
    }

    @Test
    void positive_aThreadIdMissingFromTheDumpIsAThreadThatEnded() {
        // dead-owner on JDK 17: the dead ingest workers' ids (#13, #15) are missing, so the finding stays an error
        Snapshot s = Dumps.readOne(Dumps.sample("jdk17/dead-owner.txt"));
        Set<Long> ids = new java.util.TreeSet<>();
        s.threads().forEach(t -> t.javaId().ifPresent(ids::add));
        assertTrue(!ids.contains(13L) && !ids.contains(15L) && ids.contains(14L), ids.toString());
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample("jdk17/dead-owner.txt")));
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(!f.title().contains("hand-off"), f.title());
    }

    @EachSampleJdk
    void handOff_theDumpAfterShowsTheLockReleased(String jdk) {
        java.nio.file.Path caught = Dumps.sample(jdk + "/fair-turns.handoff-2.txt");
        java.nio.file.Path after = Dumps.sample(jdk + "/fair-turns.handoff-3.txt");
        assertTrue(Dumps.findings("orphaned-lock", caught, after).isEmpty());
        assertTrue(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/fair-turns.handoff-1.txt"), caught, after).isEmpty());
    }

    @EachSampleJdk
    void handOff_theDumpBeforeShowsNoThreadThatCouldHaveDied(String jdk) {
        // caught in the last dump: not disproved, but no thread ended since the dump before, so none died holding it
        java.nio.file.Path caught = Dumps.sample(jdk + "/fair-turns.handoff-2.txt");
        Finding alone = only(Dumps.findings("orphaned-lock", caught));
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/fair-turns.handoff-1.txt"), caught));
        assertEquals(Severity.INFO, f.severity());
        assertEquals(io.lockscope.engine.Problem.Certainty.LIKELY, f.problem().certainty());
        assertEquals(threads(alone), threads(f));
        assertTrue(threads(f).stream().allMatch(t -> t.startsWith("teller-")), threads(f).toString());
        assertEquals(alone.locks(), f.locks());
        assertTrue(f.title().contains("likely a hand-off caught in flight"), f.title());
        assertTrue(f.detail().contains("fair-turns.handoff-1.txt") && f.detail().contains("no thread died that could have held it"),
                f.detail());
    }

    @Test
    void handOff_waitersThatUsedCpuInBetweenWereWoken() {
        // two dumps in a row, each caught in the window, the same tellers waiting in both: only their CPU times tell
        // that they ran in between, which a thread parked for a lock nobody releases never does
        java.nio.file.Path first = Dumps.sample("jdk17/fair-turns.windows-1.txt");
        java.nio.file.Path second = Dumps.sample("jdk17/fair-turns.windows-2.txt");
        ownerless(first);
        ownerless(second);
        io.lockscope.model.JvmThread before = Dumps.thread(Dumps.readOne(first), "teller-1");
        io.lockscope.model.JvmThread after = Dumps.thread(Dumps.readOne(second), "teller-1");
        assertEquals(5_024_150, before.cpuMicros().orElseThrow(), "cpu=5024.15ms");
        assertEquals(5_067_460, after.cpuMicros().orElseThrow(), "cpu=5067.46ms");
        assertEquals(io.lockscope.model.ThreadState.WAITING, after.state());
        // alone, each is a hand-off by its thread ids (see above); together, by the CPU the tellers used in between
        Finding f = only(Dumps.findings("orphaned-lock", first, second));
        assertEquals(Severity.INFO, f.severity(), f.title());
        assertTrue(f.evidence().stream().allMatch(e -> e.snapshot().contains("windows-2.txt")), "rests on the second dump only");
        // a dump that prints no CPU times (JDK 8) tells nothing this way
        assertTrue(Dumps.readOne(Dumps.corpus("jstack/binaryfoo-jdk8u72-jstack.txt")).threads().stream()
                .allMatch(t -> t.cpuMicros().isEmpty()));
    }

    @EachSampleJdk
    void positive_theOwnerIsSeenAliveInTheDumpBeforeAndGoneInTheNext(String jdk) {
        // late-death: "reconciler" waits for its cue in the first dump; then takes the lock and dies of an exception
        java.nio.file.Path before = Dumps.sample(jdk + "/late-death-1.txt");
        java.nio.file.Path after = Dumps.sample(jdk + "/late-death-2.txt");
        assertTrue(Dumps.findings("orphaned-lock", before).isEmpty(), "the first dump is healthy");
        Finding f = onlyFinding("orphaned-lock", Severity.ERROR, Set.of("reconciler", "settlement-1", "settlement-2", "settlement-3"), before, after);
        assertEquals(io.lockscope.engine.Problem.Certainty.LIKELY, f.problem().certainty());
        assertTrue(f.title().contains("likely held by reconciler #"), f.title());
        assertTrue(f.detail().contains("only reconciler #") && f.detail().contains("late-death-1.txt"), f.detail());
        Evidence seen = f.evidence().stream().filter(e -> e.kind() == Evidence.Kind.SEEN).findFirst().orElseThrow();
        assertEquals("reconciler", seen.thread().orElseThrow());
        assertTrue(seen.snapshot().contains("late-death-1.txt"), seen.snapshot());
        assertTrue(seen.stack().stream().anyMatch(l -> l.contains("Scenario.lambda$lateDeath$")), "where it was last seen: " + seen.stack());
        assertEquals(Set.of("settlement-1", "settlement-2", "settlement-3"), evidenceThreads(f, Evidence.Kind.WAITS_FOR));
        // the second dump alone cannot name it
        Finding alone = only(Dumps.findings("orphaned-lock", after));
        assertEquals(Set.of("settlement-1", "settlement-2", "settlement-3"), threads(alone));
        assertEquals(io.lockscope.engine.Problem.Certainty.LIKELY, alone.problem().certainty(), "one dump, and nothing else");
    }

    @EachSampleJdk
    void positive_recordingNamesTheDeadReaderOfAReadWriteLock(String jdk) {
        // index-scan died of an exception holding the read lock; the dumps of the recording show no owners at all
        Finding f = onlyFinding("orphaned-lock", Severity.WARNING, Set.of("index-scan", "index-writer"), Dumps.sample(jdk + "/swapped-busy.jfr"));
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
