package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import io.lockscope.model.Visibility;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code jcmd <pid> Thread.dump_to_file FILE} in its default, plain-text form (JDK 21+): every
 * platform and virtual thread, on JDK 25 with its state and HotSpot's lock lines. capture.sh takes
 * it right after the JSON form of the same JVM, so the two must tell the same story.
 */
class DumpToFileTextTest {

    @Test
    void theTextFormReadsAsTheJsonFormOfTheSameMoment() {
        Path text = Dumps.sample("jdk25/queued-deadlock.dump-to-file.txt");
        Path json = Dumps.sample("jdk25/queued-deadlock.json");
        assertEquals(InputFormat.JCMD_TEXT, Dumps.report(text).format());
        Snapshot a = Dumps.readWhole(text, InputFormat.JCMD_TEXT);
        Snapshot b = Dumps.readWhole(json, InputFormat.JCMD_JSON);
        assertEquals("jcmd-text", a.format());
        assertEquals(b.jvm().pid(), a.jvm().pid());
        assertEquals(b.jvm().vmVersion(), a.jvm().vmVersion());
        assertTrue(a.time().isPresent());
        assertEquals(Visibility.SHOWN, a.monitorOwners(), "JDK 25 prints states and monitors");
        assertEquals(Visibility.NOT_SHOWN, a.synchronizerOwners(), "and never the owner of a java.util.concurrent lock");
        // the same threads, but for the one that took the dump (the Attach Listener, in another frame each time)
        assertEquals(b.threads().size(), a.threads().size());
        for (JvmThread t : b.threads()) {
            if (t.name().equals("Attach Listener")) {
                continue;
            }
            JvmThread same = a.threads().stream().filter(x -> x.javaId().equals(t.javaId())).findFirst().orElseThrow();
            assertEquals(t.name(), same.name());
            assertEquals(t.state(), same.state(), t.name());
            assertEquals(t.virtual(), same.virtual(), t.name());
            assertEquals(t.frames().stream().map(f -> f.text()).toList(), same.frames().stream().map(f -> f.text()).toList(), t.name());
            assertEquals(Dumps.lockActions(t), Dumps.lockActions(same), t.name());
        }
        // one JVM, the same finding
        var both = Dumps.analyze(text, json);
        assertEquals(1, both.jvms().size());
        assertEquals(rules(json), rules(text));
        Finding f = Dumps.findings("deadlock", text).get(0);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(Set.of("ledger-writer", "journal-flusher"), Set.copyOf(f.threads()));
    }

    @Test
    void virtualThreadsAreReadAndOneParkedOnItsCarrierIsPinned() throws IOException {
        Path text = Dumps.sample("jdk25/pinned-carriers.dump-to-file.txt");
        Snapshot s = Dumps.readWhole(text, InputFormat.JCMD_TEXT);
        long virtualLines = Files.readAllLines(text).stream().filter(l -> l.matches("#\\d+ \".*\" virtual .*")).count();
        List<JvmThread> virtual = s.threads().stream().filter(JvmThread::virtual).toList();
        assertEquals(virtualLines, virtual.size());
        assertTrue(virtual.stream().map(JvmThread::name).collect(Collectors.toSet()).containsAll(Set.of("rate-loader-0", "rate-loader-1")));
        // rate-loader-0 sleeps in a static initializer: it parks its carrier, which only a pinned virtual thread does;
        // the text names no carrier, the JSON form of the scenario (another run) does
        Finding f = Dumps.findings("virtual-thread-pinning", text).get(0);
        assertEquals(Severity.WARNING, f.severity());
        assertEquals(List.of("rate-loader-0"), f.threads());
        assertEquals("1 virtual thread pinned to its carrier while it waits: Scenario$RateCard.<clinit>", f.title());
        assertEquals(Dumps.findings("virtual-thread-pinning", Dumps.sample("jdk25/pinned-carriers.json")).get(0).title(), f.title());
        assertTrue(f.evidence().get(0).note().orElseThrow().endsWith("still mounted on a carrier this dump does not name"),
                f.evidence().get(0).toString());
    }

    private static Set<String> rules(Path file) {
        return Dumps.analyze(file).outcome().findings().stream().map(f -> f.rule() + " " + f.severity() + " " + Set.copyOf(f.threads()))
                .collect(Collectors.toSet());
    }
}
