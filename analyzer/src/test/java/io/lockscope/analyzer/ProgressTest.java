package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a person watching a long run is told after the inputs are read: the grouping, then each JVM
 * whose rules are checked, counted in order however many are checked side by side.
 */
class ProgressTest {

    @Test
    void afterReadingTheRunSaysItGroupsThenCountsTheJvmsChecked() {
        List<String> said = new ArrayList<>();
        Analysis.Progress progress = new Analysis.Progress() {
            @Override
            public void reading(int index, int total, String path) {
                said.add("reading " + index + " of " + total);
            }

            @Override
            public synchronized void stage(String what) {
                said.add(what);
            }
        };
        // three dumps of three JVMs
        Analysis.Result r = Analysis.withBuiltInRules().run(List.of(Dumps.sample("jdk17/monitor-deadlock.txt"),
                Dumps.sample("jdk25/monitor-deadlock.txt"), Dumps.sample("jdk17/healthy-busy.txt")), Analysis.Progress.NONE);
        assertEquals(3, r.jvms().size());
        Analysis.withBuiltInRules().run(List.of(Dumps.sample("jdk17/monitor-deadlock.txt"),
                Dumps.sample("jdk25/monitor-deadlock.txt"), Dumps.sample("jdk17/healthy-busy.txt")), progress);
        List<String> after = said.subList(said.indexOf("grouping 3 snapshots by the JVM that wrote them"), said.size());
        assertEquals(List.of("grouping 3 snapshots by the JVM that wrote them", "checking the rules: 1 of 3 JVMs",
                "checking the rules: 2 of 3 JVMs", "checking the rules: 3 of 3 JVMs"), after);
        assertTrue(said.subList(0, said.size() - after.size()).stream().allMatch(s -> s.startsWith("reading ")), said.toString());
        assertTrue(r.timings().reading().toNanos() > 0 && r.timings().checking().toNanos() > 0, r.timings().toString());
    }
}
