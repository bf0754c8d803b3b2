package io.lockscope.analyzer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lockscope capture}: takes from a live JVM the set of dumps that settles lock questions,
 * in this order: several thread dumps with owners of java.util.concurrent locks some seconds apart,
 * the JSON thread dump on JDK 21+, a recording (the running one, or one of its own with the lock,
 * park, thread and exception events), and a gzipped heap dump when asked. It talks to the JVM as
 * the JDK's tools do, through the target JDK's own {@code jcmd}; a JVM that does not answer gets
 * the Serviceability Agent's dump instead, with a note. Everything goes into one folder with a
 * manifest, {@code capture.json}, of what was asked, what was taken, when, with which command, and
 * what could not be taken and why.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Take the dumps that settle lock questions from a live JVM, into one folder with a manifest "
                + "(capture.json); then, with --analyze, analyze them.", "",
                "Costs to the running JVM: each thread dump stops it at a safepoint for milliseconds (more with "
                + "thousands of threads); a recording of its own costs about 1-2% while it runs; --heap stops it for "
                + "as long as writing the heap takes (seconds per GB) and writes a file about as large as the heap, "
                + "gzipped here."},
        footer = ExitCode.HELP)
final class CaptureCommand implements Callable<Integer> {

    /**
     * Made on first use: picocli makes every subcommand's object for any command line (a --version
     * too), and making a mapper loads some 300 classes, a fifth of a second.
     */
    private static final class Json {
        static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "PID|NAME", arity = "0..1",
            description = "the JVM: its pid, or part of its main class or command line (see --list)")
    String target;

    @Option(names = "--list", description = "list the local JVMs: pid, main class and arguments, Java version")
    boolean list;

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "the folder to write (default: lockscope-capture-PID-TIME)")
    Path output;

    @Option(names = "--dumps", paramLabel = "N", description = "thread dumps to take (default: ${DEFAULT-VALUE})")
    int dumps = 3;

    @Option(names = "--interval", paramLabel = "SECONDS", description = "seconds between thread dumps (default: ${DEFAULT-VALUE})")
    double interval = 2;

    @Option(names = "--recording", paramLabel = "SECONDS",
            description = "when no recording is running, record this long with lock, park, thread and exception events (default: no recording of its own)")
    int recording;

    @Option(names = "--heap", description = "also take a heap dump (gzipped): stops the JVM while it writes")
    boolean heap;

    @Option(names = "--analyze", description = "analyze the folder when done; the reports go into it")
    boolean analyze;

    @CommandLine.ParentCommand
    LockscopeCommand top;

    @Option(names = "--jcmd-timeout", paramLabel = "SECONDS", hidden = true, description = "seconds to wait for one jcmd")
    int jcmdTimeout = 60;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (list) {
            for (Jvm j : Jvm.all()) {
                out.println(j.pid() + "  " + j.version().orElse("?") + "  " + j.display());
            }
            out.flush();
            return ExitCode.OK;
        }
        if (target == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "name the JVM: a pid, or part of its main class (see --list)");
        }
        List<Jvm> matches = Jvm.find(target);
        if (matches.isEmpty()) {
            err.println("lockscope: no local JVM matches '" + target + "'; lockscope capture --list shows them"
                    + " (a JVM of another user or in another container is not listed: run this as its user, inside its container)");
            return ExitCode.USAGE;
        }
        if (matches.size() > 1) {
            err.println("lockscope: " + matches.size() + " JVMs match '" + target + "'; name one by pid:");
            matches.forEach(j -> err.println("  " + j.pid() + "  " + j.display()));
            return ExitCode.USAGE;
        }
        Jvm jvm = matches.get(0);
        Path dir = output != null ? output
                : Path.of("lockscope-capture-" + jvm.pid() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        Capture c = new Capture(jvm, dir, Duration.ofSeconds(jcmdTimeout), err, top.verbose);
        c.manifest.putObject("asked").put("dumps", dumps).put("interval", interval).put("recording", recording).put("heap", heap)
                .put("analyze", analyze);
        c.run(dumps, interval, recording, heap);
        out.println("wrote " + dir + " (" + c.taken() + " taken" + (c.failed() > 0 ? ", " + c.failed() + " could not be" : "")
                + "; see capture.json)");
        out.flush();
        if (c.taken() == 0) {
            err.println("lockscope: nothing could be taken from pid " + jvm.pid() + ": " + c.firstError());
            return ExitCode.NOTHING_READ;
        }
        if (analyze) {
            CommandLine cl = LockscopeCommand.commandLine();
            cl.setOut(out);
            cl.setErr(err);
            return top.verbose ? cl.execute("analyze", dir.toString(), "-o", dir.toString(), "--verbose")
                    : cl.execute("analyze", dir.toString(), "-o", dir.toString());
        }
        return ExitCode.OK;
    }

    private record Duration(long seconds) {
        static Duration ofSeconds(long s) {
            return new Duration(s);
        }
    }

    /** A local JVM: its pid, what jcmd -l says of it, and its Java home (from its executable). */
    record Jvm(long pid, String display, Optional<Path> javaHome, Optional<String> version) {

        static List<Jvm> all() throws IOException, InterruptedException {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            List<Jvm> out = new ArrayList<>();
            Process p = new ProcessBuilder(jcmd.toString(), "-l").redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            p.waitFor(30, TimeUnit.SECONDS);
            for (String l : lines) {
                int sp = l.indexOf(' ');
                String id = sp < 0 ? l : l.substring(0, sp);
                if (!id.matches("\\d+") || Long.parseLong(id) == ProcessHandle.current().pid()) {
                    continue;
                }
                if (l.contains("sun.tools.jcmd.JCmd")) {
                    continue;
                }
                out.add(of(Long.parseLong(id), sp < 0 ? "" : l.substring(sp + 1).strip()));
            }
            return out;
        }

        static Jvm of(long pid, String display) {
            Optional<Path> home = ProcessHandle.of(pid).flatMap(h -> h.info().command()).map(Path::of)
                    .map(c -> c.getParent() == null ? c : c.getParent().getParent());
            Optional<String> version = home.map(h -> h.resolve("release")).filter(Files::isRegularFile).flatMap(r -> {
                try {
                    return Files.readAllLines(r).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                            .map(l -> l.substring(13).replace("\"", "")).findFirst();
                } catch (IOException e) {
                    return Optional.empty();
                }
            });
            return new Jvm(pid, display, home, version);
        }

        static List<Jvm> find(String target) throws IOException, InterruptedException {
            if (target.matches("\\d+")) {
                long pid = Long.parseLong(target);
                Optional<Jvm> listed = all().stream().filter(j -> j.pid() == pid).findFirst();
                if (listed.isPresent()) {
                    return List.of(listed.get());
                }
                // alive but not listed: another user's, or a JVM that does not answer; still worth a try
                return ProcessHandle.of(pid).isPresent() ? List.of(of(pid, ProcessHandle.of(pid).get().info().commandLine().orElse("")))
                        : List.of();
            }
            return all().stream().filter(j -> j.display().contains(target)).toList();
        }

        int feature() {
            return version.map(v -> v.replaceFirst("^1\\.", "").replaceFirst("[^0-9].*$", "")).filter(v -> !v.isEmpty())
                    .map(Integer::parseInt).orElse(17);
        }

        /** The target JDK's own jcmd (a newer JVM may not answer an older one), else the running JDK's. */
        Path jcmd() {
            return javaHome.map(h -> h.resolve("bin/jcmd")).filter(Files::isExecutable)
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "jcmd"));
        }
    }

    /** One capture: the steps, each recorded in the manifest as it is done. */
    private static final class Capture {
        final Jvm jvm;
        final Path dir;
        final Duration timeout;
        final PrintWriter err;
        private final boolean verbose;
        final ObjectNode manifest = Json.MAPPER.createObjectNode();
        final ArrayNode steps;
        private int taken;
        private int failed;
        private String lastError = "";
        private String firstError;
        private boolean gone;
        private boolean noAnswer;

        Capture(Jvm jvm, Path dir, Duration timeout, PrintWriter err, boolean verbose) {
            this.verbose = verbose;
            this.jvm = jvm;
            this.dir = dir;
            this.timeout = timeout;
            this.err = err;
            manifest.put("lockscopeCapture", 1);
            ObjectNode t = manifest.putObject("target");
            t.put("pid", jvm.pid());
            t.put("display", jvm.display());
            jvm.version().ifPresent(v -> t.put("javaVersion", v));
            t.put("jcmd", jvm.jcmd().toString());
            manifest.put("started", Instant.now().toString());
            steps = manifest.putArray("steps");
        }

        int taken() {
            return taken;
        }

        int failed() {
            return failed;
        }

        String lastError() {
            return lastError;
        }

        String firstError() {
            return firstError == null ? lastError : firstError;
        }

        void run(int dumps, double interval, int recording, boolean heap) throws IOException, InterruptedException {
            for (int i = 1; i <= dumps; i++) {
                progress("thread dump " + i + " of " + dumps);
                boolean ok = jcmd("thread dump " + i, "threads-" + i + ".txt", "Thread.print", "-l");
                if (!ok && i == 1 && noAnswer) {
                    agentDump(); // attach got no answer (not a refusal): the agent reads the JVM's memory instead
                }
                if (i < dumps) {
                    waitFor(interval, "the next thread dump");
                }
            }
            if (jvm.feature() >= 21) {
                progress("JSON thread dump");
                Path json = dir.resolve("threads.json");
                jcmd("JSON thread dump (virtual threads)", null, "Thread.dump_to_file", "-format=json", json.toAbsolutePath().toString());
            }
            recording(recording);
            if (heap) {
                err.println("lockscope: taking a heap dump of pid " + jvm.pid() + ": the JVM stops while it is written, and the "
                        + "file is about as large as its heap (gzipped here)");
                err.flush();
                Path file = dir.resolve("heap.hprof.gz");
                jcmd("heap dump", null, "GC.heap_dump", "-gz=6", file.toAbsolutePath().toString());
            }
            progress(null);
            manifest.put("ended", Instant.now().toString());
            Files.writeString(dir.resolve("capture.json"), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
        }

        private void recording(int seconds) throws IOException, InterruptedException {
            if (gone) {
                skip("recording", "the JVM has ended");
                return;
            }
            String check = run(List.of(jvm.jcmd().toString(), String.valueOf(jvm.pid()), "JFR.check")).output();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Recording (\\d+): name=(\\S+)").matcher(check);
            Path file = dir.resolve("recording.jfr").toAbsolutePath();
            if (m.find()) {
                progress("dumping the running recording " + m.group(2));
                jcmd("the running recording (" + m.group(2) + ")", null, "JFR.dump", "name=" + m.group(1), "filename=" + file);
                return;
            }
            if (seconds <= 0) {
                skip("recording", "no recording is running and --recording was not given");
                return;
            }
            // the settings file is read by the target JVM when the recording starts; it is no input of the analysis
            Path settings = Files.createTempFile("lockscope-capture-", ".jfc");
            try {
                Files.writeString(settings, SETTINGS);
                if (!jcmd("recording started", null, "JFR.start", "name=lockscope-capture", "settings=" + settings)) {
                    return;
                }
            } finally {
                Files.deleteIfExists(settings);
            }
            waitFor(seconds, "the recording");
            jcmd("recording of " + seconds + " s", null, "JFR.dump", "name=lockscope-capture", "filename=" + file);
            jcmd("recording stopped", null, "JFR.stop", "name=lockscope-capture");
        }

        /** Lock, park, thread and exception events, with thresholds that keep the recording cheap. */
        static final String SETTINGS = """
                <?xml version="1.0" encoding="UTF-8"?>
                <configuration version="2.0" label="lockscope capture" description="locks, parks, threads, exceptions">
                  <event name="jdk.JavaMonitorEnter"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">10 ms</setting></event>
                  <event name="jdk.JavaMonitorWait"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">10 ms</setting></event>
                  <event name="jdk.ThreadPark"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">10 ms</setting></event>
                  <event name="jdk.ThreadStart"><setting name="enabled">true</setting></event>
                  <event name="jdk.ThreadEnd"><setting name="enabled">true</setting></event>
                  <event name="jdk.JavaExceptionThrow"><setting name="enabled">true</setting><setting name="stackTrace">true</setting></event>
                  <event name="jdk.VirtualThreadPinned"><setting name="enabled">true</setting><setting name="stackTrace">true</setting><setting name="threshold">10 ms</setting></event>
                  <event name="jdk.ThreadDump"><setting name="enabled">true</setting><setting name="period">everyChunk</setting></event>
                  <event name="jdk.JVMInformation"><setting name="enabled">true</setting><setting name="period">beginChunk</setting></event>
                </configuration>
                """;

        private record Ran(int exit, String output, boolean timedOut) {
        }

        private Ran run(List<String> command) throws IOException, InterruptedException {
            return run(command, timeout.seconds());
        }

        private Ran run(List<String> command, long seconds) throws IOException, InterruptedException {
            if (verbose) {
                progress(null);
                err.println("lockscope: running " + String.join(" ", command));
                err.flush();
            }
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            java.util.concurrent.CompletableFuture<byte[]> bytes = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Ran(-1, "", true);
            }
            return new Ran(p.exitValue(), new String(bytes.join(), StandardCharsets.UTF_8), false);
        }

        /** One jcmd command; its output into {@code file} when given. Whether it worked. */
        private boolean jcmd(String what, String file, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(jvm.jcmd().toString(), String.valueOf(jvm.pid())));
            command.addAll(List.of(args));
            ObjectNode step = steps.addObject();
            step.put("what", what);
            step.put("command", String.join(" ", command));
            step.put("started", Instant.now().toString());
            if (gone || ProcessHandle.of(jvm.pid()).isEmpty()) {
                gone = true;
                return fail(step, "the JVM has ended");
            }
            Ran r = run(command);
            step.put("ended", Instant.now().toString());
            if (r.timedOut()) {
                noAnswer = true;
                return fail(step, "jcmd did not answer in " + timeout.seconds() + " s: the JVM may be too hung to answer");
            }
            String output = r.output();
            // jcmd prints "PID:" first, then the command's output; a failure is a message, not a dump
            String head = output.lines().limit(3).reduce("", (a, b) -> a + "\n" + b);
            boolean failedAttach = r.exit() != 0 || head.contains("AttachNotSupportedException") || head.contains("Unable to open socket")
                    || head.contains("Exception");
            if (failedAttach) {
                if (ProcessHandle.of(jvm.pid()).isEmpty()) {
                    gone = true;
                    return fail(step, "the JVM has ended");
                }
                return fail(step, denied(output));
            }
            if (file != null) {
                Files.writeString(dir.resolve(file), output);
                step.put("file", file);
            } else {
                for (String a : args) {
                    if (a.startsWith("filename=") || a.startsWith("/")) {
                        String f = a.startsWith("filename=") ? a.substring(9) : a;
                        step.put("file", dir.toAbsolutePath().relativize(Path.of(f).toAbsolutePath()).toString());
                    }
                }
            }
            step.put("ok", true);
            taken++;
            return true;
        }

        private String denied(String output) {
            String user = ProcessHandle.of(jvm.pid()).flatMap(h -> h.info().user()).orElse("its user");
            String first = output.lines().filter(l -> !l.isBlank() && !l.matches("\\d+:")).findFirst().orElse("jcmd failed").strip();
            if (!user.equals(System.getProperty("user.name"))) {
                return first + " (the JVM runs as " + user + ": run sudo -u " + user + " lockscope capture " + jvm.pid() + ")";
            }
            return first + " (in another container, run lockscope capture inside it)";
        }

        private boolean fail(ObjectNode step, String why) {
            step.put("ok", false);
            step.put("error", why);
            failed++;
            lastError = why;
            if (firstError == null) {
                firstError = why;
            }
            progress(null);
            err.println("lockscope: could not take the " + step.path("what").asText() + ": " + why);
            err.flush();
            return false;
        }

        private void skip(String what, String why) {
            ObjectNode step = steps.addObject();
            step.put("what", what);
            step.put("skipped", why);
        }

        /** The Serviceability Agent's dump, for a JVM that does not answer jcmd: slower, and it stops the JVM. */
        private void agentDump() throws IOException, InterruptedException {
            if (gone) {
                return;
            }
            Path jhsdb = jvm.jcmd().resolveSibling("jhsdb");
            ObjectNode step = steps.addObject();
            step.put("what", "thread dump by the Serviceability Agent (jhsdb), since jcmd got no answer");
            List<String> command = List.of(jhsdb.toString(), "jstack", "--locks", "--pid", String.valueOf(jvm.pid()));
            step.put("command", String.join(" ", command));
            if (!Files.isExecutable(jhsdb)) {
                fail(step, "no jhsdb beside " + jvm.jcmd());
                return;
            }
            // the agent reads the JVM's memory through ptrace, far slower than jcmd: it gets a minute at least
            Ran r = run(command, Math.max(60, 4 * timeout.seconds()));
            if (r.exit() != 0 || r.timedOut() || !r.output().contains("Deadlock Detection")) {
                fail(step, r.timedOut() ? "jhsdb did not answer either" : "jhsdb failed: " + r.output().lines().findFirst().orElse(""));
                return;
            }
            Files.writeString(dir.resolve("threads-sa.txt"), r.output());
            step.put("file", "threads-sa.txt");
            step.put("ok", true);
            step.put("note", "the JVM did not answer jcmd; this dump was read from its memory by the Serviceability Agent");
            taken++;
        }

        private void waitFor(double seconds, String what) throws InterruptedException {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                long left = (end - System.nanoTime()) / 1_000_000_000L;
                progress("waiting " + (left + 1) + " s for " + what);
                Thread.sleep(Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            }
        }

        /**
         * A line of progress on the terminal (stderr), rewritten in place; never into a pipe or a log.
         * Its own escape sequences go out raw; the text is lockscope's own.
         */
        private void progress(String text) {
            if (System.console() == null || System.getenv("CI") != null) {
                return;
            }
            RAW.print("\r\u001b[K" + (text == null ? "" : "lockscope capture: " + text));
            RAW.flush();
        }

        private static final PrintWriter RAW = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8));
    }
}
