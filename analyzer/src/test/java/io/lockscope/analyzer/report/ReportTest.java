package io.lockscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.analyzer.Analysis;
import io.lockscope.analyzer.Dumps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON contract of DESIGN.md, and an HTML report that shows everything and runs nothing from a dump. */
class ReportTest {

    @TempDir
    Path out;

    private static ObjectNode report(Path... inputs) {
        Analysis.Result r = Dumps.analyze(inputs);
        return ReportModel.build(r, "test");
    }

    @Test
    void aJstackDashFDumpSaysWhatItCannotShowAndWhatToTakeInstead() {
        String blind = blindSpots(Dumps.corpus("jstack/binaryfoo-jdk8u60-jstack-F-forced-sbt.txt"), "jstack-f");
        assertTrue(blind.contains("jstack -F of JDK 5 to 8 names threads only by their OS thread id"), blind);
        assertTrue(blind.contains("jhsdb jstack --locks --pid <pid>"), blind);
        assertTrue(blind.contains("No dump shows monitor owners"), blind);
    }

    @Test
    void anActuatorDumpSaysItIsNeverJoinedWithTheOtherDumpsOfItsJvm() {
        String blind = blindSpots(Dumps.sample("jdk17/dead-owner.actuator.json"), "actuator-json");
        assertTrue(blind.contains("carries no pid and no JavaThread addresses"), blind);
    }

    @Test
    void aDeadOwnerIsDrawnAsAThreadThatHasEnded() {
        ObjectNode report = report(Dumps.sample("jdk25/dead-owner.actuator.txt"));
        String nodes = report.path("jvms").get(0).path("graph").path("nodes").toString();
        assertTrue(nodes.contains("\"kind\":\"thread dead\"") && nodes.contains("\"label\":\"ingest-worker-1 (ended)\""), nodes);
        assertTrue(!nodes.contains("\"ghost\""), "the owner is known, so no ghost: " + nodes);
    }

    @Test
    void aThreadInfoDumpSaysItsStacksStopAtEightFrames() {
        String blind = blindSpots(Dumps.sample("jdk17/deep-holder.threadinfo.txt"), "threadinfo");
        assertTrue(blind.contains("prints eight frames of each thread"), blind);
    }

    /** What the report says it cannot see in the JVM of one file, which must be read as this format. */
    private static String blindSpots(Path file, String format) {
        ObjectNode report = report(file);
        assertEquals(format, report.path("inputs").get(0).path("format").asText());
        return report.path("jvms").get(0).path("blindSpots").toString();
    }

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        ObjectNode report = report(Dumps.sample("jdk25/mixed-deadlock.txt"), Dumps.sample("jdk25/mixed-deadlock.json"),
                Dumps.samples().resolve("scenarios/Scenario.java"));
        JsonWriterRoundTrip.write(report, out.resolve("r.json"));
        JsonNode n = new ObjectMapper().readTree(out.resolve("r.json").toFile());
        assertEquals("lockscope", n.path("tool").asText());
        assertEquals(1, n.path("schemaVersion").asInt());
        for (JsonNode in : n.path("inputs")) {
            for (String k : List.of("path", "format", "status", "message")) {
                assertTrue(in.has(k), k);
            }
            assertTrue(Set.of("read", "partial", "skipped", "failed").contains(in.path("status").asText()));
        }
        assertEquals(Set.of("read", "skipped"), statuses(n));
        assertEquals(1, n.path("jvms").size(), "text and JSON of one process are one JVM");
        JsonNode f = n.path("findings").get(0);
        for (String k : List.of("id", "rule", "severity", "title", "jvm", "threads", "locks", "evidence", "hint")) {
            assertTrue(f.has(k), k);
        }
        assertEquals("deadlock", f.path("rule").asText());
        assertEquals("error", f.path("severity").asText());
        Set<String> threads = new HashSet<>();
        f.path("threads").forEach(t -> threads.add(t.asText()));
        assertEquals(Set.of("cache-loader", "cache-evictor"), threads);
        assertTrue(f.path("locks").get(0).has("class"));
        JsonNode e = f.path("evidence").get(0);
        assertTrue(e.path("line").asLong() > 0);
        assertTrue(e.path("file").asText().endsWith("mixed-deadlock.txt") || e.path("file").asText().endsWith("mixed-deadlock.json"));
    }

    private static Set<String> statuses(JsonNode n) {
        Set<String> s = new HashSet<>();
        n.path("inputs").forEach(i -> s.add(i.path("status").asText()));
        return s;
    }

    /** The HTML report of these inputs, as written to a file. */
    private String html(Path... inputs) throws java.io.IOException {
        Path html = out.resolve("r.html");
        new HtmlReportWriter(Optional.empty()).write(report(inputs), html);
        return Files.readString(html);
    }

    @Test
    void htmlEscapesHostileThreadNamesFromARealDump() throws Exception {
        String page = html(Dumps.sample("jdk17/hostile-names.txt"), Dumps.sample("jdk25/hostile-names.json"));
        assertFalse(page.contains("<img src=x"), "a thread name became markup");
        assertFalse(page.contains("<script>alert"), "a thread name became a script");
        assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;"), "the name shows as text");
        assertTrue(page.contains("&lt;script&gt;alert(&#39;lockscope&#39;)&lt;/script&gt;"), "the name shows as text");
        assertTrue(page.contains("Deadlock among 2 threads"), "the verdict is there");
    }

    @Test
    void htmlShowsVerdictFindingsAndInputs() throws Exception {
        String page = html(Dumps.sample("jdk17/monitor-deadlock.txt"), Dumps.sample("jdk17/healthy-busy.txt"));
        assertTrue(page.contains("Deadlock among 3 threads on monitors: stocker → auditor → closer → stocker"));
        assertTrue(page.contains("No lock problems found in 1 dump"));
        assertTrue(page.contains("monitor-deadlock.txt"));
        assertTrue(page.contains("How to fix"));
        assertFalse(page.contains("http://") || page.contains("https://"), "self-contained: no links out");
    }

    @Test
    void templatesCanBeOverriddenFromAFolder() throws Exception {
        Path templates = Files.createDirectories(out.resolve("templates"));
        Files.writeString(templates.resolve("report.ftlh"), "<p>${report.findings?size} findings: ${report.findings[0].threads[0]}</p>");
        Path html = out.resolve("r.html");
        new HtmlReportWriter(Optional.of(templates)).write(report(Dumps.sample("jdk17/hostile-names.txt")), html);
        assertEquals("<p>1 findings: &lt;img src=x onerror=alert(1)&gt;</p>", Files.readString(html));
    }

    /** Writes through the production writer. */
    static final class JsonWriterRoundTrip {
        static void write(ObjectNode report, Path file) throws Exception {
            JsonReportWriter.write(report, file);
        }
    }

    @org.junit.jupiter.api.Test
    void theGraphOfALikelyDeadlockDrawsTheOwnersTheDumpDoesNotShow() {
        // no -l: the ReentrantLock's and the read lock's holders are the guessed links of the ring
        com.fasterxml.jackson.databind.JsonNode graph = report(Dumps.sample("jdk17/three-kinds.nolocks.txt")).path("jvms").get(0).path("graph");
        java.util.Map<String, String> labels = new java.util.HashMap<>();
        graph.path("nodes").forEach(n -> labels.put(n.path("id").asText(), n.path("label").asText()));
        java.util.Set<String> likely = new java.util.TreeSet<>();
        graph.path("edges").forEach(e -> {
            if (e.path("kind").asText().equals("hold likely")) {
                likely.add(labels.get(e.path("from").asText()) + " -> " + labels.get(e.path("to").asText()));
            }
        });
        assertEquals(java.util.Set.of("ReentrantLock$NonfairSync -> pricing", "ReentrantReadWriteLock$Non… -> booking"), likely);
        assertTrue(labels.values().stream().noneMatch(l -> l.equals("owner not shown")), labels.toString());
    }
}
