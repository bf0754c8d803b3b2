package io.lockscope.analyzer.cli;

import io.lockscope.engine.RuleEngine;
import io.lockscope.rules.RuleDocs;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Print a rule's page: what it detects, why it matters, how to fix it.",
        footer = ExitCode.HELP)
final class ExplainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(paramLabel = "RULE", description = "a rule id, as 'lockscope rules' lists them")
    String rule;

    @Override
    public Integer call() {
        Optional<String> page = RuleDocs.page(rule);
        if (page.isEmpty()) {
            String ids = RuleEngine.builtIn().stream().map(r -> r.info().id()).collect(Collectors.joining(", "));
            spec.commandLine().getErr().println("lockscope: no rule '" + rule + "'; the rules are: " + ids);
            return ExitCode.USAGE;
        }
        spec.commandLine().getOut().print(page.get());
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }
}
