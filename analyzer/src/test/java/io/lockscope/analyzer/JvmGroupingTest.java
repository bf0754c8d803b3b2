package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.model.JvmHistory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One JVM captured in every format at once is one JVM, whatever the order of the files: the text
 * dump and the recording's thread dumps share JavaThread addresses (and the heap dump's threads
 * have them too), the JSON dump and the recording share a pid. Two JVMs of one program, with the
 * same thread names and ids, stay two.
 */
class JvmGroupingTest {

    private static List<Path> allFormats(String scenario) {
        return List.of(Dumps.sample("jdk25/" + scenario + ".json"), Dumps.sample("jdk25/" + scenario + ".hprof.gz"),
                Dumps.sample("jdk25/" + scenario + ".jfr"), Dumps.sample("jdk25/" + scenario + ".txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dead-owner", "swapped-busy"})
    void jdk25InFourFormatsIsOneJvmInAnyOrder(String scenario) {
        List<Path> files = new ArrayList<>(allFormats(scenario));
        for (int turn = 0; turn < files.size(); turn++) {
            Collections.rotate(files, 1);
            List<JvmHistory> jvms = Dumps.analyze(files.toArray(Path[]::new)).jvms();
            assertEquals(1, jvms.size(), files + " -> " + jvms.stream().map(j -> j.label() + ": " + j.grouping()).toList());
            assertEquals(1, jvms.get(0).recordings().size());
            assertTrue(jvms.get(0).snapshots().stream().anyMatch(s -> s.format().equals("hprof")));
            assertTrue(jvms.get(0).snapshots().stream().anyMatch(s -> s.format().equals("jcmd-json")));
        }
        // without the text dump, the recording still joins the JSON dump (pid) and the heap dump (addresses)
        List<JvmHistory> noText = Dumps.analyze(allFormats(scenario).subList(0, 3).toArray(Path[]::new)).jvms();
        assertEquals(1, noText.size(), noText.stream().map(JvmHistory::grouping).toList().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dead-owner", "healthy-busy"})
    void anotherRunOfTheSameProgramStaysApart(String scenario) {
        // the threadinfo capture ran the same scenario again in a JVM of its own: same thread names, same ids
        List<Path> files = new ArrayList<>(List.of(Dumps.sample("jdk25/" + scenario + ".txt"),
                Dumps.sample("jdk25/" + scenario + ".json"), Dumps.sample("jdk25/" + scenario + ".threadinfo-jcmd.txt")));
        if (scenario.equals("dead-owner")) {
            files.add(Dumps.sample("jdk25/dead-owner.hprof.gz"));
            files.add(Dumps.sample("jdk25/dead-owner.jfr"));
        }
        List<JvmHistory> jvms = Dumps.analyze(files.toArray(Path[]::new)).jvms();
        assertEquals(2, jvms.size(), jvms.stream().map(j -> j.label() + ": " + j.grouping()).toList().toString());
        JvmHistory other = jvms.stream().filter(j -> j.snapshots().stream()
                .anyMatch(s -> s.label().contains(".threadinfo-jcmd.txt"))).findFirst().orElseThrow();
        assertEquals(1, other.snapshots().size(), "the other run has its one dump and nothing else");
    }
}
