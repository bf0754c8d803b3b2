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
import io.lockscope.model.Snapshot;
import io.lockscope.model.Visibility;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Spring Boot actuator's thread dumps ({@code GET /actuator/threaddump}, text and JSON): the two in
 * the corpus, and ours, taken by {@code sample-dumps/capture.sh} from our scenarios running inside
 * a Spring Boot application (sample-dumps/actuator/) on JDK 17 and 25, each with a jcmd dump of
 * the same JVM taken right after.
 */
class ActuatorDumpTest {

    @Test
    void corpusTextDumpOfASpringBootAppWithAMonitorDeadlock() {
        Path file = Dumps.corpus("jstack/samurai-springboot-actuator-text-jdk17.txt");
        Snapshot s = Dumps.readWhole(file, InputFormat.ACTUATOR_TEXT);
        assertEquals(25, s.threads().size()); // grep -c '^"' file
        assertEquals("2021-09-15T19:58:48Z", s.time().orElseThrow().toString());
        assertEquals("OpenJDK 64-Bit Server VM 17+35-2724", s.jvm().vmVersion().orElseThrow());
        assertEquals(Visibility.SHOWN, s.monitorOwners());
        assertEquals(Visibility.SHOWN, s.synchronizerOwners());
        // frames as HotSpot names them: no "java.base@17/" or "app//" before the class
        JvmThread handler = Dumps.thread(s, "Reference Handler");
        assertEquals(2, handler.javaId().getAsLong()); // "Reference Handler" - Thread t@2
        assertEquals(3, handler.frames().size());
        assertEquals("java.lang.ref.Reference.waitForReferencePendingList", handler.frames().get(0).method());
        assertEquals("Native Method", handler.frames().get(0).location());
        // this Spring Boot printed "Finalizer" without " - Thread t@3": still a thread of its own
        JvmThread finalizer = Dumps.thread(s, "Finalizer");
        assertEquals("java.lang.Object.wait", finalizer.frames().get(0).method());
        assertEquals(LockAction.Kind.WAITING_ON, finalizer.frames().get(0).locks().get(0).kind());
        Finding f = Dumps.findings("deadlock", file).get(0);
        assertEquals(Set.of("deadLock1", "deadLock2"), Set.copyOf(f.threads()));
        assertTrue(f.title().startsWith("Deadlock among 2 threads on monitors"), f.title());
    }

    @Test
    void corpusJsonDumpSavedWithItsHttpHeadersGivesTheSameFindingsAsTheText() {
        Path json = Dumps.corpus("jcmd-json/samurai-springboot-actuator-json-with-http-headers.txt");
        Snapshot s = Dumps.readWhole(json, InputFormat.ACTUATOR_JSON);
        assertEquals(22, s.threads().size()); // the "threads" array; another moment of the same application
        assertEquals(findings(Dumps.corpus("jstack/samurai-springboot-actuator-text-jdk17.txt")), findings(json));
    }

    @ParameterizedTest
    @CsvSource({"jdk17,monitor-deadlock", "jdk17,reentrantlock-deadlock", "jdk17,dead-owner", "jdk17,healthy-busy",
        "jdk25,monitor-deadlock", "jdk25,reentrantlock-deadlock", "jdk25,dead-owner", "jdk25,healthy-busy"})
    void textJsonAndJcmdOfOneMomentTellTheSameStory(String jdk, String scenario) {
        Path text = Dumps.sample(jdk + "/" + scenario + ".actuator.txt");
        Path json = Dumps.sample(jdk + "/" + scenario + ".actuator.json");
        Path jcmd = Dumps.sample(jdk + "/" + scenario + ".actuator-jcmd.txt");
        Snapshot a = Dumps.readWhole(text, InputFormat.ACTUATOR_TEXT);
        Snapshot b = Dumps.readWhole(json, InputFormat.ACTUATOR_JSON);
        // the same threads, frames, waits and holds, locks named alike (identity hashes); but for the web
        // server's request threads (the two dumps are two requests, each served by one of them) and the
        // healthy application's workers, which move between the two, as a healthy application's do
        assertEquals(a.threads().size(), b.threads().size());
        for (JvmThread t : a.threads()) {
            if (t.name().startsWith("http-nio-") || (scenario.equals("healthy-busy") && t.name().startsWith("order-worker-"))) {
                continue;
            }
            JvmThread same = b.threads().stream().filter(x -> x.javaId().equals(t.javaId())).findFirst().orElseThrow();
            assertEquals(t.name(), same.name());
            assertEquals(t.state(), same.state(), t.name());
            assertEquals(t.alive(), same.alive(), t.name());
            assertEquals(t.frames().stream().map(Frame::text).toList(), same.frames().stream().map(Frame::text).toList(), t.name());
            assertEquals(Dumps.lockActions(t), Dumps.lockActions(same), t.name());
            assertEquals(t.ownedSynchronizers(), same.ownedSynchronizers(), t.name());
        }
        assertEquals(findings(text), findings(json));
        // jcmd's dump of the same JVM finds the same problems in the same code
        assertEquals(rulesAndFingerprints(jcmd), rulesAndFingerprints(text));
        if (scenario.equals("healthy-busy")) {
            assertTrue(findings(text).isEmpty(), findings(text).toString());
        }
    }

    /**
     * An application whose ObjectMapper names properties in snake_case, shared with the actuator
     * ({@code spring.jackson.property-naming-strategy=SNAKE_CASE},
     * {@code management.endpoints.jackson.isolated-object-mapper=false}): "thread_name",
     * "lock_owner_id", "stack_trace". Read as the actuator's usual names, it tells what jcmd's dump
     * of the same JVM tells (it was "JSON that is not a thread dump").
     */
    @EachSampleJdk
    void theActuatorsJsonUnderASnakeCaseMapperTellsWhatJcmdTells(String jdk) throws IOException {
        Path json = Dumps.sample(jdk + "/queued-deadlock.actuator-snake.json");
        String raw = Files.readString(json);
        assertTrue(raw.contains("\"thread_name\":") && raw.contains("\"lock_owner_id\":") && !raw.contains("\"threadName\""));
        Snapshot b = Dumps.readWhole(json, InputFormat.ACTUATOR_JSON);
        Snapshot a = Dumps.readOne(Dumps.sample(jdk + "/queued-deadlock.actuator-snake-jcmd.txt"));
        for (String name : List.of("report-runner", "ledger-writer", "journal-flusher", "audit-reader")) {
            JvmThread t = Dumps.thread(a, name);
            JvmThread same = Dumps.thread(b, name);
            assertEquals(t.javaId(), same.javaId(), name);
            assertEquals(t.state(), same.state(), name);
            assertEquals(t.frames().stream().map(Frame::method).toList(), same.frames().stream().map(Frame::method).toList(), name);
            assertEquals(t.ownedSynchronizers().map(List::size), same.ownedSynchronizers().map(List::size), name);
        }
        assertEquals(rulesAndFingerprints(Dumps.sample(jdk + "/queued-deadlock.actuator-snake-jcmd.txt")), rulesAndFingerprints(json));
        Finding f = Dumps.findings("deadlock", json).get(0);
        assertEquals(Set.of("ledger-writer", "journal-flusher", "report-runner", "audit-reader"), Set.copyOf(f.threads()));
    }

    @EachSampleJdk
    void aParkedThreadIsReadAsParkedThoughTheActuatorSaysWaitingToLock(String jdk) throws IOException {
        Path text = Dumps.sample(jdk + "/reentrantlock-deadlock.actuator.txt");
        List<String> at = Dumps.linesFrom(text, "\"transfer-a-to-b\" - Thread t@");
        assertTrue(at.get(1).endsWith("WAITING"), at.get(1));
        assertTrue(at.get(3).contains("- waiting to lock <") && at.get(3).contains("owned by \"transfer-b-to-a\""),
                at.get(3));
        JvmThread t = Dumps.thread(Dumps.readOne(text), "transfer-a-to-b");
        assertEquals(LockAction.Kind.PARKING, t.frames().get(0).locks().get(0).kind());
        assertEquals("java.util.concurrent.locks.ReentrantLock$NonfairSync", t.frames().get(0).locks().get(0).lock().className());
        Finding f = Dumps.findings("deadlock", text).get(0);
        assertTrue(f.title().startsWith("Deadlock among 2 threads on java.util.concurrent locks"), f.title());
    }

    @Test
    void objectWait0OnJdk25IsAWaitThoughTheActuatorSaysParking() throws IOException {
        Path text = Dumps.sample("jdk25/healthy-busy.actuator.txt");
        List<String> at = Dumps.linesFrom(text, "\"Finalizer\" - Thread t@");
        assertTrue(at.get(2).contains("java.lang.Object.wait0(Native Method)"), at.get(2));
        assertTrue(at.get(3).contains("- parking to wait for <"), at.get(3));
        for (Snapshot s : List.of(Dumps.readOne(text), Dumps.readOne(Dumps.sample("jdk25/healthy-busy.actuator.json")))) {
            JvmThread finalizer = Dumps.thread(s, "Finalizer");
            assertEquals(LockAction.Kind.WAITING_ON, finalizer.frames().get(0).locks().get(0).kind(), s.format());
        }
    }

    @ParameterizedTest
    @CsvSource({"jdk17,31,false", "jdk25,41,true"})
    void theActuatorNamesTheDeadOwnerOfALock(String jdk, long ownerId, boolean virtualThreadsPossible) throws IOException {
        Path text = Dumps.sample(jdk + "/dead-owner.actuator.txt");
        // the file: three writers parked on a lock "owned by" ingest-worker-1, a thread it does not list
        String content = Files.readString(text);
        assertTrue(content.contains("owned by \"ingest-worker-1\" t@" + ownerId), "owner named");
        assertFalse(content.contains("\"ingest-worker-1\" - Thread"), "and not listed");
        Snapshot s = Dumps.readOne(text);
        JvmThread owner = Dumps.thread(s, "ingest-worker-1");
        assertFalse(owner.alive());
        assertEquals(ownerId, owner.javaId().getAsLong());
        JvmThread writer = Dumps.thread(s, "batch-writer-1");
        assertEquals(List.of(writer.frames().get(0).locks().get(0).lock()), owner.ownedSynchronizers().orElseThrow());
        Finding f = Dumps.findings("orphaned-lock", text).get(0);
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.title().contains("held by dead thread ingest-worker-1 #" + ownerId + "; 3 threads wait"), f.title());
        assertTrue(f.threads().containsAll(List.of("ingest-worker-1", "batch-writer-1", "batch-writer-2", "batch-writer-3")));
        assertTrue(f.detail().contains("does not list that thread among its own"), f.detail());
        assertEquals(virtualThreadsPossible, f.detail().contains("could instead be a virtual thread"), f.detail());
        // jcmd's dump of the same JVM knows only that no live thread owns it
        Finding jcmd = Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/dead-owner.actuator-jcmd.txt")).get(0);
        assertTrue(jcmd.title().contains("has no live owner"), jcmd.title());
    }

    /**
     * Spring Boot 1.x's actuator ({@code GET /dump}, Boot 1.5 in {@code sample-dumps/actuator-boot1/})
     * writes the same ThreadInfo objects as a bare array, without Boot 2's {@code {"threads": [...]}}
     * (it was "not read"). Read so, it tells what jcmd's dump of the same JVM tells: the scenario's
     * threads in the same states with the same frames, the same deadlock in the same code, and the
     * dead owner of the writers' lock by name.
     */
    @ParameterizedTest
    @CsvSource({"jdk17,monitor-deadlock", "jdk25,monitor-deadlock", "jdk17,dead-owner", "jdk25,dead-owner"})
    void bootOnesDumpIsABareArrayOfTheSameThreads(String jdk, String scenario) throws IOException {
        Path json = Dumps.sample(jdk + "/" + scenario + ".boot1-dump.json");
        assertTrue(Files.readString(json).startsWith("[{\"threadName\":"));
        Snapshot b = Dumps.readWhole(json, InputFormat.ACTUATOR_JSON);
        Path jcmd = Dumps.sample(jdk + "/" + scenario + ".boot1-jcmd.txt");
        Snapshot a = Dumps.readOne(jcmd);
        List<String> names = scenario.equals("monitor-deadlock") ? List.of("stocker", "auditor", "closer")
                : List.of("batch-writer-1", "batch-writer-2", "batch-writer-3");
        for (String name : names) {
            JvmThread t = Dumps.thread(a, name);
            JvmThread same = Dumps.thread(b, name);
            assertEquals(t.javaId(), same.javaId(), name);
            assertEquals(t.state(), same.state(), name);
            assertEquals(t.frames().stream().map(Frame::method).toList(), same.frames().stream().map(Frame::method).toList(), name);
        }
        if (scenario.equals("monitor-deadlock")) {
            assertEquals(rulesAndFingerprints(jcmd), rulesAndFingerprints(json));
            assertEquals(Set.of("stocker", "auditor", "closer"), Set.copyOf(Dumps.findings("deadlock", json).get(0).threads()));
        } else {
            Finding f = Dumps.findings("orphaned-lock", json).get(0);
            assertEquals(Severity.ERROR, f.severity());
            assertTrue(f.title().contains(" held by dead thread ingest-worker-1 #"), f.title());
            assertTrue(Dumps.findings("orphaned-lock", jcmd).get(0).title().contains("has no live owner"));
        }
    }

    private static Set<String> findings(Path file) {
        return Dumps.findingSummaries(Dumps.analyze(file));
    }

    private static Set<String> rulesAndFingerprints(Path file) {
        return Dumps.analyze(file).outcome().findings().stream().map(f -> f.rule() + " " + f.fingerprint()).collect(Collectors.toSet());
    }
}
