package io.lockscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.Error;
import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.input.InputFormat;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * lockscope-report.json against docs/lockscope-report.schema.json, the contract CI jobs read: the
 * report of every sample dump and of the corpus's thread dumps and recordings, written to a file
 * by the production writer and read back.
 */
class ReportSchemaTest {

    @TempDir
    Path out;

    private static Schema schema() throws Exception {
        Path file = Dumps.samples().getParent().resolve("docs/lockscope-report.schema.json");
        try (InputStream in = Files.newInputStream(file)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(in);
        }
    }

    static Stream<Path> inputs() {
        return Stream.of(Dumps.samples(), Dumps.corpus("jstack"), Dumps.corpus("jcmd-json"), Dumps.corpus("logs"), Dumps.corpus("jfr"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void theReportHasTheShapeTheSchemaDescribes(Path input) throws Exception {
        ObjectNode report = ReportModel.build(Dumps.analyze(input), "test");
        Path file = out.resolve("lockscope-report.json");
        JsonReportWriter.write(report, file);
        JsonNode written = new ObjectMapper().readTree(file.toFile());
        List<Error> errors = schema().validate(written);
        assertTrue(errors.isEmpty(), errors.stream().limit(10).map(Error::getMessage).toList().toString());
    }

    @Test
    void aReportThatBreaksTheContractDoesNotValidate() throws Exception {
        ObjectNode report = ReportModel.build(Dumps.analyze(Dumps.sample("jdk17/monitor-deadlock.txt")), "test");
        ObjectNode finding = (ObjectNode) report.path("findings").get(0);
        finding.put("severity", "fatal");
        finding.remove("fingerprint");
        Set<String> errors = schema().validate(report).stream().map(Error::toString).collect(Collectors.toSet());
        assertTrue(errors.stream().anyMatch(e -> e.contains("severity")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("fingerprint")), errors.toString());
    }

    @Test
    void theSchemaNamesEveryInputFormat() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(Dumps.samples().getParent().resolve("docs/lockscope-report.schema.json").toFile());
        Set<String> named = Stream.of(schema.path("definitions").path("inputFormat").path("enum").elements())
                .flatMap(it -> { java.util.List<String> l = new java.util.ArrayList<>(); it.forEachRemaining(n -> l.add(n.asText())); return l.stream(); })
                .collect(Collectors.toSet());
        assertEquals(Arrays.stream(InputFormat.values()).map(InputFormat::id).collect(Collectors.toSet()), named);
    }
}
