package io.lockscope.analyzer.cli;

import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleEngine;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "List the rules: id, default severity, what each finds.",
        footer = ExitCode.HELP)
final class RulesCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Rule r : RuleEngine.builtIn()) {
            out.printf("%-24s %-8s %s%n", r.info().id(), r.info().defaultSeverity().id(), r.info().summary());
        }
        out.println();
        out.println("lockscope explain <id> prints a rule's page.");
        out.flush();
        return ExitCode.OK;
    }
}
