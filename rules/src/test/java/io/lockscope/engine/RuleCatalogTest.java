package io.lockscope.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.rules.RuleDocs;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Rule ids are a public contract: unique, documented, from DESIGN.md's catalog. */
class RuleCatalogTest {

    static final Set<String> CATALOG = Set.of("deadlock", "orphaned-lock", "leaked-lock", "ownership-mismatch",
            "lock-order-inversion", "blocking-while-holding", "contention-hotspot", "stuck-owner", "virtual-thread-pinning");

    @Test
    void everyRuleHasAUniqueCatalogIdAndAPage() {
        List<Rule> rules = RuleEngine.builtIn(); // throws on a duplicate id
        assertFalse(rules.isEmpty());
        Set<String> seen = new HashSet<>();
        for (Rule r : rules) {
            RuleInfo info = r.info();
            assertTrue(seen.add(info.id()), "duplicate id " + info.id());
            assertTrue(CATALOG.contains(info.id()), info.id() + " is not in DESIGN.md's catalog");
            String page = RuleDocs.page(info.id()).orElseThrow(() -> new AssertionError("no page rules/docs/" + info.id() + ".md"));
            assertTrue(page.startsWith("# " + info.id() + "\n"), "page starts with its id");
            for (String section : List.of("## What it finds", "## Why it matters", "## How to fix", "## Example", "## Limitations")) {
                assertTrue(page.contains(section), info.id() + " page lacks " + section);
            }
            for (Threshold t : r.thresholds()) {
                assertTrue(page.contains("| `" + t.key() + "` | " + t.unit() + " | " + t.defaultValue() + " |"),
                        info.id() + " page documents threshold " + t.key() + " with its unit and default");
            }
            assertFalse(info.summary().isBlank());
            assertFalse(info.needs().isEmpty());
        }
    }

    /** How a page's "Needs:" paragraph names each fact a rule needs. */
    private static final Map<Input, String> NAMED_AS = Map.of(
            Input.WAITERS, "thread dump",
            Input.OWNERS_AND_WAITERS, "lock owners",
            Input.REPORTED_DEADLOCK, "deadlock the JVM reported",
            Input.MONITOR_OWNERS, "lock owners",
            Input.SYNCHRONIZER_OWNERS, "`-l`",
            Input.RECORDING, "recording",
            Input.VIRTUAL_THREADS, "virtual threads",
            Input.HISTORY, "several dumps");

    /**
     * The engine runs a rule only where one of its needs is shown, so the page must say the same:
     * it names each of them, and a recording only if the rule reads one.
     */
    @Test
    void everyPageNamesWhatItsRuleNeeds() {
        for (Rule r : RuleEngine.builtIn()) {
            RuleInfo info = r.info();
            String page = RuleDocs.page(info.id()).orElseThrow();
            Matcher m = Pattern.compile("Needs:(.*?)\\n\\n", Pattern.DOTALL).matcher(page);
            assertTrue(m.find(), info.id() + " page has a Needs: paragraph");
            String needs = m.group(1).replaceAll("\\s+", " ");
            for (Input i : info.needs()) {
                assertTrue(needs.contains(NAMED_AS.get(i)), info.id() + " page names " + i + ": " + needs);
            }
            assertEquals(info.needs().contains(Input.RECORDING), needs.contains("recording"),
                    info.id() + ": reads recordings in its @RuleMeta as on its page: " + needs);
        }
    }
}
