package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Action's shell step, run here as the runner would run it: on sample-dumps/, with a
 * job summary file and an output file of its own, the release jar in place of a build. The
 * uploads are GitHub's own actions and are not run here.
 */
class ActionIT {

    @TempDir
    Path dir;

    @Test
    void theActionsStepWritesTheSummaryTheOutputsAndTheReports() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        String action = Files.readString(root.resolve("action.yml"));
        assertTrue(action.contains("using: composite") && action.contains("/action/run.sh"), "action.yml runs the script");
        Path jar;
        try (var files = Files.list(Path.of("target/release"))) {
            jar = files.filter(f -> f.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        Path summary = Files.createFile(dir.resolve("summary.md"));
        Path output = Files.createFile(dir.resolve("output.txt"));
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("action/run.sh").toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("INPUT_PATH", Dumps.sample("jdk17/monitor-deadlock.txt") + " " + Dumps.sample("jdk17/healthy-busy.txt"));
        env.put("INPUT_FAIL_ON", "error");
        env.put("INPUT_BASELINE", "");
        env.put("INPUT_FORMATS", "html,json,sarif,markdown,github,text");
        env.put("GITHUB_STEP_SUMMARY", summary.toString());
        env.put("GITHUB_OUTPUT", output.toString());
        env.put("RUNNER_TEMP", dir.toString());
        env.put("LOCKSCOPE_JAR", jar.toAbsolutePath().toString());
        env.put("PATH", Path.of(ProcessHandle.current().info().command().orElseThrow()).getParent() + ":" + env.get("PATH"));
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "the step itself succeeds; the action's last step fails the job: " + log);
        assertTrue(log.lines().anyMatch(l -> l.startsWith("::error file=Scenario.java,line=")), "annotations in the log: " + log);
        Map<String, String> outputs = Files.readAllLines(output).stream().map(l -> l.split("=", 2))
                .collect(Collectors.toMap(a -> a[0], a -> a[1]));
        assertEquals("1", outputs.get("exit-code"), "a deadlock is at or above error");
        Path reports = Path.of(outputs.get("report-dir"));
        for (String f : List.of("lockscope-report.html", "lockscope-report.json", "lockscope-report.sarif", "lockscope-report.md")) {
            assertTrue(Files.exists(reports.resolve(f)), f);
        }
        assertEquals(reports.resolve("lockscope-report.sarif").toString(), outputs.get("sarif"));
        String md = Files.readString(summary);
        assertTrue(md.startsWith("## lockscope: 1 error, 0 warnings"), md);
        assertTrue(md.contains("Deadlock among 3 threads"), md);
    }
}
