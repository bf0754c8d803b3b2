package io.lockscope.analyzer.report;

import io.lockscope.rules.RuleDocs;

/** Pieces of a rule's page for the reports: what the rule finds, in a paragraph. */
final class RulePages {

    private RulePages() {
    }

    /** The first paragraph under "## What it finds", with Markdown code marks removed. */
    static String whatItFinds(String ruleId) {
        String page = RuleDocs.page(ruleId).orElse("");
        int start = page.indexOf("## What it finds");
        if (start < 0) {
            return "";
        }
        String rest = page.substring(start + "## What it finds".length()).strip();
        int end = rest.indexOf("\n\n");
        String para = end < 0 ? rest : rest.substring(0, end);
        return para.replace("`", "").replaceAll("\\s*\\n\\s*", " ").strip();
    }
}
