package io.lockscope.analyzer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lockscope.analyzer.Analysis;
import io.lockscope.analyzer.InputDeadline;
import io.lockscope.analyzer.config.BaselineFile;
import io.lockscope.analyzer.config.ConfigFile;
import io.lockscope.analyzer.report.CodeQualityWriter;
import io.lockscope.analyzer.report.GithubAnnotations;
import io.lockscope.analyzer.report.HtmlReportWriter;
import io.lockscope.analyzer.report.JsonReportWriter;
import io.lockscope.analyzer.report.JunitWriter;
import io.lockscope.analyzer.report.MarkdownWriter;
import io.lockscope.analyzer.report.ReportFile;
import io.lockscope.analyzer.report.ReportModel;
import io.lockscope.analyzer.report.SarifWriter;
import io.lockscope.analyzer.report.TextSummary;
import io.lockscope.analyzer.report.VisibleText;
import io.lockscope.engine.Baseline;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleEngine;
import io.lockscope.engine.RuleSettings;
import io.lockscope.engine.Severity;
import io.lockscope.engine.Words;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {
            "Read thread dumps, heap dumps and JFR recordings (files, folders, zip or tar archives, gzipped or not, any "
                    + "mix of formats; told apart by content), group them by the JVM that wrote them, rebuild "
                    + "the lock graph of each JVM, run the rules, and write the reports.",
            "",
            "Thread dumps: jstack, jcmd Thread.print (text or JSON), jhsdb jstack and jstack -F (for a JVM "
                    + "that does not answer jcmd), Spring Boot's /actuator/threaddump (text or JSON), ThreadInfo.toString() "
                    + "as applications log it, VisualVM's and the JMX demo's renderings, and dumps inside console logs; "
                    + "the dumps that services hand out: Hadoop's /stacks (and in its daemons' logs), Dropwizard's "
                    + "/threads, Tomcat Manager's threaddump, Spring Boot 1.x's /dump, Micronaut's /threaddump, Jolokia's threadPrint and "
                    + "dumpAllThreads; Arthas's thread listings (a session's output, or redirected); Apache Ignite's dump in a node's log; a recording's dumps as jfr print shows them (text or --json); IBM and OpenJ9 javacores, JRockit dumps (WebLogic logs too), Android ANR traces "
                    + "(each process a JVM).",
            "",
            "Writes lockscope-report.html and lockscope-report.json (and lockscope-report.sarif with "
                    + "--format sarif) into the output folder and prints a summary: one line per finding, "
                    + "then counts. A file that cannot be read is listed with the reason; the others go on."
        },
        footer = ExitCode.HELP)
final class AnalyzeCommand implements Callable<Integer> {

    enum Format { html, json, sarif, text, junit, codequality, markdown, github }

    enum FailOn { info, warning, error, never }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "0..*", description = "thread dumps, heap dumps, recordings, or folders of them; - for standard input "
            + "(kubectl logs POD | lockscope analyze -)")
    List<Path> paths;

    @Option(names = "--pid", paramLabel = "PID",
            description = "capture a live JVM first (lockscope capture PID --analyze, with its defaults) and analyze that")
    Long pid;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "where to write the reports (default: ${DEFAULT-VALUE})")
    Path output = Path.of(".");

    @Option(names = "--format", split = ",", paramLabel = "FORMAT",
            description = "what to write, comma-separated: ${COMPLETION-CANDIDATES} (default: html,json,text; text is the "
                    + "terminal summary; junit, codequality and markdown are files for CI (lockscope-report.junit.xml, "
                    + ".codequality.json, .md); github prints GitHub Actions annotations)")
    List<Format> formats = List.of(Format.html, Format.json, Format.text);

    @Option(names = "--fail-on", paramLabel = "SEVERITY",
            description = "exit 1 when a finding is at least this severe: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    FailOn failOn = FailOn.error;

    @Option(names = "--rules", split = ",", paramLabel = "ID", description = "run only these rules (default: all; see 'lockscope rules')")
    List<String> rules = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "a lockscope.yml (or .json): rules on and off, severities, thresholds, frame patterns")
    Path config;

    @Option(names = "--baseline", paramLabel = "FILE",
            description = "leave out the findings this baseline lists, so that only new ones fail the build")
    Path baseline;

    @Option(names = "--write-baseline", paramLabel = "FILE",
            description = "write every finding of this run to FILE as a baseline, then go on as usual")
    Path writeBaseline;

    @Option(names = "--templates", paramLabel = "DIR", description = "a folder of FreeMarker templates that override the built-in report.ftlh")
    Path templates;

    @Option(names = "--input-timeout", paramLabel = "SECONDS",
            description = "give up on one input after this many seconds, keep what was read of it, and go on with the others "
                    + "(default: 120 s plus 1 s per 4 MB of the file; 0: no limit)")
    Long inputTimeout;

    @CommandLine.ParentCommand
    LockscopeCommand top;

    @Override
    public Integer call() throws Exception {
        if (pid != null) {
            if (paths != null && !paths.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--pid captures its own dumps: give it no PATH");
            }
            CommandLine cl = LockscopeCommand.commandLine();
            cl.setOut(spec.commandLine().getOut());
            cl.setErr(spec.commandLine().getErr());
            List<String> args = new ArrayList<>(List.of("capture", String.valueOf(pid), "--analyze"));
            if (top.verbose) {
                args.add("--verbose");
            }
            if (output != null && !output.equals(Path.of("."))) {
                args.addAll(List.of("-o", output.toString()));
            }
            return cl.execute(args.toArray(String[]::new));
        }
        if (paths == null || paths.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name the dumps to analyze (PATH...), or a live JVM with --pid");
        }
        try {
            return analyze();
        } catch (OutOfMemoryError e) {
            // one input that runs out of memory fails alone (InputReader); this is the whole run's picture not fitting
            PrintWriter err = spec.commandLine().getErr();
            err.println("lockscope: ran out of memory with a heap of " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MB; give it more with LOCKSCOPE_JAVA_OPTS=-Xmx4g (or java -Xmx4g -jar lockscope.jar)");
            err.flush();
            return ExitCode.INTERNAL;
        }
    }

    private int analyze() throws Exception {
        List<Rule> all = RuleEngine.builtIn();
        Set<String> enabled = new LinkedHashSet<>();
        if (rules.isEmpty()) {
            all.forEach(r -> enabled.add(r.info().id()));
        } else {
            Set<String> known = all.stream().map(r -> r.info().id()).collect(Collectors.toSet());
            for (String id : rules) {
                if (!known.contains(id.trim())) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "no rule '" + id.trim() + "'; the rules are: " + String.join(", ", known));
                }
                enabled.add(id.trim());
            }
        }
        RuleSettings settings = RuleSettings.defaults();
        Baseline known = Baseline.none();
        try {
            if (config != null) {
                settings = ConfigFile.load(config, all);
            }
            if (baseline != null) {
                known = BaselineFile.read(baseline);
            }
        } catch (ConfigFile.ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Set<Format> wanted = formats.isEmpty() ? EnumSet.noneOf(Format.class) : EnumSet.copyOf(formats);
        boolean writesFiles = wanted.stream().anyMatch(f -> f != Format.text && f != Format.github);
        String cannot = writesFiles ? ReportFile.unwritable(output) : null;
        if (cannot != null) {
            // found before the analysis, not after it
            throw new CommandLine.ParameterException(spec.commandLine(), "-o " + output + ": cannot write the reports there: " + cannot);
        }
        PrintWriter err = spec.commandLine().getErr();
        // progress goes to the terminal only, on stderr, and never into a pipe or a CI log; it writes its own escape
        // sequences (carriage return, erase line), so it has a raw writer, and cleans the names it shows itself
        PrintWriter raw = new PrintWriter(new java.io.OutputStreamWriter(System.err, java.nio.charset.StandardCharsets.UTF_8));
        Analysis.Progress progress = System.console() != null && System.getenv("CI") == null
                ? new TerminalProgress(raw) : Analysis.Progress.NONE;
        if (System.console() != null && paths.contains(io.lockscope.analyzer.input.PipeSpool.STANDARD_INPUT)) {
            // "-" with nothing piped in: the dump is pasted on the terminal
            err.println("lockscope: reading a dump from the terminal; end it with Ctrl-D (Ctrl-Z and Enter on Windows)");
        }
        Analysis.Result result = new Analysis(all, enabled, settings, known)
                .withDeadline(inputTimeout == null ? InputDeadline.DEFAULT : InputDeadline.seconds(inputTimeout))
                .run(paths, progress);
        long reporting = System.nanoTime();
        progress.stage("writing the reports");
        ObjectNode report = ReportModel.build(result, LockscopeCommand.version());
        List<String> written = new ArrayList<>();
        if (wanted.contains(Format.json)) {
            Path file = output.resolve("lockscope-report.json");
            written.add(file + (JsonReportWriter.write(report, file) ? " (replaced)" : ""));
        }
        if (wanted.contains(Format.sarif)) {
            Path file = output.resolve("lockscope-report.sarif");
            written.add(file + (SarifWriter.write(report, file) ? " (replaced)" : ""));
        }
        if (wanted.contains(Format.html)) {
            Path file = output.resolve("lockscope-report.html");
            written.add(file + (new HtmlReportWriter(Optional.ofNullable(templates)).write(report, file) ? " (replaced)" : ""));
        }
        if (wanted.contains(Format.junit)) {
            Path file = output.resolve("lockscope-report.junit.xml");
            Optional<Severity> failAt = failOn == FailOn.never ? Optional.empty()
                    : Optional.of(Severity.parse(failOn.name().toUpperCase(Locale.ROOT)));
            written.add(file + (JunitWriter.write(report, failAt, file) ? " (replaced)" : ""));
        }
        if (wanted.contains(Format.codequality)) {
            Path file = output.resolve("lockscope-report.codequality.json");
            written.add(file + (CodeQualityWriter.write(report, file) ? " (replaced)" : ""));
        }
        if (wanted.contains(Format.markdown)) {
            Path file = output.resolve("lockscope-report.md");
            written.add(file + (MarkdownWriter.write(report, file, "lockscope-report.html") ? " (replaced)" : ""));
        }
        if (progress != Analysis.Progress.NONE) {
            raw.print("\r\u001b[K");
            raw.flush();
        }
        if (wanted.contains(Format.github)) {
            GithubAnnotations.print(report, spec.commandLine().getOut());
        }
        if (writeBaseline != null) {
            List<Finding> every = new ArrayList<>(result.outcome().findings());
            every.addAll(result.outcome().suppressed());
            BaselineFile.write(writeBaseline, every);
            written.add(writeBaseline + " (baseline of " + Words.count(every.size(), "finding") + ")");
        }
        if (wanted.contains(Format.text)) {
            PrintWriter out = spec.commandLine().getOut();
            TextSummary.print(report, out, top.verbose, VisibleText::oneLine);
            if (!result.outcome().suppressed().isEmpty()) {
                out.println(result.outcome().suppressed().size() + " known findings left out by the baseline " + baseline);
            }
            if (!written.isEmpty()) {
                out.println("wrote " + VisibleText.oneLine(String.join(", ", written)));
            }
            if (top.verbose) {
                out.println(took(result.timings(), Duration.ofNanos(System.nanoTime() - reporting)));
            }
            out.flush();
        }
        if (!wanted.contains(Format.text)) {
            // without the summary on stdout, stderr still names every input that failed or was read in part
            for (var in : report.path("inputs")) {
                String status = in.path("status").asText();
                if (status.equals("failed") || status.equals("partial") || (result.nothingRead() && !status.equals("read"))) {
                    err.println("lockscope: " + status + " " + VisibleText.oneLine(in.path("path").asText()) + ": "
                            + VisibleText.oneLine(in.path("message").asText()));
                }
            }
        }
        if (result.nothingRead()) {
            err.println("lockscope: no input could be read (" + result.inputs().size() + " tried); see the inputs list above");
            err.flush();
            return ExitCode.NOTHING_READ;
        }
        if (failOn != FailOn.never) {
            Severity threshold = Severity.parse(failOn.name().toUpperCase(Locale.ROOT));
            List<Finding> failing = result.outcome().findings().stream().filter(f -> f.severity().atLeast(threshold)).toList();
            if (!failing.isEmpty()) {
                err.println("lockscope: " + failing.size() + (failing.size() == 1 ? " finding" : " findings")
                        + " at or above " + failOn + ": " + VisibleText.oneLine(failing.get(0).title())
                        + (failing.size() > 1 ? " (and " + (failing.size() - 1) + " more)" : ""));
                err.flush();
                return ExitCode.FINDINGS;
            }
        }
        return ExitCode.OK;
    }

    /** Where the time went, for someone wondering why a run is slow: "took 30.9 s: reading 12.1 s, ...". */
    static String took(Analysis.Timings t, Duration reports) {
        Duration all = t.reading().plus(t.grouping()).plus(t.checking()).plus(reports);
        return String.format(Locale.ROOT, "took %s: reading the inputs %s, grouping by JVM %s, checking the rules %s, writing the reports %s",
                seconds(all), seconds(t.reading()), seconds(t.grouping()), seconds(t.checking()), seconds(reports));
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** One line on the terminal, rewritten in place: which file, and for a big one, which pass and how far. */
    static final class TerminalProgress implements Analysis.Progress {
        private final PrintWriter err;
        private String file = "";

        TerminalProgress(PrintWriter err) {
            this.err = err;
        }

        // inputs are read side by side: the line shows the one that spoke last
        @Override
        public synchronized void reading(int index, int total, String path) {
            file = "reading " + index + " of " + total + ": " + shorten(VisibleText.oneLine(path));
            show(file);
        }

        @Override
        public synchronized void stage(String what) {
            show(what);
        }

        @Override
        public synchronized void within(String path, int pass, long position, long size) {
            if (pass == 0) {
                // a pipe, copied before it is read
                show("copying " + shorten(VisibleText.oneLine(path)) + String.format(" (%,d MB so far)", position >> 20));
                return;
            }
            String how = size > 0 ? String.format("%d%%", position * 100 / size)
                    : String.format("%,d MB", position >> 20);
            show("reading " + shorten(VisibleText.oneLine(path)) + " (pass " + pass + ", " + how + ")");
        }

        private void show(String line) {
            err.print("\r" + line + "\u001b[K");
            err.flush();
        }
    }

    private static String shorten(String path) {
        return path.length() <= 60 ? path : "..." + path.substring(path.length() - 57);
    }
}
