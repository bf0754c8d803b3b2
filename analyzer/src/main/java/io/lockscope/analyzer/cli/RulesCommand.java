package io.lockscope.analyzer.cli;

import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleEngine;
import io.lockscope.rules.RuleDocs;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lockscope rules} lists the rules; with a rule's id, under either name, it prints that rule's page. */
@Command(name = "rules", aliases = "explain", mixinStandardHelpOptions = true,
        description = "List the rules (id, default severity, what each finds), or print one rule's page: "
                + "what it detects, why it matters, how to fix it.",
        footer = ExitCode.HELP)
final class RulesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "RULE", arity = "0..1", description = "a rule id, as 'lockscope rules' lists them")
    String rule;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (rule == null) {
            for (Rule r : RuleEngine.builtIn()) {
                out.printf("%-24s %-8s %s%n", r.info().id(), r.info().defaultSeverity().id(), r.info().summary());
            }
            out.println();
            out.println("lockscope explain <id> prints a rule's page.");
        } else {
            Optional<String> page = RuleDocs.page(rule);
            if (page.isEmpty()) {
                String ids = RuleEngine.builtIn().stream().map(r -> r.info().id()).collect(Collectors.joining(", "));
                spec.commandLine().getErr().println("lockscope: no rule '" + rule + "'; the rules are: " + ids);
                return ExitCode.USAGE;
            }
            out.print(page.get());
        }
        out.flush();
        return ExitCode.OK;
    }
}
