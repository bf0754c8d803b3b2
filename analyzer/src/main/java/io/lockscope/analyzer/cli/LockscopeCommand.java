package io.lockscope.analyzer.cli;

import io.lockscope.analyzer.report.VisibleText;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
        name = "lockscope",
        mixinStandardHelpOptions = true,
        versionProvider = LockscopeCommand.Version.class,
        description = "Post-mortem lock analyzer for the JVM: reads thread dumps, rebuilds who holds "
                + "which lock and who waits for whom, and reports deadlocks and other lock problems.",
        subcommands = {AnalyzeCommand.class, RulesCommand.class, McpCommand.class, CaptureCommand.class, CommandLine.HelpCommand.class},
        footer = ExitCode.HELP)
public final class LockscopeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // options every subcommand takes (picocli copies them down; the value lands here)
    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "say more: analyze lists every input and every piece of evidence, and ends with where the time went; capture, every jcmd it runs")
    boolean verbose;

    @CommandLine.Option(names = "--stacktrace", scope = CommandLine.ScopeType.INHERIT,
            description = "print the stack trace of an internal error")
    boolean stacktrace;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: analyze, capture, rules, explain or mcp");
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new LockscopeCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // what lockscope prints may quote a dump: never let its control characters reach the terminal
        cl.setOut(new PrintWriter(VisibleText.filter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8)), true));
        cl.setErr(new PrintWriter(VisibleText.filter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8)), true));
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            err.println("lockscope: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (cmd.getCommandSpec().root().userObject() instanceof LockscopeCommand top && top.stacktrace) {
                e.printStackTrace(err);
            } else {
                err.println("(run again with --stacktrace for details)");
            }
            return ExitCode.INTERNAL;
        });
        cl.setParameterExceptionHandler((e, args) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("lockscope: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE;
        });
        return cl;
    }

    /** The version from the jar's build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"lockscope " + version()};
        }
    }

    public static String version() {
        try (InputStream in = LockscopeCommand.class.getResourceAsStream("/io/lockscope/analyzer/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
