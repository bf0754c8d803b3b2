package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.onlyFinding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OwnershipMismatchTest {

    @EachSampleJdk
    void positive_nonReentrantMutexTakenTwiceByItsOwner(String jdk) {
        Finding f = onlyFinding("ownership-mismatch", Severity.ERROR, Set.of("index-rebuilder"), Dumps.sample(jdk + "/self-relock.txt"));
        assertEquals("Scenario$SimpleMutex$Sync", f.locks().get(0).className());
        assertTrue(f.title().endsWith("which it holds itself"), f.title());
        assertEquals(OwnershipMismatch.SELF_HINT, f.hint(), "the hint of this kind of mismatch, not another's");
        // HotSpot's deadlock detection does not see a thread waiting for itself
        assertTrue(Dumps.findings("deadlock", Dumps.sample(jdk + "/self-relock.txt")).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/monitor-deadlock.txt", "jdk25/mixed-deadlock.txt", "jdk17/swapped-field.txt",
        "jdk25/sleep-holding-1.txt", "jdk17/healthy-busy.txt", "jdk25/healthy-busy.json", "jdk17/class-init-deadlock.txt"})
    void negative_consistentOwnership(String sample) {
        assertTrue(Dumps.findings("ownership-mismatch", Dumps.sample(sample)).isEmpty());
    }
}
