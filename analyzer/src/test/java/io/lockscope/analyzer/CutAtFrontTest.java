package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.engine.Finding;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A HotSpot dump whose start is missing: a console log rotated by size in the middle of a dump,
 * {@code tail -n 2000 catalina.out}, a paste that missed the top. The text begins inside a
 * thread's stack, the threads before the cut are gone, and a lock whose owner was among them
 * looked ownerless: the old reader called a live owner's ReentrantLock "has no live owner", an
 * error. Each file here is a real dump cut so, the cut being the point.
 */
class CutAtFrontTest {

    @TempDir
    Path dir;

    /** The file's lines from the first line of the given thread's stack after its header: the header and all above it cut off. */
    private Path cutInside(Path dump, String thread, String name) throws IOException {
        List<String> lines = Files.readAllLines(dump, StandardCharsets.UTF_8);
        int header = Dumps.lineStartingWith(lines, "\"" + thread + "\"");
        return Files.write(dir.resolve(name), lines.subList(header + 2, lines.size()), StandardCharsets.UTF_8);
    }

    private static final String MESSAGE = "1 dump; the text begins inside a dump (line 1 is a line of a stack, with no \"Full thread dump\""
            + " line above it): the threads before it are missing, so a lock whose owner it does not list is not taken as ownerless";

    /**
     * The ReentrantLock ring, cut inside the stack of the first thread of the ring: the second
     * waits for a lock the first holds, and the first is gone. No orphaned lock; the ring HotSpot
     * reported at the end of the dump is still found.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jdk17", "jdk25"})
    void aLiveOwnerCutOffIsNotCalledDead(String jdk) throws IOException {
        Path whole = Dumps.sample(jdk + "/reentrantlock-deadlock.txt");
        Path cut = cutInside(whole, "transfer-a-to-b", "catalina.out");

        InputReport input = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, input.status(), input.message());
        assertEquals(MESSAGE, input.message());
        Snapshot s = Dumps.readOne(cut);
        assertFalse(s.threads().stream().anyMatch(t -> t.name().equals("transfer-a-to-b")), "the cut took its header");
        assertFalse(s.synchronizerOwners().shown(), "a listing that misses threads does not show every owner");
        assertEquals(List.of(), Dumps.findings("orphaned-lock", cut).stream().map(Finding::title).toList());
        Finding ring = Dumps.onlyDeadlock(cut);
        assertEquals(Set.of("transfer-a-to-b", "transfer-b-to-a"), Set.copyOf(ring.threads()));
    }

    /**
     * The same ring as an application logs it (ThreadInfo.toString()), cut inside the first
     * thread's stack. ThreadInfo names a lock's owner, and an owner the dump does not list is taken
     * to have ended holding it; in a dump cut at the front it may only have been cut off. The old
     * reader said "held by dead thread transfer-a-to-b #12".
     */
    @Test
    void anOwnerThatThreadInfoNamesAndTheCutTookIsNotCalledDead() throws IOException {
        Path cut = cutInside(Dumps.sample("jdk17/reentrantlock-deadlock.threadinfo.txt"), "transfer-a-to-b", "app.log");
        InputReport input = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, input.status(), input.message());
        assertEquals(MESSAGE, input.message());
        assertEquals(List.of(), Dumps.findings("orphaned-lock", cut).stream().map(Finding::title).toList());
    }

    /** Cut inside the stack of the thread that holds the monitor twelve wait for: its owner is not shown, not guessed. */
    @Test
    void aMonitorsOwnerCutOff() throws IOException {
        Path cut = cutInside(Dumps.sample("jdk17/contention.txt"), "session-sweeper", "console.log");
        InputReport input = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, input.status(), input.message());
        Finding hotspot = Dumps.only(Dumps.findings("contention-hotspot", cut));
        assertTrue(hotspot.title().endsWith("whose owner the dump does not show"), hotspot.title());
        assertFalse(hotspot.threads().contains("session-sweeper"), hotspot.threads().toString());
    }

    /**
     * A log rotated by size in the middle of one dump, then a whole dump after it: the first begins
     * inside a stack and shows no owners of its locks; the second, with its "Full thread dump"
     * line, is read as a whole dump is.
     */
    @Test
    void aWholeDumpAfterTheCutOneIsReadWhole() throws IOException {
        Path first = cutInside(Dumps.sample("jdk17/busy-holder-1.txt"), "main", "first.txt");
        List<String> lines = new ArrayList<>(Files.readAllLines(first, StandardCharsets.UTF_8));
        lines.addAll(Files.readAllLines(Dumps.sample("jdk17/busy-holder-2.txt"), StandardCharsets.UTF_8));
        Path log = Files.write(dir.resolve("console.log"), lines, StandardCharsets.UTF_8);

        InputReport input = Dumps.report(log);
        assertEquals(InputStatus.PARTIAL, input.status(), input.message());
        assertTrue(input.message().startsWith("2 dumps; the text begins inside a dump (line 1 is a line of a stack"), input.message());
        List<Snapshot> dumps = Dumps.read(log);
        assertFalse(dumps.get(0).synchronizerOwners().shown());
        assertTrue(dumps.get(1).synchronizerOwners().shown());
        assertEquals(Dumps.readOne(Dumps.sample("jdk17/busy-holder-2.txt")).threads().size(), dumps.get(1).threads().size());
    }
}
