package io.lockscope.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lockscope.analyzer.Dumps;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SARIF of every sample dump through Microsoft's SARIF multitool, with the rules GitHub code
 * scanning applies on upload ({@code validate --rule-kind "Sarif;Gh"}, npm
 * {@code @microsoft/sarif-multitool}). Its one remaining warning is SARIF2005: the tool's
 * {@code informationUri}, a public home page that lockscope does not have yet. Without npx the
 * test is skipped with a message, and in CI it fails.
 */
class SarifMultitoolTest {

    static final String MULTITOOL = "@microsoft/sarif-multitool@5.7.0";

    @TempDir
    Path out;

    @Test
    void theMultitoolFindsNothingButTheMissingHomePage() throws Exception {
        Path npx = onPath("npx").orElse(null);
        if (npx == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("npx is not on the PATH: CI must run the SARIF multitool (" + MULTITOOL + ")");
            }
            Assumptions.abort("npx is not on the PATH: the SARIF multitool (" + MULTITOOL + ") was not run");
        }
        Path sarif = out.resolve("lockscope-report.sarif");
        SarifWriter.write(ReportModel.build(Dumps.analyze(Dumps.samples()), "0.1.0-test"), sarif);
        Path verdict = out.resolve("validation.sarif");
        // npx hands its arguments to a shell: the rule kinds are quoted for it
        Process p = new ProcessBuilder(npx.toString(), "--yes", MULTITOOL, "validate", "--rule-kind", "'Sarif;Gh'",
                "--output", verdict.toString(), sarif.toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("multitool.log").toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the SARIF multitool took more than 5 minutes: " + Files.readString(out.resolve("multitool.log")));
        }
        String log = Files.readString(out.resolve("multitool.log"));
        assertTrue(Files.isRegularFile(verdict), () -> "the multitool wrote no verdict (exit " + p.exitValue() + "): " + log);
        List<String> found = new ArrayList<>();
        for (JsonNode run : new ObjectMapper().readTree(verdict.toFile()).path("runs")) {
            for (JsonNode r : run.path("results")) {
                found.add(r.path("ruleId").asText() + " " + r.path("level").asText("warning") + " "
                        + r.path("message").path("arguments"));
            }
        }
        assertEquals(List.of("SARIF2005 warning [\"runs[0].tool.driver\",\"lockscope\"]"), found, log);
    }

    private static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
