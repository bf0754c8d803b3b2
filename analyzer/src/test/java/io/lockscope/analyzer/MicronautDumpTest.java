package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.engine.Finding;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Micronaut's thread dump, {@code GET /threaddump} of micronaut-management: ThreadInfo as a bare
 * JSON array, as Spring Boot 1.x's, but written by Micronaut's serializer, which leaves empty arrays
 * out and writes each locked monitor as a LockInfo, without the frame it was taken in. Read as the
 * actuator's JSON was, those monitors were lost, and a monitor deadlock went unseen. capture.sh's
 * run_micronaut runs a scenario in a Micronaut 4 application, fetches the dump, and takes jcmd's of
 * the same JVM ({@code .micronaut-jcmd.txt}).
 */
class MicronautDumpTest {

    private static final List<String> SCENARIOS = List.of("monitor-deadlock", "reentrantlock-deadlock", "dead-owner", "healthy-busy",
            "waiting-holder");

    /** The scenario's threads as jcmd's dump of the same JVM shows them: states, frames, and as many locks held and waited for. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void theThreadsAreJcmdsThreads(String jdk) {
        for (String scenario : SCENARIOS) {
            Path file = Dumps.sample(jdk + "/" + scenario + ".micronaut-threaddump.json");
            assertEquals(InputFormat.ACTUATOR_JSON, Dumps.readWholeAs(file, "1 dump").format());
            if (scenario.equals("healthy-busy")) {
                continue; // its threads run on between one dump and the next
            }
            Dumps.sameScenarioThreads(Dumps.readOne(Dumps.sample(jdk + "/" + scenario + ".micronaut-jcmd.txt")), Dumps.readOne(file), true);
        }
    }

    /**
     * The monitors each deadlocked thread holds: in the file with no frame of their own ("lockedStackDepth"
     * is not written), read as held in a frame the dump does not name, below the stack; so the ring is
     * found as in jcmd's dump (DeadlockInEveryRenderingTest).
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void monitorsWithoutTheirFrameAreHeld(String jdk) throws IOException {
        Path file = Dumps.sample(jdk + "/monitor-deadlock.micronaut-threaddump.json");
        assertTrue(Files.readString(file).contains("\"lockedMonitors\":[{\"className\":\"Scenario$"));
        assertFalse(Files.readString(file).contains("lockedStackDepth"));
        JvmThread stocker = Dumps.thread(Dumps.readOne(file), "stocker");
        Frame last = stocker.frames().get(stocker.frames().size() - 1);
        assertEquals("...", last.method());
        assertEquals(List.of(LockAction.Kind.LOCKED), last.locks().stream().map(LockAction::kind).toList());
    }

    /**
     * A thread waiting on a latch while holding a ReentrantLock, one waiting on a monitor while holding
     * another, which this dump shows in no frame: both found, as in jcmd's dump.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void holdersThatWaitWhileOthersWaitForThem(String jdk) {
        Set<String> holders = Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/waiting-holder.micronaut-threaddump.json"))
                .stream().map(f -> f.threads().get(0)).collect(Collectors.toSet());
        Set<String> jcmd = Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/waiting-holder.micronaut-jcmd.txt")).stream()
                .map(f -> f.threads().get(0)).collect(Collectors.toSet());
        assertEquals(Set.of("cache-refresher", "settings-loader"), jcmd);
        assertEquals(jcmd, holders);
    }

    /**
     * The healthy application, with Micronaut's own event loops and pools: threads that wait for
     * locks, none holding what it waits for, every thread's synchronizers known (none, where the
     * serializer left the empty array out), and nothing found.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aHealthyApplicationShowsNothingWrong(String jdk) {
        Path file = Dumps.sample(jdk + "/healthy-busy.micronaut-threaddump.json");
        Snapshot s = Dumps.readOne(file);
        assertTrue(s.threads().stream().filter(t -> !Dumps.waitedFor(t).isEmpty()).count() >= 5);
        for (JvmThread t : s.threads()) {
            assertTrue(t.ownedSynchronizers().isPresent(), t.name());
            Set<String> held = Dumps.held(t);
            Dumps.waitedFor(t).forEach(lock -> assertFalse(held.contains(lock), t.name() + " holds the lock it waits for"));
        }
        assertEquals(List.of(), Dumps.analyze(file).outcome().findings().stream().map(Finding::title).toList());
    }
}
