package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lockscope.analyzer.input.InputReader;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.engine.Finding;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the real dumps are: the shared corpus beside the checkout, and sample-dumps/ in it. Both
 * paths come from the build (see the parent pom). Without the corpus a developer's run skips
 * those tests; in CI (CI=true) a missing corpus is a failure.
 */
public final class Dumps {

    private Dumps() {
    }

    public static Path corpus() {
        return existing("lockscope.corpus", "../shared/corpus");
    }

    /** A corpus file or folder; a test that names one that is not there fails, it never passes on nothing. */
    public static Path corpus(String relative) {
        Path p = corpus().resolve(relative);
        if (!Files.exists(p)) {
            fail("corpus file missing: " + p);
        }
        return p;
    }

    public static Path samples() {
        return existing("lockscope.samples", "sample-dumps");
    }

    public static Path sample(String relative) {
        Path p = samples().resolve(relative);
        if (!Files.exists(p)) {
            fail("sample dump missing: " + p + " (regenerate with sample-dumps/capture.sh)");
        }
        return p;
    }

    private static Path existing(String property, String what) {
        String value = System.getProperty(property);
        Path p = value == null ? null : Path.of(value).normalize();
        boolean present = p != null && Files.isDirectory(p);
        if (!present && System.getenv("CI") != null) {
            fail(what + " not found at " + p + "; CI must have it");
        }
        assumeTrue(present, what + " not found at " + p + "; skipping");
        return p;
    }

    /** Every regular file directly in a corpus folder, sorted. */
    public static List<Path> corpusFiles(String folder) {
        try (Stream<Path> s = Files.list(corpus(folder))) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one file into snapshots, asserting nothing about it. */
    public static List<Snapshot> read(Path file) {
        List<Snapshot> out = new ArrayList<>();
        InputReader.read(file, file.toString(), out::add);
        return out;
    }

    /** The only snapshot of a file that holds one dump. */
    public static Snapshot readOne(Path file) {
        List<Snapshot> s = read(file);
        assertEquals(1, s.size(), "dumps in " + file);
        return s.get(0);
    }

    public static InputReport report(Path file) {
        return InputReader.read(file, file.toString(), s -> { });
    }

    /** The report of a file that must be read whole, with a message that matches {@code message}. */
    public static InputReport readWholeAs(Path file, String message) {
        InputReport input = report(file);
        org.junit.jupiter.api.Assertions.assertEquals(io.lockscope.analyzer.input.InputStatus.READ, input.status(), input.message());
        org.junit.jupiter.api.Assertions.assertTrue(input.message().matches(message), file + ": " + input.message());
        return input;
    }

    /** The only snapshot of a file that must be read whole, as this format. */
    public static Snapshot readWhole(Path file, io.lockscope.analyzer.input.InputFormat format) {
        InputReport r = report(file);
        assertEquals(format, r.format(), r.message());
        assertEquals(io.lockscope.analyzer.input.InputStatus.READ, r.status(), r.message());
        Snapshot s = readOne(file);
        assertEquals(format.id(), s.format(), "the snapshot's format");
        return s;
    }

    /** Runs every built-in rule over the given files or folders. */
    public static Analysis.Result analyze(Path... paths) {
        return Analysis.withBuiltInRules().run(List.of(paths), Analysis.Progress.NONE);
    }

    /** Runs every built-in rule, naming inputs relative to the repository: {@code sample-dumps/jdk17/...}. */
    public static Analysis.Result analyzeFromRepository(Path... paths) {
        return Analysis.withBuiltInRules().run(List.of(paths), samples().getParent(), Analysis.Progress.NONE);
    }

    public static List<Finding> findings(String rule, Path... paths) {
        return analyze(paths).outcome().findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    /** Runs every built-in rule with these settings (thresholds, patterns) and keeps one rule's findings. */
    public static List<Finding> findings(String rule, io.lockscope.engine.RuleSettings settings, Path... paths) {
        var rules = io.lockscope.engine.RuleEngine.builtIn();
        var ids = rules.stream().map(r -> r.info().id()).collect(java.util.stream.Collectors.toSet());
        return new Analysis(rules, ids, settings, io.lockscope.engine.Baseline.none()).run(List.of(paths), Analysis.Progress.NONE)
                .outcome().findings().stream().filter(f -> f.rule().equals(rule)).toList();
    }

    /** The thread of this name in a snapshot. */
    public static io.lockscope.model.JvmThread thread(Snapshot s, String name) {
        return s.threads().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name + " in " + s.label()));
    }

    /** The index of the first line that starts with {@code prefix}, for reading what a file itself says. */
    public static int lineStartingWith(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with " + prefix);
    }

    /** A file's lines from the first that starts with {@code prefix} on, to check what the file itself says. */
    public static List<String> linesFrom(Path file, String prefix) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.subList(lineStartingWith(lines, prefix), lines.size());
    }

    /** A thread's lock actions, frame by frame, as text to compare: "method KIND lock". */
    public static List<String> lockActions(io.lockscope.model.JvmThread t) {
        return t.frames().stream().flatMap(f -> f.locks().stream().map(a -> f.method() + " " + a.kind() + " " + a.lock())).toList();
    }

    /** Each finding of a run as rule, severity, threads and fingerprint: what two readings of one moment must share. */
    public static java.util.Set<String> findingSummaries(Analysis.Result r) {
        return r.outcome().findings().stream().map(f -> f.rule() + " " + f.severity() + " " + java.util.Set.copyOf(f.threads()) + " "
                + f.fingerprint()).collect(java.util.stream.Collectors.toSet());
    }

    /** Each frame's method, a lambda's hidden class without its address (another in each run), a rendering's "..." left out. */
    public static List<String> methods(io.lockscope.model.JvmThread t) {
        return t.frames().stream().map(f -> f.method().replaceAll("/0x[0-9a-f]+", "")).filter(m -> !m.equals("...")).toList();
    }

    /** The ids of the locks a thread waits for: to lock, on, or parked. */
    public static java.util.Set<String> waitedFor(io.lockscope.model.JvmThread t) {
        return t.frames().stream().flatMap(f -> f.locks().stream()).filter(a -> a.kind() != io.lockscope.model.LockAction.Kind.LOCKED)
                .map(a -> a.lock().id()).collect(java.util.stream.Collectors.toSet());
    }

    /** The ids of the locks a thread holds: monitors its frames took, and its ownable synchronizers. */
    public static java.util.Set<String> held(io.lockscope.model.JvmThread t) {
        java.util.Set<String> held = t.frames().stream().flatMap(f -> f.locks().stream())
                .filter(a -> a.kind() == io.lockscope.model.LockAction.Kind.LOCKED).map(a -> a.lock().id())
                .collect(java.util.stream.Collectors.toSet());
        t.ownedSynchronizers().ifPresent(list -> list.forEach(l -> held.add(l.id())));
        return held;
    }

    /** The one deadlock finding of a file; fails naming them all if there is not exactly one. */
    public static Finding onlyDeadlock(Path file) {
        return only(findings("deadlock", file));
    }

    /** The one finding of a list; fails naming them all if there is not exactly one. */
    public static Finding only(List<Finding> findings) {
        org.junit.jupiter.api.Assertions.assertEquals(1, findings.size(), () -> "findings: " + findings.stream().map(Finding::title).toList());
        return findings.get(0);
    }

    /** Whether a thread is one of the scenario's own (runs its code), the main thread aside. */
    public static boolean scenarioThread(io.lockscope.model.JvmThread t) {
        return t.frames().stream().anyMatch(f -> f.method().startsWith("Scenario.")) && !t.name().equals("main");
    }

    /**
     * The dead-owner scenario's finding in {@code file}: the ReentrantLock ingest-worker-1 ended
     * holding while three batch writers wait for it, named as a dead thread's, as jcmd's dump of the
     * same JVM ({@code jcmd}, if given) finds its waiters.
     */
    public static Finding deadOwnerFound(Path file, Path jcmd) {
        Finding f = only(findings("orphaned-lock", file));
        org.junit.jupiter.api.Assertions.assertEquals(io.lockscope.engine.Severity.ERROR, f.severity());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of("ingest-worker-1", "batch-writer-1", "batch-writer-2", "batch-writer-3"),
                java.util.Set.copyOf(f.threads()), f.title());
        org.junit.jupiter.api.Assertions.assertTrue(f.title().contains(" held by dead thread ingest-worker-1 #"), f.title());
        org.junit.jupiter.api.Assertions.assertEquals("java.util.concurrent.locks.ReentrantLock$NonfairSync", f.locks().get(0).className());
        if (jcmd != null) {
            Finding jcmdFinding = only(findings("orphaned-lock", jcmd));
            org.junit.jupiter.api.Assertions.assertTrue(java.util.Set.copyOf(f.threads()).containsAll(jcmdFinding.threads()),
                    jcmdFinding.threads().toString());
        }
        return f;
    }

    /**
     * A damaged copy of a dump: what was {@code kept} of it, as a download or a copy that broke off
     * leaves it, in {@code dir}; reading it must say it was cut short, in a message that matches
     * {@code message}.
     */
    public static Path cutShort(byte[] kept, Path dir, String message) throws IOException {
        Path damaged = dir.resolve("cut-short.txt");
        Files.write(damaged, kept);
        InputReport input = report(damaged);
        org.junit.jupiter.api.Assertions.assertEquals(io.lockscope.analyzer.input.InputStatus.PARTIAL, input.status(), input.message());
        org.junit.jupiter.api.Assertions.assertTrue(input.message().matches(message), input.message());
        return damaged;
    }

    /**
     * Every thread of the scenario in jcmd's dump of a JVM is in {@code other}, another rendering of
     * the same JVM at about the same moment: the same Java id, state and frames; with {@code locks},
     * also as many locks held and waited for (jcmd prints "- locked" for the monitor a thread waits
     * on in Object.wait(), which it has let go: that one is not counted).
     */
    public static void sameScenarioThreads(Snapshot jcmd, Snapshot other, boolean locks) {
        for (io.lockscope.model.JvmThread t : jcmd.threads()) {
            if (!scenarioThread(t)) {
                continue;
            }
            io.lockscope.model.JvmThread same = thread(other, t.name());
            String where = other.label() + ": " + t.name();
            org.junit.jupiter.api.Assertions.assertEquals(t.javaId(), same.javaId(), where);
            org.junit.jupiter.api.Assertions.assertEquals(t.state(), same.state(), where);
            org.junit.jupiter.api.Assertions.assertEquals(methods(t), methods(same), where);
            if (locks) {
                java.util.Set<String> jcmdHeld = held(t);
                jcmdHeld.removeAll(waitedFor(t));
                org.junit.jupiter.api.Assertions.assertEquals(jcmdHeld.size(), held(same).size(), where + ": locks held");
                org.junit.jupiter.api.Assertions.assertEquals(waitedFor(t).size(), waitedFor(same).size(), where + ": locks waited for");
            }
        }
    }

    /**
     * The one deadlock in {@code file}: of this severity, among these threads (comma-separated), the
     * same threads and kinds of lock as jcmd's dump of the same JVM ({@code jcmd}) shows in its own.
     */
    public static Finding deadlockAsJcmd(Path file, Path jcmd, io.lockscope.engine.Severity severity, String threads) {
        Finding f = only(findings("deadlock", file));
        Finding j = only(findings("deadlock", jcmd));
        org.junit.jupiter.api.Assertions.assertEquals(severity, f.severity(), f.title());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(threads.split(",")), java.util.Set.copyOf(f.threads()), f.title());
        org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.copyOf(j.threads()), java.util.Set.copyOf(f.threads()), f.title());
        org.junit.jupiter.api.Assertions.assertEquals(lockClasses(j), lockClasses(f), f.title());
        return f;
    }

    private static java.util.Set<String> lockClasses(Finding f) {
        return f.locks().stream().map(io.lockscope.model.LockRef::className).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * A named pipe at {@code fifo} that a writer thread of its own fills with {@code bytes}; then it
     * closes the pipe, or ({@code hang}) keeps it open for a minute, as {@code kubectl logs -f} or a
     * writer that hangs does.
     */
    public static Path namedPipe(Path fifo, byte[] bytes, boolean hang) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread writer = new Thread(() -> {
            try (java.io.OutputStream out = Files.newOutputStream(fifo)) {
                out.write(bytes);
                out.flush();
                if (hang) {
                    Thread.sleep(60_000);
                }
            } catch (IOException | InterruptedException e) {
                // the reader stopped reading, or the test is over
            }
        }, "named-pipe-writer");
        writer.setDaemon(true);
        writer.start();
        return fifo;
    }
}
