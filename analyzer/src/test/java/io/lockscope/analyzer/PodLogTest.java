package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The thread dump a JVM prints on kill -3 goes to its standard output: in a container, to its log.
 * A pod's node keeps every line behind the runtime's prefix ("2026-12-07T15:14:30.003461Z stdout
 * F "), Docker's json-file driver each line in a JSON object ({"log":"...\n",...}).
 * {@code queued-deadlock.pod.log} and {@code .docker-json.log} are the two logs of one run of our
 * scenario (capture.sh's run_pod); the dump in them must read as the dump it is.
 */
class PodLogTest {

    @ParameterizedTest(name = "{0}/queued-deadlock.{1}")
    @CsvSource(delimiter = '|', value = {
        "jdk17 | pod.log         | 1 dump; read past a log's prefix on each line \\(\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z stdout F\"\\)",
        "jdk25 | pod.log         | 1 dump; read past a log's prefix on each line \\(\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z stdout F\"\\)",
        "jdk17 | docker-json.log | 1 dump; Docker's json-file log, read from its \"log\" fields",
        "jdk25 | docker-json.log | 1 dump; Docker's json-file log, read from its \"log\" fields"})
    void theDumpInAContainersLogReadsAsTheDumpItIs(String jdk, String kind, String message) {
        Path log = Dumps.sample(jdk + "/queued-deadlock." + kind);
        Dumps.readWholeAs(log, message);
        Snapshot s = Dumps.readOne(log);
        assertTrue(s.time().isPresent(), "the time HotSpot prints above the dump, behind its prefix too");
        assertEquals(1, s.reportedDeadlocks().size());
        // the stacks are those of a jcmd dump of the same scenario, frame for frame and lock line for lock line
        Snapshot jcmd = Dumps.readOne(Dumps.sample(jdk + "/queued-deadlock.nolocks.txt"));
        for (String name : List.of("report-runner", "ledger-writer", "journal-flusher", "audit-reader", "main")) {
            assertEquals(thread(jcmd, name).state(), thread(s, name).state(), name);
            assertEquals(frames(thread(jcmd, name)), frames(thread(s, name)), name);
        }
        Finding f = Dumps.onlyDeadlock(log);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(Set.of("ledger-writer", "journal-flusher", "report-runner", "audit-reader"), Set.copyOf(f.threads()));
        assertEquals(Dumps.onlyDeadlock(Dumps.sample(jdk + "/queued-deadlock.nolocks.txt")).title(), f.title());
    }

    /**
     * Docker's log whose first entry is damaged (a byte of the disk's garbage where "READY" was: no
     * longer JSON). It once sent format detection looking into the same text again and again until
     * the stack overflowed. The damaged line is kept as it is, and the dump after it still reads.
     * (The byte is a control character; a NUL would be passed over, as RotatedLogTest shows.)
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aDockerLogWhoseFirstEntryIsDamaged(String jdk, @TempDir Path dir) throws IOException {
        byte[] log = Files.readAllBytes(Dumps.sample(jdk + "/queued-deadlock.docker-json.log"));
        int ready = new String(log, StandardCharsets.ISO_8859_1).indexOf("READY");
        log[ready] = 1;
        Path damaged = dir.resolve("container-json.log");
        Files.write(damaged, log);
        InputReport input = Dumps.report(damaged);
        assertEquals(InputStatus.READ, input.status(), input.message());
        assertEquals("1 dump; Docker's json-file log, read from its \"log\" fields", input.message());
        assertEquals(Dumps.onlyDeadlock(Dumps.sample(jdk + "/queued-deadlock.docker-json.log")).title(),
                Dumps.onlyDeadlock(damaged).title());
    }

    /** Each frame's method and how many lock lines it has; a lambda's hidden class is at another address in each run. */
    private static List<String> frames(JvmThread t) {
        return t.frames().stream().map(f -> f.method().replaceAll("/0x[0-9a-f]+", "") + " " + f.locks().size()).toList();
    }

    private static JvmThread thread(Snapshot s, String name) {
        List<JvmThread> found = s.threads().stream().filter(t -> t.name().equals(name)).collect(Collectors.toList());
        assertEquals(1, found.size(), s.label() + ": " + name);
        return found.get(0);
    }
}
