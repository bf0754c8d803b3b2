package io.lockscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.Error;
import io.lockscope.analyzer.Dumps;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SARIF output, validated against the SARIF 2.1.0 schema. */
class SarifTest {

    @TempDir
    Path out;

    private static Schema schema() throws Exception {
        try (InputStream in = SarifTest.class.getResourceAsStream("/schema/sarif-schema-2.1.0.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
        }
    }

    private JsonNode sarifOf(Path... inputs) throws Exception {
        Path file = out.resolve("r.sarif");
        SarifWriter.write(ReportModel.build(Dumps.analyze(inputs), "0.1.0-test"), file);
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void validAgainstTheSchemaForEverySampleDump() throws Exception {
        JsonNode sarif = sarifOf(Dumps.samples());
        List<Error> errors = schema().validate(sarif);
        assertTrue(errors.isEmpty(), () -> "schema errors: " + errors);
        assertEquals("2.1.0", sarif.path("version").asText());
        JsonNode run = sarif.path("runs").get(0);
        assertEquals(9, run.path("tool").path("driver").path("rules").size());
        assertTrue(run.path("results").size() > 10);
        // the inputs that were not read are notifications of the run
        assertTrue(run.path("invocations").get(0).path("toolExecutionNotifications").size() >= 2);
    }

    @Test
    void aDeadlockPointsAtTheSourceFrameAndTheDumpLine() throws Exception {
        // where the dump says stocker waits: the frame's source line, and the dump's own line of it
        java.util.List<String> lines = java.nio.file.Files.readAllLines(Dumps.sample("jdk17/monitor-deadlock.txt"));
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("\"stocker\" #")).findFirst().orElseThrow());
        String frame = lines.get(header + 2).strip();
        int sourceLine = Integer.parseInt(frame.replaceAll(".*Scenario\\.java:(\\d+)\\)$", "$1"));
        int dumpLine = header + 4; // the "- waiting to lock" line, 1-based
        JsonNode run = sarifOf(Dumps.sample("jdk17/monitor-deadlock.txt")).path("runs").get(0);
        assertEquals(1, run.path("results").size());
        JsonNode r = run.path("results").get(0);
        assertEquals("deadlock", r.path("ruleId").asText());
        assertEquals("error", r.path("level").asText());
        assertTrue(r.path("message").path("text").asText().startsWith("Deadlock among 3 threads"));
        JsonNode first = r.path("locations").get(0).path("physicalLocation");
        assertEquals("Scenario.java", first.path("artifactLocation").path("uri").asText());
        assertEquals("SRCROOT", first.path("artifactLocation").path("uriBaseId").asText());
        assertEquals(sourceLine, first.path("region").path("startLine").asInt());
        boolean atDumpLine = false;
        for (JsonNode loc : r.path("locations")) {
            JsonNode p = loc.path("physicalLocation");
            if (p.path("artifactLocation").path("uri").asText().endsWith("monitor-deadlock.txt") && p.path("region").path("startLine").asInt() == dumpLine) {
                atDumpLine = true;
            }
        }
        assertTrue(atDumpLine, "points at the dump line where stocker waits");
        JsonNode rule = run.path("tool").path("driver").path("rules").get(r.path("ruleIndex").asInt());
        assertEquals("deadlock", rule.path("id").asText());
        assertTrue(rule.path("help").path("markdown").asText().startsWith("# deadlock"));
    }

    @Test
    void hostileNamesStayDataInSarifToo() throws Exception {
        JsonNode sarif = sarifOf(Dumps.sample("jdk17/hostile-names.txt"));
        assertTrue(schema().validate(sarif).isEmpty());
        String text = sarif.path("runs").get(0).path("results").get(0).path("message").path("text").asText();
        assertTrue(text.contains("<img src=x onerror=alert(1)>"), "kept as text, for the viewer to escape: " + text);
    }

    @Test
    void everyLocationHasARegionAndEveryRuleANameOtherThanItsId() throws Exception {
        // what Microsoft's SARIF multitool asks (SARIF2017, SARIF1001): heap dumps and recordings have no lines
        JsonNode run = sarifOf(Dumps.sample("jdk17/swapped-busy.hprof.gz"), Dumps.sample("jdk17/swapped-field.jfr"),
                Dumps.sample("jdk17/monitor-deadlock.txt")).path("runs").get(0);
        for (JsonNode rule : run.path("tool").path("driver").path("rules")) {
            assertTrue(!rule.path("name").asText().equalsIgnoreCase(rule.path("id").asText()), rule.toString());
        }
        int binary = 0;
        for (JsonNode r : run.path("results")) {
            for (JsonNode loc : r.path("locations")) {
                JsonNode region = loc.path("physicalLocation").path("region");
                assertTrue(region.isObject(), loc.toString());
                if (region.has("byteOffset")) {
                    binary++;
                    assertTrue(region.path("byteLength").asLong() > 0, "the whole file: " + loc);
                }
            }
        }
        assertTrue(binary > 0, "the heap dump and the recording are located by bytes");
    }
}
