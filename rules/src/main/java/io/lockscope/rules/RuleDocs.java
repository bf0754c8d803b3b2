package io.lockscope.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Each rule's page, rules/docs/&lt;id&gt;.md, packaged into the jar. */
public final class RuleDocs {

    private RuleDocs() {
    }

    public static Optional<String> page(String ruleId) {
        if (!ruleId.matches("[a-z][a-z-]*")) {
            return Optional.empty();
        }
        try (InputStream in = RuleDocs.class.getResourceAsStream("/io/lockscope/rules/docs/" + ruleId + ".md")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
