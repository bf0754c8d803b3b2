package io.lockscope.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lockscope.analyzer.Analysis;
import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.engine.Finding;
import io.lockscope.model.JvmHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * All rules over sample-dumps/ against a committed expected output. When a change alters the
 * output on purpose, regenerate it and review the diff:
 * {@code mvn -B verify -Dlockscope.golden.update=true}.
 */
class GoldenTest {

    static final Path EXPECTED = Path.of("src/test/resources/golden/sample-dumps.txt");

    @Test
    void allRulesOverTheSampleDumps() throws IOException {
        Path samples = Dumps.samples();
        Analysis.Result r = Dumps.analyzeFromRepository(samples);
        List<String> lines = new ArrayList<>();
        lines.add("# lockscope analyze sample-dumps: every input, every JVM, every finding (GoldenTest)");
        for (InputReport in : r.inputs()) {
            lines.add("input " + relative(samples, in.path()) + " | " + in.format().id() + " | " + in.status().id() + " | " + in.snapshots());
        }
        for (JvmHistory j : r.jvms()) {
            lines.add("jvm " + j.id() + " | " + j.label() + " | " + j.snapshots().stream().map(s -> relative(samples, s.label())).toList());
        }
        for (Finding f : r.outcome().findings()) {
            lines.add("finding " + f.severity().id() + " | " + f.rule() + " | " + f.jvm() + " | " + f.title()
                    + " | threads " + f.threads() + " | " + f.id());
        }
        for (Map.Entry<String, Map<String, String>> e : r.outcome().notApplicable().entrySet()) {
            e.getValue().forEach((rule, why) -> lines.add("not-applicable " + e.getKey() + " | " + rule + " | " + why));
        }
        String actual = String.join("\n", lines) + "\n";
        if (Boolean.getBoolean("lockscope.golden.update")) {
            Files.createDirectories(EXPECTED.getParent());
            Files.writeString(EXPECTED, actual, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(EXPECTED, StandardCharsets.UTF_8), actual,
                "output changed; if on purpose, run with -Dlockscope.golden.update=true and review the diff");
    }

    private static String relative(Path samples, String path) {
        return path.startsWith("sample-dumps/") ? path.substring("sample-dumps/".length()) : path;
    }
}
