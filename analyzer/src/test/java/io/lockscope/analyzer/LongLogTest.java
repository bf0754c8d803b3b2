package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lockscope.analyzer.report.ReportModel;
import io.lockscope.engine.Finding;
import io.lockscope.engine.RuleEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console log of many dumps is analyzed in memory and into reports whose size do not grow with
 * it: threads kept on disk and read back give the very same report; a problem seen in every dump
 * is one finding with the evidence of a few dumps and the count of all; the lock history merges
 * runs of like dumps and shows at most its first and last columns; the JVM's dump list shows its
 * first and last hundred. The logs are real dumps of our scenarios, appended as a JVM's console
 * collects them.
 */
class LongLogTest {

    @TempDir
    Path dir;

    private Path log(String name, int times, String... samples) throws IOException {
        Path log = dir.resolve(name);
        for (int i = 0; i < times; i++) {
            for (String s : samples) {
                Files.write(log, Files.readAllBytes(Dumps.sample(s)), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
        return log;
    }

    private static Analysis.Result analyze(Path p, int spillThreshold) {
        return Analysis.withBuiltInRules().withSpillThreshold(spillThreshold).run(List.of(p), p.getParent(), Analysis.Progress.NONE);
    }

    @Test
    void threadsKeptOnDiskGiveTheSameReportAsThreadsKeptInMemory() throws IOException {
        // every sample dump: the threads of each go through the spill file and back
        Analysis.Result inMemory = Analysis.withBuiltInRules().withSpillThreshold(Integer.MAX_VALUE)
                .run(List.of(Dumps.samples()), Dumps.samples(), Analysis.Progress.NONE);
        Analysis.Result onDisk = Analysis.withBuiltInRules().withSpillThreshold(0)
                .run(List.of(Dumps.samples()), Dumps.samples(), Analysis.Progress.NONE);
        assertTrue(onDisk.jvms().stream().flatMap(j -> j.snapshots().stream())
                .anyMatch(s -> s.threads() instanceof io.lockscope.model.Stored), "some snapshots were spilled");
        assertEquals(ReportModel.build(inMemory, "test").toPrettyString(), ReportModel.build(onDisk, "test").toPrettyString());
        List<io.lockscope.model.JvmThread> kept = inMemory.jvms().stream().flatMap(j -> j.snapshots().stream())
                .flatMap(s -> s.threads().stream()).toList();
        List<io.lockscope.model.JvmThread> readBack = onDisk.jvms().stream().flatMap(j -> j.snapshots().stream())
                .flatMap(s -> s.threads().stream()).toList();
        assertEquals(kept, readBack, "every field of every thread comes back from the spill file");
        assertTrue(readBack.stream().anyMatch(t -> t.cpuMicros().isPresent()), "CPU times among them");
        // a frame with no lock line comes back as one object wherever it stands, as the reader shares it
        List<io.lockscope.model.Frame> plain = onDisk.jvms().stream().flatMap(j -> j.snapshots().stream())
                .filter(s -> s.threads() instanceof io.lockscope.model.Stored).flatMap(s -> s.threads().stream())
                .flatMap(t -> t.frames().stream()).filter(f -> f.locks().isEmpty()).toList();
        Set<io.lockscope.model.Frame> objects = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        objects.addAll(plain);
        assertTrue(plain.size() > 2 * objects.size(), plain.size() + " frames, " + objects.size() + " objects");
        assertEquals(new HashSet<>(plain).size(), objects.size(), "one object for each frame");
    }

    @Test
    void aProblemInEveryDumpIsOneFindingWithTheEvidenceOfAFewDumps() throws IOException {
        Path log = log("console.log", 40, "jdk17/sleep-holding-1.txt");
        Analysis.Result r = analyze(log, 0);
        List<Finding> f = r.outcome().findings().stream().filter(x -> x.rule().equals("blocking-while-holding")).toList();
        assertEquals(1, f.size(), f.toString());
        assertEquals(40, f.get(0).dumps());
        Set<String> withEvidence = new HashSet<>();
        f.get(0).evidence().forEach(e -> withEvidence.add(e.snapshot()));
        assertEquals(RuleEngine.MAX_EVIDENCE_DUMPS, withEvidence.size(), withEvidence.toString());
        assertTrue(withEvidence.contains("console.log#1") && withEvidence.contains("console.log#40"), withEvidence.toString());
        JsonNode finding = ReportModel.build(r, "test").path("findings").get(0);
        assertEquals(40, finding.path("dumps").asInt());
    }

    @Test
    void theLockHistoryMergesLikeDumpsAndStaysBounded() throws IOException {
        // the same lock state forty times: one column
        JsonNode same = jvm(ReportModel.build(analyze(log("same.log", 40, "jdk17/contention.txt"), 0), "test"));
        assertEquals(List.of("same.log#1 … #40 (40 dumps)"), texts(same.path("lockHistory").path("snapshots")));
    }

    @Test
    void aJvmOfManyDumpsListsItsFirstAndLastHundred() throws IOException {
        // the two phases of one JVM, 150 times each, one after the other: each copy keeps the time jcmd printed above it,
        // so in time the first phase's 150 (the odd dumps) come before the second's (the even ones)
        JsonNode turns = jvm(ReportModel.build(analyze(log("turns.log", 150, "jdk17/lock-order-1.txt", "jdk17/lock-order-2.txt"), 0), "test"));
        assertEquals(200, turns.path("snapshots").size());
        assertEquals(100, turns.path("snapshotsNotListed").asInt());
        assertEquals("turns.log#1", turns.path("snapshots").get(0).path("label").asText());
        assertEquals("turns.log#199", turns.path("snapshots").get(99).path("label").asText());
        assertEquals("turns.log#102", turns.path("snapshots").get(100).path("label").asText());
        assertEquals("turns.log#300", turns.path("snapshots").get(199).path("label").asText());
    }

    private static JsonNode jvm(JsonNode report) {
        assertEquals(1, report.path("jvms").size(), report.path("jvms").toString());
        return report.path("jvms").get(0);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
