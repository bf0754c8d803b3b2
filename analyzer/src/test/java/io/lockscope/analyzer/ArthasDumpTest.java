package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.report.ReportModel;
import io.lockscope.engine.Finding;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.ThreadState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Arthas's {@code thread} command, as one runs it on a live JVM: a session's output (the banner,
 * then each command after its prompt), one listing redirected to a file, and {@code thread -b}'s
 * single thread. capture.sh's run_arthas attaches Arthas to a scenario's JVM, then takes jcmd's
 * dump of the same JVM ({@code .arthas-jcmd.txt}): what Arthas lists must give what jcmd's dump
 * gives, and a listing that leaves threads out must not make the owners it names dead.
 */
class ArthasDumpTest {

    private static final List<String> SCENARIOS = List.of("monitor-deadlock", "reentrantlock-deadlock", "dead-owner", "healthy-busy",
            "waiting-holder");
    private static final String FULL_LISTING = "[arthas@";

    /**
     * Each listing after its prompt is a dump of the JVM whose pid the prompt names; the full one
     * ({@code thread -n -1 --lockedMonitors --lockedSynchronizers}) shows the scenario's threads as
     * jcmd's dump does, in the same states, with the same frames and the same locks held.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aSessionsListingsAreDumpsOfTheJvmItAttachedTo(String jdk) throws IOException {
        for (String scenario : SCENARIOS) {
            Path file = Dumps.sample(jdk + "/" + scenario + ".arthas.txt");
            assertEquals(InputFormat.ARTHAS, Dumps.readWholeAs(file, "\\d dumps").format(), file.toString());
            List<String> lines = Files.readAllLines(file);
            long listings = lines.stream().filter(l -> l.startsWith(FULL_LISTING)).count();
            List<Snapshot> dumps = Dumps.read(file);
            assertTrue(dumps.size() >= 3 && dumps.size() < listings, file + ": " + dumps.size() + " of " + listings + " prompts");
            Snapshot jcmd = Dumps.readOne(Dumps.sample(jdk + "/" + scenario + ".arthas-jcmd.txt"));
            for (Snapshot s : dumps) {
                assertEquals("arthas", s.format());
                assertEquals(jcmd.jvm().pid(), s.jvm().pid(), "the prompt's pid: " + s.label());
            }
            Snapshot full = listingAfter(file, lines, dumps, "thread -n -1 --lockedMonitors --lockedSynchronizers");
            if (scenario.equals("healthy-busy")) {
                continue; // its threads run on between one dump and the next
            }
            Dumps.sameScenarioThreads(jcmd, full, true);
            // analyzed with jcmd's dump of the same JVM: one JVM
            Analysis.Result both = Dumps.analyze(file, Dumps.sample(jdk + "/" + scenario + ".arthas-jcmd.txt"));
            assertEquals(1, both.jvms().size(), scenario);
        }
    }

    /** The banner's time is the first listing's; the later ones, whose time no line gives, keep none. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void theBannersTimeIsTheFirstListings(String jdk) throws IOException {
        Path file = Dumps.sample(jdk + "/monitor-deadlock.arthas.txt");
        String banner = Dumps.linesFrom(file, "current_time").get(0).substring("current_time".length()).strip();
        List<Snapshot> dumps = Dumps.read(file);
        assertEquals(Instant.parse(banner.replace(' ', 'T') + "Z"), dumps.get(0).time().orElseThrow());
        assertTrue(dumps.subList(1, dumps.size()).stream().allMatch(s -> s.time().isEmpty()));
    }

    /**
     * Both deadlocks (found as in jcmd's dump: DeadlockInEveryRenderingTest), in a session's two
     * listings of every thread and not in those of some: {@code thread -n -1} with and without the
     * locks' flags. Without --lockedMonitors it prints no "- locked" line: the owner a blocked
     * thread's header names holds the monitor.
     */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"jdk17, monitor-deadlock", "jdk25, monitor-deadlock", "jdk17, reentrantlock-deadlock", "jdk25, reentrantlock-deadlock"})
    void theDeadlockIsInTheSessionsListingsOfEveryThread(String jdk, String scenario) throws IOException {
        Path file = Dumps.sample(jdk + "/" + scenario + ".arthas.txt");
        Finding f = Dumps.only(Dumps.findings("deadlock", file));
        assertTrue(f.title().endsWith(" (in 2 dumps)"), f.title());
        List<String> lines = Files.readAllLines(file);
        Snapshot plain = listingAfter(file, lines, Dumps.read(file), "thread -n -1");
        assertTrue(plain.threads().stream().flatMap(t -> t.frames().stream()).flatMap(fr -> fr.locks().stream())
                .noneMatch(a -> a.kind() == LockAction.Kind.LOCKED), "thread -n -1 prints no \"- locked\" line");
    }

    /**
     * A thread that ended holding a ReentrantLock: its waiters' headers name it, and thread -n -1
     * lists every live thread, so in a session it ended (DeadOwnerInEveryRenderingTest). A listing
     * without its command (redirected to a file) may leave threads out: the owner it names and does
     * not list is shown alive, of unknown state, and the report's blind spots say why nothing is found.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aRedirectedListingDoesNotMakeTheOwnerDead(String jdk) {
        Finding f = Dumps.only(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/dead-owner.arthas.txt")));
        Path redirect = Dumps.sample(jdk + "/dead-owner.arthas-threads.txt");
        assertEquals(InputFormat.ARTHAS, Dumps.report(redirect).format());
        Analysis.Result r = Dumps.analyze(redirect);
        assertEquals(List.of(), r.outcome().findings().stream().map(Finding::title).toList());
        JvmThread owner = Dumps.thread(Dumps.readOne(redirect), "ingest-worker-1");
        assertTrue(owner.alive());
        assertEquals(ThreadState.UNKNOWN, owner.state());
        assertEquals(List.of(f.locks().get(0).className()),
                owner.ownedSynchronizers().orElseThrow().stream().map(LockRef::className).toList());
        String blind = ReportModel.build(r, "test").path("jvms").get(0).path("blindSpots").toString();
        assertTrue(blind.contains("thread -n -1") && blind.contains("of unknown state"), blind);
    }

    /**
     * {@code thread -b} redirected to a file: one thread, with "&lt;---- but blocks 1 other threads!"
     * after the lock it holds, and the owner of the lock it waits for named in its header. Told from
     * ThreadInfo.toString() by its frames, indented by four spaces; the owner it names is not listed,
     * and is not dead for that.
     */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"jdk17, monitor-deadlock", "jdk25, monitor-deadlock", "jdk17, reentrantlock-deadlock", "jdk25, reentrantlock-deadlock",
        "jdk17, waiting-holder", "jdk25, waiting-holder"})
    void theThreadThatBlocksTheMostAlone(String jdk, String scenario) throws IOException {
        Path file = Dumps.sample(jdk + "/" + scenario + ".arthas-b.txt");
        assertTrue(Files.readString(file).contains(" <---- but blocks "));
        InputReport input = Dumps.report(file);
        assertEquals(InputFormat.ARTHAS, input.format());
        assertEquals("1 dump", input.message());
        Snapshot s = Dumps.readOne(file);
        JvmThread blocker = s.threads().get(0);
        assertFalse(Dumps.held(blocker).isEmpty(), blocker.name() + " holds the lock the others wait for");
        for (JvmThread t : s.threads()) {
            assertTrue(t.alive(), t.name());
        }
        Analysis.Result r = Dumps.analyze(file);
        assertEquals(List.of(), r.outcome().findings().stream().filter(x -> x.rule().equals("orphaned-lock")).map(Finding::title).toList());
    }

    /** The healthy pool: threads that wait for locks, none holding what it waits for, nothing found. */
    @ParameterizedTest(name = "{0}/healthy-busy.{1}")
    @CsvSource({"jdk17, arthas", "jdk25, arthas", "jdk17, arthas-threads", "jdk25, arthas-threads"})
    void aHealthyPoolShowsNothingWrong(String jdk, String kind) throws IOException {
        Path file = Dumps.sample(jdk + "/healthy-busy." + kind + ".txt");
        List<Snapshot> dumps = Dumps.read(file);
        for (Snapshot s : dumps) {
            for (JvmThread t : s.threads()) {
                Set<String> held = Dumps.held(t);
                for (String lock : Dumps.waitedFor(t)) {
                    assertFalse(held.contains(lock), t.name() + " holds the lock it waits for: " + lock);
                }
            }
        }
        Snapshot full = kind.equals("arthas")
                ? listingAfter(file, Files.readAllLines(file), dumps, "thread -n -1 --lockedMonitors --lockedSynchronizers") : dumps.get(0);
        long waiting = full.threads().stream().filter(t -> !Dumps.waitedFor(t).isEmpty()).count();
        assertTrue(waiting >= 5, "threads that wait for a lock: " + waiting);
        assertEquals(List.of(), Dumps.analyze(file).outcome().findings().stream().map(Finding::title).toList());
    }

    /** A thread waiting on a latch while holding a ReentrantLock, another waiting on a monitor while holding one: as in jcmd's dump. */
    @ParameterizedTest(name = "{0}/waiting-holder.{1}")
    @CsvSource({"jdk17, arthas", "jdk25, arthas", "jdk17, arthas-threads", "jdk25, arthas-threads"})
    void holdersThatWaitWhileOthersWaitForThem(String jdk, String kind) {
        Set<String> holders = Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/waiting-holder." + kind + ".txt")).stream()
                .map(f -> f.threads().get(0)).collect(Collectors.toSet());
        Set<String> jcmd = Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/waiting-holder.arthas-jcmd.txt")).stream()
                .map(f -> f.threads().get(0)).collect(Collectors.toSet());
        assertEquals(2, jcmd.size(), jcmd.toString());
        assertEquals(jcmd, holders);
    }

    /** A session cut in a listing's frame line (a log that broke off): what came before is kept, and it says so. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aSessionCutShort(String jdk, @TempDir Path dir) throws IOException {
        String whole = Files.readString(Dumps.sample(jdk + "/monitor-deadlock.arthas.txt"));
        int cut = whole.indexOf("at app//Scenario.nested", whole.lastIndexOf("\"auditor\"")) + 10;
        Path damaged = Dumps.cutShort(whole.substring(0, cut).getBytes(StandardCharsets.UTF_8), dir,
                "\\d dumps; the last dump breaks off in its last line \\(\\d+\\): cut short, the last dump kept as far as it goes");
        List<Snapshot> dumps = Dumps.read(damaged);
        long cutLine = whole.substring(0, cut).lines().count();
        assertEquals(Dumps.read(Dumps.sample(jdk + "/monitor-deadlock.arthas.txt")).stream().filter(s -> s.at().position() < cutLine).count(),
                dumps.size());
        List<JvmThread> last = dumps.get(dumps.size() - 1).threads();
        assertEquals("auditor", last.get(last.size() - 1).name(), "the threads up to the one whose stack the cut ends");
    }

    /** The snapshot of the listing that follows the prompt of {@code command}. */
    private static Snapshot listingAfter(Path file, List<String> lines, List<Snapshot> dumps, String command) {
        // Arthas's client runs each command of -c through "| plaintext"
        int prompt = Dumps.lineStartingWith(lines, lines.stream().filter(l -> l.startsWith(FULL_LISTING) && l.contains("]$ " + command + " | "))
                .findFirst().orElseThrow(() -> new AssertionError(file + " has no prompt of " + command)));
        return dumps.stream().filter(s -> s.at().position() == prompt + 2).findFirst()
                .orElseThrow(() -> new AssertionError(file + ": no listing after line " + (prompt + 1)));
    }
}
