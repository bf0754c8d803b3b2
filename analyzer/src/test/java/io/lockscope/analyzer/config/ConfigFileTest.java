package io.lockscope.analyzer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.engine.RuleEngine;
import io.lockscope.engine.RuleSettings;
import io.lockscope.engine.Severity;
import io.lockscope.engine.Threshold;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path dir;

    private RuleSettings load(String yaml) throws Exception {
        return ConfigFile.load(Files.writeString(dir.resolve("lockscope.yml"), yaml), RuleEngine.builtIn());
    }

    private String error(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.yml"), yaml);
        return assertThrows(ConfigFile.ConfigException.class, () -> ConfigFile.load(file, RuleEngine.builtIn())).getMessage();
    }

    @Test
    void rulesSeveritiesThresholdsAndPatterns() throws Exception {
        RuleSettings s = load("""
                rules:
                  contention-hotspot:
                    severity: info
                    min-waiters: 8
                  stuck-owner:
                    enabled: false
                patterns:
                  idle-frames: [com.example.jobs.JobQueue.next]
                """);
        assertEquals(Severity.INFO, s.severity("contention-hotspot").orElseThrow());
        assertEquals(8, s.threshold("contention-hotspot", Threshold.of("min-waiters", "", "", 5)));
        assertFalse(s.enabled("stuck-owner"));
        assertTrue(s.enabled("deadlock"));
        assertEquals(List.of("com.example.jobs.JobQueue.next"), s.patterns("idle-frames"));
    }

    @Test
    void jsonIsAcceptedToo() throws Exception {
        RuleSettings s = load("{\"rules\": {\"deadlock\": {\"severity\": \"warning\"}}}");
        assertEquals(Severity.WARNING, s.severity("deadlock").orElseThrow());
    }

    @Test
    void mistakesNameTheFileAndTheKey() throws Exception {
        assertTrue(error("rules:\n  deadlok:\n    enabled: false\n").contains("rules.deadlok: no such rule; the rules are: "));
        assertTrue(error("rules:\n  deadlock:\n    severity: fatal\n").contains("rules.deadlock.severity: 'fatal' is not one of info, warning, error"));
        assertTrue(error("rules:\n  contention-hotspot:\n    min-waiter: 3\n")
                .contains("rules.contention-hotspot.min-waiter: unknown setting; contention-hotspot has enabled, severity, min-waiters"));
        assertTrue(error("rules:\n  contention-hotspot:\n    min-waiters: lots\n").contains("expected a whole number of threads"));
        assertTrue(error("rulez: {}\n").contains("unknown key 'rulez'"));
        assertTrue(error("rules: [\n").startsWith(dir.resolve("bad.yml") + ": cannot read"));
    }
}
