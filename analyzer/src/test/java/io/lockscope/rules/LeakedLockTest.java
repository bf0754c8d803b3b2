package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LeakedLockTest {

    @ParameterizedTest
    @ValueSource(strings = {"jdk17", "jdk25"})
    void positive_lockSwappedOutOfItsFieldWhileHeld(String jdk) {
        Finding f = only(Dumps.findings("leaked-lock", Dumps.sample(jdk + "/swapped-field.txt")));
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(Set.of("account-pool-1", "statement-1", "statement-2"), threads(f));
        assertTrue(f.title().contains("leaked by account-pool-1, idle in ThreadPoolExecutor.getTask"), f.title());
        Evidence hold = f.evidence().stream().filter(e -> e.kind() == Evidence.Kind.HOLDS).findFirst().orElseThrow();
        assertEquals("account-pool-1", hold.thread().orElseThrow());
        assertTrue(hold.stack().stream().anyMatch(l -> l.contains("ThreadPoolExecutor.getTask")), "shows where it idles");
        assertTrue(f.hint().contains("reassigned"), f.hint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/dead-owner.txt", "jdk25/reentrantlock-deadlock.txt", "jdk17/healthy-busy.txt",
        "jdk25/healthy-busy.txt", "jdk17/sleep-holding-1.txt", "jdk25/contention.txt"})
    void negative_ownersThatAreGoneOrBusy(String sample) {
        assertTrue(Dumps.findings("leaked-lock", Dumps.sample(sample)).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstack/jthreaddump-jdk25-producer-consumer.txt", "jstack/tdv-jdk21.0.2-macos-jstack-l.txt",
        "jstack/tda-jdk11.0.6-tomcat-jstack-l.txt"})
    void negative_corpusDumpsWithOwnedSynchronizers(String file) {
        assertTrue(Dumps.findings("leaked-lock", Dumps.corpus(file)).isEmpty());
    }
}
