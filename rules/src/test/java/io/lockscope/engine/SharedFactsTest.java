package io.lockscope.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.lockscope.model.JvmHistory;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Facts several rules derive alike from a JVM are found once, by the first rule that asks. */
class SharedFactsTest {

    @Test
    void theRulesOfOneJvmShareWhatTheFirstFound() {
        RuleContext jvm = new RuleContext(new JvmHistory("jvm-1", "pid 1", "one dump", List.of(), List.of()));
        RuleContext leaked = jvm.forRule(new RuleInfo("leaked-lock", "", Severity.ERROR, List.of(), ""), RuleSettings.defaults());
        RuleContext blocking = jvm.forRule(new RuleInfo("blocking-while-holding", "", Severity.WARNING, List.of(), ""),
                RuleSettings.defaults());
        AtomicInteger found = new AtomicInteger();
        List<String> first = leaked.shared("leaks", () -> List.of("leak " + found.incrementAndGet()));
        List<String> second = blocking.shared("leaks", () -> List.of("leak " + found.incrementAndGet()));
        assertSame(first, second);
        assertEquals(1, found.get(), "found once");
        // another JVM finds its own
        RuleContext other = new RuleContext(new JvmHistory("jvm-2", "pid 2", "one dump", List.of(), List.of()));
        assertEquals(List.of("leak 2"), other.shared("leaks", () -> List.of("leak " + found.incrementAndGet())));
    }
}
