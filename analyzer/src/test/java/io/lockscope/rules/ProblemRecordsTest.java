package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Findings;
import io.lockscope.engine.Problem.Basis;
import io.lockscope.engine.Problem.Certainty;
import io.lockscope.engine.Severity;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a rule found, as data: the records behind the findings, checked field by field on real
 * dumps, and findings merged by a count rather than by their words.
 */
class ProblemRecordsTest {

    @EachSampleJdk
    void aMonitorRingIsARingOfThreadsAndLocksSeenInTheStacks(String jdk) {
        Finding f = only(Dumps.findings("deadlock", Dumps.sample(jdk + "/monitor-deadlock.txt")));
        Deadlock.Ring ring = assertInstanceOf(Deadlock.Ring.class, f.problem());
        assertEquals(Set.of("stocker", "auditor", "closer"), Set.copyOf(ring.ring()));
        assertEquals(3, ring.locks().size());
        assertTrue(ring.detected(), "found in the stacks, not only copied from the JVM's own report");
        assertEquals(Certainty.CERTAIN, ring.certainty());
        assertEquals(Basis.THREAD_DUMPS, ring.basis());
        assertEquals(Severity.ERROR, f.severity(), "the rule's severity, from its @RuleMeta");
        assertEquals("deadlock", f.rule(), "the rule's id, from its @RuleMeta");
        assertEquals(Deadlock.HINT, f.hint(), "the rule's hint, from its @RuleMeta");
    }

    @Test
    void aRingWithOwnersNotShownIsALikelyRingThatSaysWhatWouldMakeItCertain() {
        Finding f = only(Dumps.findings("deadlock", Dumps.sample("jdk25/three-kinds.nolocks.txt")));
        Deadlock.LikelyRing ring = assertInstanceOf(Deadlock.LikelyRing.class, f.problem());
        assertEquals(Set.of("pricing", "quoting", "booking"), Set.copyOf(ring.ring()));
        assertEquals(2, ring.guesses().size(), "two owners are not shown");
        assertEquals(Certainty.LIKELY, ring.certainty());
        assertEquals(Severity.WARNING, f.severity(), "a likely ring is a warning, though deadlock's default is error");
        assertFalse(ring.hiddenKinds().isEmpty());
    }

    @EachSampleJdk
    void aHeapDumpNamesTheDeadHolderOfAnOrphanedLock(String jdk) {
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/dead-owner.hprof.gz")));
        Orphaned o = assertInstanceOf(Orphaned.class, f.problem());
        assertEquals(1, o.deadHolders().size());
        assertTrue(o.deadHolders().keySet().iterator().next().startsWith("ingest-worker-1"), o.deadHolders().toString());
        assertEquals(List.of("batch-writer-1", "batch-writer-2", "batch-writer-3"), o.waiters().stream().sorted().toList());
        assertTrue(o.fromHeap());
        assertEquals(Basis.HEAP_DUMP, o.basis());
        assertEquals(Certainty.CERTAIN, o.certainty());
        assertTrue(o.likely().isEmpty());
    }

    @EachSampleJdk
    void aLeakRestsOnWhatShowsIt(String jdk) {
        Finding pool = only(Dumps.findings("leaked-lock", Dumps.sample(jdk + "/swapped-field.txt")));
        LeakedLock.Leaked leaked = assertInstanceOf(LeakedLock.Leaked.class, pool.problem());
        assertEquals("account-pool-1", leaked.owner());
        assertEquals(Set.of(Leaks.Basis.POOL), leaked.bases());
        assertTrue(leaked.idleAt().orElseThrow().method().endsWith("ThreadPoolExecutor.getTask"), leaked.idleAt().toString());
        assertEquals(Certainty.CERTAIN, leaked.certainty());
        assertEquals(Set.of("statement-1", "statement-2"), Set.copyOf(leaked.waiters()));

        Finding heap = only(Dumps.findings("leaked-lock", Dumps.sample(jdk + "/swapped-busy.hprof.gz")));
        LeakedLock.Leaked unreferenced = assertInstanceOf(LeakedLock.Leaked.class, heap.problem());
        assertTrue(unreferenced.bases().contains(Leaks.Basis.UNREFERENCED), unreferenced.bases().toString());
        assertEquals(Basis.HEAP_DUMP, unreferenced.basis());

        var loop = Dumps.findings("leaked-lock", Dumps.sample(jdk + "/queue-consumer.txt")).stream()
                .filter(f -> f.threads().get(0).equals("order-consumer")).findFirst().orElseThrow();
        LeakedLock.Leaked own = assertInstanceOf(LeakedLock.Leaked.class, loop.problem());
        assertEquals(Set.of(Leaks.Basis.OWN_LOOP), own.bases());
        assertEquals(Certainty.LIKELY, own.certainty());
        assertEquals(Severity.WARNING, loop.severity());
    }

    @Test
    void theJsonReportCarriesHowSureAFindingIsAndWhatItRestsOn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out)
            throws java.io.IOException {
        io.lockscope.analyzer.cli.CliTest.Run r = io.lockscope.analyzer.cli.CliTest.run("analyze",
                Dumps.sample("jdk25/three-kinds.nolocks.txt").toString(), Dumps.sample("jdk17/dead-owner.hprof.gz").toString(),
                "-o", out.toString(), "--format", "json", "--fail-on", "never");
        assertEquals(0, r.exit(), r.err());
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("lockscope-report.json").toFile());
        var byRule = new java.util.HashMap<String, com.fasterxml.jackson.databind.JsonNode>();
        report.path("findings").forEach(f -> byRule.put(f.path("rule").asText(), f));
        assertEquals("likely", byRule.get("deadlock").path("certainty").asText());
        assertEquals("thread-dumps", byRule.get("deadlock").path("basis").asText());
        assertEquals("certain", byRule.get("orphaned-lock").path("certainty").asText());
        assertEquals("heap-dump", byRule.get("orphaned-lock").path("basis").asText());
        assertEquals(0, byRule.get("orphaned-lock").path("similar").asInt(-1));
    }

    @Test
    void findingsWithOneFingerprintMergeByCountNotByWords() {
        Finding f = only(Dumps.findings("deadlock", Dumps.sample("jdk17/monitor-deadlock.txt")));
        Findings merged = new Findings();
        merged.add(f);
        merged.add(f);
        merged.add(f);
        Finding one = only(merged);
        assertEquals(2, one.similar());
        assertEquals(f.problem(), one.problem(), "the first one's facts are kept, not rewritten");
        assertEquals(f.problem().title() + " (and 2 more like it)", one.title());
        // merging a merged finding again keeps its count
        Findings again = new Findings();
        again.add(one);
        assertEquals(2, only(again).similar());
        again.add(f);
        assertEquals(3, only(again).similar());
    }
}
